import { fileURLToPath } from 'node:url'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DemoLogin } from '../../src/app/auth/demo-people.ts'
import { type AppServer, startAppServer } from './app-server.ts'
import { launchBrowser, openPage, seriousViolations } from './browser.ts'
import { signIn } from './sign-in.ts'
import { screenshot, settle, trackRequests, visit } from './visit.ts'

// A HubSpot deals export of team North's November (four Closed Won, one Closed Lost), shaped as the
// built-in mapping hubspot-deals reads it; the owners are the demo's reps by name.
const HUBSPOT_NORTH = fileURLToPath(new URL('../fixtures/e2e/hubspot-deals-north.csv', import.meta.url))

// A busy machine runs several browsers and servers at once: each step gets its time.
describe('what people do in the app', { timeout: 180_000 }, () => {
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

  const signedIn = async (role: DemoLogin['role']): Promise<{ page: Page; errors: string[] }> => {
    const opened = await openPage(browser, server.url)
    trackRequests(opened.page)
    await signIn(opened.page, server.login(role))
    await settle(opened.page)
    return opened
  }

  it('a rep acknowledges her plan and disputes a statement line; her manager sees the dispute', async () => {
    const rep = await signedIn('rep')
    const card = rep.page.getByRole('heading', { name: 'Your plan to acknowledge' })
    await card.waitFor()
    await rep.page.getByLabel(/Type your full name \(Ana Castillo\)/).fill('Ana Castillo')
    await rep.page.getByRole('button', { name: 'I have read and acknowledge this plan' }).click()
    await card.waitFor({ state: 'detached' })

    await visit(rep.page, '/statements/r01/2026-10', /Statement 2026-10/)
    await rep.page.getByRole('heading', { name: 'Ledger lines and disputes' }).waitFor()
    const first = rep.page.getByRole('button', { name: /^Dispute entry \d+$/ }).first()
    const label = (await first.getAttribute('aria-label')) ?? ''
    const seq = Number(/\d+$/.exec(label)?.[0])
    await first.click()
    await rep.page
      .getByLabel('What is wrong with this line?')
      .fill('The Fox River deal is missing from this line.')
    await rep.page.getByRole('button', { name: 'Send' }).click()
    await rep.page.getByText('Your dispute was sent to your manager.').waitFor()
    const row = rep.page.getByRole('row').filter({ hasText: `#${seq}` })
    await row
      .getByText(/^Disputed: “The Fox River deal is missing from this line\.” \(awaiting an answer\)$/)
      .waitFor()
    await settle(rep.page)
    expect(await seriousViolations(rep.page)).toEqual([])
    await rep.page.screenshot({ path: screenshot('statement-disputes'), fullPage: true })
    expect(rep.errors).toEqual([])

    const manager = await signedIn('manager')
    await visit(manager.page, '/disputes', 'Disputes')
    const dispute = manager.page.locator('section.card').filter({
      has: manager.page.getByRole('heading', { name: `r01 · 2026-10 · entry #${seq}` }),
    })
    await dispute.getByText('“The Fox River deal is missing from this line.”').waitFor()
    await dispute.getByRole('button', { name: 'Accept' }).waitFor()
    expect(await seriousViolations(manager.page)).toEqual([])
    expect(manager.errors).toEqual([])
  })

  it('a manager applies one outcome and asks to waive another; the owner approves the waiver', async () => {
    const manager = await signedIn('manager')
    await visit(manager.page, '/follow-through', 'Follow-through')
    const open = manager.page.locator('tbody tr').filter({
      has: manager.page.getByRole('button', { name: 'Apply…' }),
    })
    expect(await open.count()).toBeGreaterThanOrEqual(2)
    const applied = await outcomeId(open.nth(0))
    const waived = await outcomeId(open.nth(1))
    const row = (id: string) => manager.page.locator(`tr[data-outcome="${id}"]`)

    await row(applied).getByRole('button', { name: 'Apply…' }).click()
    const form = row(applied).locator('form')
    await fillAll(form)
    await form.getByLabel('What was done').fill('Done in the one-to-one of 16 November.')
    await form.getByRole('button', { name: 'Record as applied' }).click()
    await manager.page
      .getByRole('status')
      .filter({ hasText: /^Applied: / })
      .waitFor()
    await row(applied).waitFor({ state: 'detached' })

    await row(waived).getByRole('button', { name: 'Waive…' }).click()
    await row(waived)
      .getByLabel(/Why it should be waived/)
      .fill('Out on medical leave for half the month.')
    await row(waived).getByRole('button', { name: 'Ask to waive' }).click()
    await row(waived).getByText('(awaiting a second approver)', { exact: false }).waitFor()
    await settle(manager.page)
    // Asked: the item awaits the second approver, with no form left open and no action of its own.
    expect(await row(waived).locator('form').count()).toBe(0)
    expect(await row(waived).getByRole('button').count()).toBe(0)
    expect(await seriousViolations(manager.page)).toEqual([])
    await manager.page.screenshot({ path: screenshot('follow-through'), fullPage: true })

    await manager.page.getByRole('button', { name: 'applied', exact: true }).click()
    await row(applied).waitFor()
    expect(await row(applied).textContent()).toContain('applied')
    expect(manager.errors).toEqual([])

    const owner = await signedIn('owner')
    await visit(owner.page, '/follow-through', 'Follow-through')
    const ownerRow = owner.page.locator(`tr[data-outcome="${waived}"]`)
    await ownerRow.getByText('“Out on medical leave for half the month.”', { exact: false }).waitFor()
    await ownerRow.getByRole('button', { name: 'Approve waiver' }).click()
    await owner.page
      .getByRole('status')
      .filter({ hasText: /approved\.$/ })
      .waitFor()
    await ownerRow.waitFor({ state: 'detached' })
    await owner.page.getByRole('button', { name: 'waived', exact: true }).click()
    await ownerRow.waitFor()
    expect(await ownerRow.textContent()).toContain('waived')
    expect(owner.errors).toEqual([])
  })

  it('a manager imports a HubSpot export of the team and closes the period', async () => {
    const { page, errors } = await signedIn('manager')
    // A first dry run, so that the second one says what the import changed.
    await visit(page, '/close', 'Close a period')
    await expect(page.getByLabel('Period').inputValue()).resolves.toBe('2026-11')
    await page.getByRole('button', { name: 'Dry run' }).click()
    await page.getByRole('heading', { name: /^2026-11: \d+ reps, payouts / }).waitFor({ timeout: 60_000 })

    await visit(page, '/imports', 'Imports')
    await page.getByLabel('What the file holds').selectOption('deals')
    await page.getByLabel('How to read it').selectOption({ label: 'HubSpot deals export' })
    await page.getByLabel('CSV file').setInputFiles(HUBSPOT_NORTH)
    await page.getByRole('button', { name: 'Preview' }).click()
    await page.getByRole('heading', { name: 'Preview: nothing stored yet' }).waitFor()
    const outcome = page.locator('section').filter({ has: page.locator('#outcome-title') })
    await expect(outcome.locator('p').first().textContent()).resolves.toBe(
      '5 rows: 4 new, 0 changed, 0 unchanged, 1 left out by the mapping (if imported).',
    )
    await page.getByRole('cell', { name: '25234567901' }).waitFor()
    await settle(page)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshot('imports-preview'), fullPage: true })
    await page.getByRole('button', { name: 'Import' }).click()
    await page.getByRole('heading', { name: 'Imported' }).waitFor()
    await expect(outcome.locator('p').first().textContent()).resolves.toBe(
      '5 rows: 4 new, 0 changed, 0 unchanged, 1 left out by the mapping.',
    )
    await page.getByRole('cell', { name: 'hubspot-deals-north.csv' }).waitFor()

    await visit(page, '/close', 'Close a period')
    await page.getByRole('button', { name: 'Dry run' }).click()
    const changes = page
      .locator('section')
      .filter({ has: page.getByRole('heading', { name: 'What changed since the last dry run' }) })
    await changes.getByRole('listitem').first().waitFor({ timeout: 60_000 })
    const changed = await changes.getByRole('listitem').allTextContents()
    // Ben Okafor's $9,400.00 project at the plan's 5%: $470.00 more. Darius Walsh's hardware pays
    // no commission: his payout is unchanged. Ana Castillo's managed deal changes hers.
    const r02 = /^r02: payout (\d+) → (\d+) \(minor units\)\.$/.exec(
      changed.find((c) => c.startsWith('r02')) ?? '',
    )
    expect(Number(r02?.[2]) - Number(r02?.[1])).toBe(47_000)
    expect(changed.some((c) => c.startsWith('r01: payout '))).toBe(true)
    expect(changed.some((c) => c.startsWith('r04'))).toBe(false)
    await settle(page)
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: screenshot('close-review'), fullPage: true })
    await page.getByRole('button', { name: 'Close 2026-11' }).click()
    await page.getByText(/^2026-11 is closed\. Ledger head #\d+ /).waitFor({ timeout: 60_000 })
    expect(errors).toEqual([])
  })
})

async function outcomeId(row: Locator): Promise<string> {
  const id = await row.getAttribute('data-outcome')
  if (id === null) throw new Error('A follow-through row without its outcome id.')
  return id
}

/** Fills the fields an effect asks for (dates, days, references), as a manager would. */
async function fillAll(form: Locator): Promise<void> {
  for (const input of await form.locator('input').all()) {
    const type = await input.getAttribute('type')
    const id = (await input.getAttribute('id')) ?? ''
    if (type === 'date') await input.fill('2026-11-16')
    else if (type === 'number') await input.fill('1')
    else if (id.endsWith('-raise')) await input.fill('0.03')
    else if (!id.endsWith('-note')) await input.fill('HR-2026-118')
  }
}
