import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppServer, startAppServer } from './app-server.ts'
import { launchBrowser, openPage, seriousViolations } from './browser.ts'
import { signIn } from './sign-in.ts'

const screenshot = (name: string): string =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url))

/** Opens a page of the app and waits for its heading; then no serious or critical axe violation. */
async function visit(page: Page, url: string, path: string, heading: string): Promise<void> {
  await page.goto(`${url}/#${path}`)
  await page.getByRole('heading', { name: heading, exact: true }).waitFor()
  await page.waitForLoadState('networkidle')
  expect(await seriousViolations(page)).toEqual([])
}

describe('data pages and coaching', () => {
  let server: AppServer
  let browser: Browser
  beforeAll(async () => {
    server = await startAppServer()
    browser = await launchBrowser()
    // The demo's coaching plans (mid-November 2026) are all decided. Give r02 (under m1) an open
    // one as the November close would: a copy of r04's applied `coaching` outcome (owner m1) and
    // of its plan, moved to r02 and open from 2026-11 to 2027-01.
    await server.db.query(
      `insert into outcomes
       select (jsonb_populate_record(null::outcomes, to_jsonb(o) || '{"id": "e2e-coaching", "rep_id": "r02", "period": "2026-10"}')).*
         from outcomes o where o.effect = 'coaching' and o.rep_id = 'r04' and o.period = '2026-08'`,
    )
    await server.db.query(
      `insert into coaching_plans
       select (jsonb_populate_record(null::coaching_plans, to_jsonb(c) || '{"id": "e2e-plan", "rep_id": "r02", "outcome_id": "e2e-coaching",
                 "opened_period": "2026-11", "last_period": "2027-01", "state": "open", "decided_period": null, "decided_at": null}')).*
         from coaching_plans c where c.rep_id = 'r04' and c.opened_period = '2026-08'`,
    )
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('the admin edits a quota cell and sees it saved; every data page passes axe', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('admin'))
    await visit(page, server.url, '/quotas', 'Quotas')
    await page.getByLabel('Year').selectOption('2026')
    await page.getByLabel('Metric').selectOption('new_mrr')
    const cell = page.getByLabel('new_mrr quota of Ana Castillo in 2026-12')
    await cell.fill('4250.50')
    await cell.press('Enter')
    await page.getByRole('status').getByText('Ana Castillo, 2026-12: saved 4250.50.').waitFor()
    // A closed period's cells cannot be edited.
    await expect(page.getByLabel('new_mrr quota of Ana Castillo in 2026-03').isDisabled()).resolves.toBe(true)
    expect(await seriousViolations(page)).toEqual([])
    await page
      .locator('.table-wrap')
      .first()
      .evaluate((e) => e.scrollTo(0, 0))
    await page.screenshot({ path: screenshot('quotas'), fullPage: true })

    // Stored: the reloaded grid shows it, and so does the database.
    await page.reload()
    await page.getByLabel('Metric').selectOption('new_mrr')
    await expect
      .poll(() => page.getByLabel('new_mrr quota of Ana Castillo in 2026-12').inputValue())
      .toBe('4250.5')
    const [row] = await server.db.query<{ amount: string }>(
      `select trim_scale(amount)::text as amount from quotas where rep_id = 'r01' and period = '2026-12' and metric = 'new_mrr'`,
    )
    expect(row?.amount).toBe('4250.5')

    await visit(page, server.url, '/reps', 'Reps and teams')
    await page.getByText('Ana Castillo').first().waitFor()
    await visit(page, server.url, '/deals', 'Deals')
    await visit(page, server.url, '/activities', 'Activities')
    await visit(page, server.url, '/coaching', 'Coaching plans')
    expect(errors).toEqual([])
  })

  it('the manager filters deals by a rep and schedules a check-in on a coaching plan', async () => {
    const { page, errors } = await openPage(browser, server.url)
    await signIn(page, server.login('manager'))
    await visit(page, server.url, '/deals', 'Deals')
    await page.getByLabel('Rep').selectOption('r02')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    const credited = page.locator('tbody tr td:last-child')
    await expect.poll(async () => (await credited.allInnerTexts()).length).toBeGreaterThan(0)
    await expect
      .poll(async () => (await credited.allInnerTexts()).every((t) => t.includes('Ben Okafor')))
      .toBe(true)
    expect(await seriousViolations(page)).toEqual([])

    await visit(page, server.url, '/quotas', 'Quotas')
    await visit(page, server.url, '/reps', 'Reps and teams')
    await visit(page, server.url, '/activities', 'Activities')
    await visit(page, server.url, '/coaching', 'Coaching plans')
    await page.getByRole('heading', { name: /^r02:/ }).waitFor()
    await page.getByRole('button', { name: 'Items and check-ins' }).click()
    await page.getByLabel('Title').fill('Pipeline review with Marcus')
    await page.getByLabel('Due on').fill('2026-11-20')
    await page.getByRole('button', { name: 'Schedule' }).click()
    await page
      .getByRole('status')
      .getByText(/Scheduled: Check-in “Pipeline review with Marcus”/)
      .waitFor()
    await page.getByRole('cell', { name: 'Check-in: Pipeline review with Marcus' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    const items = await server.db.query<{ kind: string; due_on: string }>(
      `select kind, due_on::text as due_on from coaching_items where coaching_plan_id = 'e2e-plan'`,
    )
    expect(items).toEqual([{ kind: 'check_in', due_on: '2026-11-20' }])
    expect(errors).toEqual([])
  })
})
