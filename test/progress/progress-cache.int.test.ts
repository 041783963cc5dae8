import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { importFile } from '../../src/app/import/import-file.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { ProgressCache, progressOf } from '../../src/app/progress/progress-cache.ts'
import { progressReport } from '../../src/app/progress/progress.ts'
import { formatFixed } from '../../src/core/money/rational.ts'
import { testDatabase } from '../support/db.ts'
import { demoCompany } from '../reports/demo-company.ts'

const ORG = 'demo'
const now = new Date('2026-05-01T12:00:00Z')
const asOf = '2026-04-28'
let db: Database

beforeAll(async () => {
  db = await testDatabase()
  await demoCompany(db, ORG, new Date('2026-04-02T12:00:00Z')) // January to March closed
}, 300_000)

afterAll(async () => {
  await db?.close()
})

const fresh = async () => (await progressReport(db, { orgId: ORG, now, asOf })).reps
const newMrr = (reps: readonly { rep: string; metrics: readonly { metric: string; value: never }[] }[]) =>
  reps.find((r) => r.rep === 'r01')?.metrics.find((m) => m.metric === 'new_mrr')
    ?.value as unknown as Parameters<typeof formatFixed>[0]

async function importDeals(name: string, text: string): Promise<void> {
  const out = await importFile(db, {
    orgId: ORG,
    kind: 'deals',
    file: textSource(name, text),
    actor: 'crm',
    now,
  })
  expect(out.ok).toBe(true)
}

describe('ProgressCache', () => {
  it('equals a fresh progressReport, and serves the same answer while nothing changed', async () => {
    const cache = new ProgressCache()
    const first = await cache.report(db, { orgId: ORG, now, asOf })
    expect([...first.reps]).toEqual(await fresh())
    expect(first.reps.length).toBeGreaterThan(10)
    expect(await cache.report(db, { orgId: ORG, now, asOf })).toBe(first)
    expect(progressOf(first, 'r01').map((r) => r.rep)).toEqual(['r01'])
    expect(() => progressOf(first, 'nobody')).toThrow(/There is no rep "nobody"/)
  })

  it('shows a new deal on the next request, equal to a fresh progressReport (the manager chain too)', async () => {
    const cache = new ProgressCache()
    const before = await cache.report(db, { orgId: ORG, now, asOf })
    // r01's new MRR on April 28: D127 (5,741.57) alone
    expect(formatFixed(newMrr(before.reps as never), 2)).toBe('5741.57')

    await importDeals(
      'one-deal.csv',
      'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n' +
        'DX1,r01,2026-04-20,managed,Prairie Dental,1000.00,12,,\n',
    )
    const after = await cache.report(db, { orgId: ORG, now, asOf })
    expect(after).not.toBe(before)
    // 5,741.57 + 1,000.00
    expect(formatFixed(newMrr(after.reps as never), 2)).toBe('6741.57')
    expect([...after.reps]).toEqual(await fresh())
    // only r01 and its manager m1 (team metrics) were run again: every other answer is the one kept
    const rerun = after.reps.filter((r) => !before.reps.includes(r)).map((r) => r.rep)
    expect([...new Set(rerun)].sort()).toEqual(['m1', 'r01'])
    expect(after.reps.find((r) => r.rep === 'm1')).not.toEqual(before.reps.find((r) => r.rep === 'm1'))
  })

  it('moves a deal from one rep to another: both (and their manager) as a fresh report has them', async () => {
    const cache = new ProgressCache()
    const before = await cache.report(db, { orgId: ORG, now, asOf })
    await importDeals(
      'deal-moved.csv',
      'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n' +
        'DX1,r01:50;r02:50,2026-04-20,managed,Prairie Dental,1000.00,12,,\n',
    )
    const after = await cache.report(db, { orgId: ORG, now, asOf })
    expect([...after.reps]).toEqual(await fresh())
    const rerun = new Set(after.reps.filter((r) => !before.reps.includes(r)).map((r) => r.rep))
    expect([...rerun].sort()).toEqual(['m1', 'r01', 'r02'])
    await importDeals(
      'deal-moved-again.csv',
      'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n' +
        'DX1,r02,2026-04-20,managed,Prairie Dental,1000.00,12,,\n',
    )
    expect([...(await cache.report(db, { orgId: ORG, now, asOf })).reps]).toEqual(await fresh())
  })

  it('takes in activities, and computes the whole again after another kind of change (quotas)', async () => {
    const cache = new ProgressCache()
    await cache.report(db, { orgId: ORG, now, asOf })
    const acts = await importFile(db, {
      orgId: ORG,
      kind: 'activities',
      file: textSource(
        'acts.csv',
        'id,rep,kind,occurred_on\nAX1,r03,meeting,2026-04-21\nAX2,r03,call,2026-04-22\n',
      ),
      actor: 'crm',
      now,
    })
    expect(acts.ok).toBe(true)
    const withActs = await cache.report(db, { orgId: ORG, now, asOf })
    expect([...withActs.reps]).toEqual(await fresh())
    const quotas = await importFile(db, {
      orgId: ORG,
      kind: 'quotas',
      file: textSource('q.csv', 'rep,period,metric,amount\nr05,2026-04,new_mrr,9000\n'),
      actor: 'ann',
      now,
    })
    expect(quotas.ok).toBe(true)
    const withQuota = await cache.report(db, { orgId: ORG, now, asOf })
    expect([...withQuota.reps]).toEqual(await fresh())
    // a whole computation: no answer is the one kept
    expect(withQuota.reps.some((r) => withActs.reps.includes(r))).toBe(false)
  })

  it('moves with a change of an existing deal too (the same id, a new amount)', async () => {
    const cache = new ProgressCache()
    await cache.report(db, { orgId: ORG, now, asOf })
    await importDeals(
      'one-deal-changed.csv',
      'id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on\n' +
        'DX1,r01,2026-04-20,managed,Prairie Dental,2500.00,12,,\n',
    )
    const after = await cache.report(db, { orgId: ORG, now, asOf })
    expect(formatFixed(newMrr(after.reps as never), 2)).toBe('8241.57')
    expect([...after.reps]).toEqual(await fresh())
  })

  it('keeps days apart: another as-of date is its own answer', async () => {
    const cache = new ProgressCache()
    const earlier = await cache.report(db, { orgId: ORG, now, asOf: '2026-04-10' })
    expect([...earlier.reps]).toEqual(
      (await progressReport(db, { orgId: ORG, now, asOf: '2026-04-10' })).reps,
    )
    // DX1 (April 20) is not there yet on April 10
    expect(formatFixed(newMrr(earlier.reps as never), 2)).not.toBe(
      formatFixed(newMrr((await cache.report(db, { orgId: ORG, now, asOf })).reps as never), 2),
    )
  })
})
