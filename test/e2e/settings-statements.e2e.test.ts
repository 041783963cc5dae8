import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppServer, startAppServer } from './app-server.ts'
import { launchBrowser, openPage, seriousViolations } from './browser.ts'
import { signIn } from './sign-in.ts'

describe('settings, notifications and statement PDFs', () => {
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

  it('an owner changes a due date and sees the email status and the outbox', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('owner'))
    await page.goto(`${server.url}/#/settings`)
    await page.getByRole('heading', { name: 'Follow-through' }).waitFor()
    await page.getByText(/SMTP is (not )?configured/).waitFor()
    await page.getByLabel('Warning').fill('10')
    await page.getByRole('button', { name: 'Save' }).last().click()
    await page.getByText('Saved. Closes from now on use these due days.').waitFor()
    await page.reload()
    await page.getByLabel('Warning').waitFor()
    await expect(page.getByLabel('Warning').inputValue()).resolves.toBe('10')
    expect(await seriousViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })

  it('a rep reads their notifications and downloads a statement as PDF', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('rep'))
    await page.getByRole('link', { name: /^Notifications/ }).click()
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor()
    await page.getByText(/unread of|All read\.|Nothing for you yet\./).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await page.goto(`${server.url}/#/`)
    await page.getByRole('link', { name: '2026-03' }).click()
    const link = page.getByRole('link', { name: 'Download PDF' })
    await link.waitFor()
    const href = await link.getAttribute('href')
    expect(href).toBe('/api/statements/r01/2026-03/statement.pdf')
    const res = await page.request.get(`${server.url}${href ?? ''}`)
    expect(res.status()).toBe(200)
    expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(errors).toEqual([])
  })

  it('finance lists the statements of a closed period as PDFs', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('finance'))
    await page.goto(`${server.url}/#/finance`)
    await page.getByText('Statements (PDF)').first().click()
    const first = page.locator('a[href$="/statement.pdf"]').first()
    await first.waitFor()
    const res = await page.request.get(`${server.url}${(await first.getAttribute('href')) ?? ''}`)
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toBe('application/pdf')
    expect(await seriousViolations(page)).toEqual([])
    expect(errors).toEqual([])
  })
})
