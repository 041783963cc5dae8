import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppServer, startAppServer } from './app-server.ts'
import { launchBrowser, openPage, seriousViolations } from './browser.ts'
import { signIn } from './sign-in.ts'

const screenshot = (name: string): string =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url))

/** "$1,234.50" → 123450 (minor units), for comparing totals shown on the page. */
const minorOf = (text: string): number => Number(text.replace(/[^\d-]/g, ''))

describe('the executive', () => {
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

  it('reads the follow-through page: rate over time, unenforced misses, after-miss, attainment, commission share', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('owner'))
    await page.getByRole('link', { name: 'Executive' }).click()
    await page.getByRole('heading', { name: 'Follow-through over time' }).waitFor()
    // The demo closed January to October 2026: the rate of October is stated, the chart drawn.
    await page.getByTestId('ft-latest').waitFor()
    expect(await page.getByTestId('ft-latest').textContent()).toMatch(/^\d+%$/)
    await page.locator('.chart svg').first().waitFor()
    await page.getByRole('heading', { name: 'Unenforced misses' }).waitFor()
    await page.getByRole('heading', { name: 'What happens after a miss goes unenforced' }).waitFor()
    await page.getByRole('heading', { name: 'Attainment in 2026-10' }).waitFor()
    await page.getByTestId('attainment-hit').waitFor()
    await page.getByTestId('commission-share').waitFor()
    expect(await page.getByTestId('commission-share').textContent()).toMatch(/^\d+\.\d\d%$/)
    await page.getByRole('heading', { name: 'Under-performers relative to peers' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshot('executive'), fullPage: true })
    expect(errors).toEqual([])
  })

  it('runs the what-if with a changed rate and sees the totals', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('owner'))
    await page.getByRole('link', { name: 'What if' }).click()
    await page.getByRole('heading', { name: 'What if' }).waitFor()
    await page.getByLabel('Start from the plan').selectOption('msp-ae')
    const editor = page.getByLabel(/^Plan \(/)
    await expect.poll(() => editor.inputValue()).toContain('id: msp-ae')
    const source = await editor.inputValue()
    expect(source).toContain('rate: 5%')
    await editor.fill(source.replace('rate: 5%', 'rate: 10%'))
    await page.getByText('The plan checks.').waitFor()
    await page.getByRole('button', { name: 'Run the what-if' }).click()
    await page.getByTestId('total-what-if').waitFor({ timeout: 30_000 })
    const actual = minorOf((await page.getByTestId('total-actual').textContent()) ?? '')
    const whatIf = minorOf((await page.getByTestId('total-what-if').textContent()) ?? '')
    const difference = minorOf((await page.getByTestId('total-difference').textContent()) ?? '')
    // A higher projects rate pays more in total, and the difference is what-if minus actual.
    expect(actual).toBeGreaterThan(0)
    expect(whatIf).toBeGreaterThan(actual)
    expect(difference).toBe(whatIf - actual)
    await page.getByRole('heading', { name: 'Incentives and consequences that came due' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshot('what-if'), fullPage: true })
    expect(errors).toEqual([])
  })
})
