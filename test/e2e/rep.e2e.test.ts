import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppServer, startAppServer } from './app-server.ts'
import { launchBrowser, openPage, seriousViolations } from './browser.ts'
import { signIn } from './sign-in.ts'

const screenshot = (name: string): string =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url))

describe('the rep', () => {
  let server: AppServer
  let browser: Browser
  beforeAll(async () => {
    server = await startAppServer()
    browser = await launchBrowser()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('signs in, sees the open period with progress and pace, and reads a statement', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('rep'))
    await page.getByRole('heading', { name: 'My progress' }).waitFor()
    await page.getByText('Estimated earnings so far').first().waitFor()
    // The demo's rep r01 on plan msp-ae: November 2026 is open, with the MRR metric's bar.
    await expect(page.getByRole('heading', { name: /2026-11 · plan msp-ae/ }).count()).resolves.toBe(1)
    await expect(page.getByRole('meter').count()).resolves.toBeGreaterThan(0)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshot('rep-home'), fullPage: true })

    await page.getByRole('link', { name: '2026-03' }).click()
    await page.getByRole('heading', { name: /Statement 2026-03/ }).waitFor()
    await page.getByRole('heading', { name: 'Lines', exact: true }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })

  it('cannot open the plans of other teams or pages of other roles', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('rep'))
    await page.goto(`${server.url}/#/reps/r08`)
    await page.getByText(/may not see the rep "r08"/).waitFor()
    expect(errors.filter((e) => !e.includes('403'))).toEqual([])
  })
})
