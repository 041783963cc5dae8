import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseError, closePeriod } from '../../src/app/close/close-period.ts'
import { reopenPeriod } from '../../src/app/close/reopen-period.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import { payrollFor } from '../../src/app/payouts/payouts.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { calc } from '../support/calc.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed, seedDeals } from '../support/seed.ts'

const files = {
  plans: [example('plan.yaml'), example('manager-plan.yaml')],
  reps: example('reps.csv'),
  deals: example('deals.csv'),
  activities: example('activities.csv'),
  quotas: example('quotas.csv'),
}
const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
const now = new Date('2027-01-05T12:00:00Z')

describe('closePeriod', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await seed(db, 'acme', files)
  })
  afterAll(() => db.close())

  it('gives, month by month, exactly what calc gives over the same data as files', async () => {
    const files2 = { plans: { 'plan.yaml': files.plans[0] ?? '', 'manager-plan.yaml': files.plans[1] ?? '' } }
    const expected = await calc({
      ...files2,
      reps: files.reps,
      deals: files.deals,
      activities: files.activities,
      quotas: files.quotas,
      from: '2026-01',
      to: '2026-12',
    })
    expect(expected.status).toBe(0)
    for (const month of months) {
      const closed = await closePeriod(db, {
        orgId: 'acme',
        period: month,
        actor: 'test',
        now,
        dryRun: false,
      })
      for (const plan of expected.json.plans) {
        const want = plan.periods.find((p) => p.period === month)
        const got = closed.result.plans.find((p) => p.id === plan.id)?.periods[0]
        expect(got?.reps, `${plan.id} ${month}`).toEqual(want?.reps)
      }
    }
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })

  it('refuses to close a closed period again', async () => {
    await expect(
      closePeriod(db, { orgId: 'acme', period: '2026-03', actor: 'test', now, dryRun: false }),
    ).rejects.toThrow(/already closed/)
  })

  it('books late data for a closed period as a prior-period adjustment in the next close', async () => {
    // Given December is reopened and a November deal of r01 gains 1,000.00 of MRR after November closed
    await reopenPeriod(db, { orgId: 'acme', period: '2026-12', reason: 'late deal', actor: 'test', now })
    const before = await payrollFor(db, { orgId: 'acme', period: '2026-11', lines: false })
    await seedDeals(
      db,
      'acme',
      'id,rep,closed_on,type,mrr,term_months\nLATE1,r01,2026-11-20,managed,1000.00,12\n',
    )
    // When December closes again
    const closed = await closePeriod(db, {
      orgId: 'acme',
      period: '2026-12',
      actor: 'test',
      now,
      dryRun: false,
    })
    // Then r01's December has an adjustment line for what November now owes beyond what it paid
    const r01 = closed.result.plans[0]?.periods[0]?.reps.find((r) => r.rep === 'r01')
    const adjustment = r01?.lines.find((l) => l.kind === 'adjustment')
    expect(adjustment).toBeDefined()
    expect(adjustment?.amount).toBeGreaterThan(0)
    // and November's booked payouts did not change
    expect((await payrollFor(db, { orgId: 'acme', period: '2026-11', lines: false })).rows).toEqual(
      before.rows,
    )
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })

  it('reverses a reopened period with new entries and keeps the chain whole', async () => {
    const payrollBefore = await payrollFor(db, { orgId: 'acme', period: '2026-12', lines: false })
    const out = await reopenPeriod(db, {
      orgId: 'acme',
      period: '2026-12',
      reason: 'recheck',
      actor: 'test',
      now,
    })
    expect(out.reversed).toBeGreaterThan(0)
    const afterReopen = await db.query<{ total: string }>(
      `select coalesce(sum(amount_minor), 0)::text as total from ledger_entries where org_id = 'acme' and period = '2026-12'`,
    )
    expect(afterReopen[0]?.total).toBe('0')
    await closePeriod(db, { orgId: 'acme', period: '2026-12', actor: 'test', now, dryRun: false })
    expect((await payrollFor(db, { orgId: 'acme', period: '2026-12', lines: false })).rows).toEqual(
      payrollBefore.rows,
    )
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })

  it('refuses to close out of order', async () => {
    await expect(
      closePeriod(db, { orgId: 'acme', period: '2027-02', actor: 'test', now, dryRun: false }),
    ).rejects.toBeInstanceOf(CloseError)
  })

  it('shows what changed since the last dry run without storing anything', async () => {
    const first = await closePeriod(db, {
      orgId: 'acme',
      period: '2027-01',
      actor: 'test',
      now,
      dryRun: true,
    })
    expect(first.changes).toEqual(['First dry run of this period.'])
    await seedDeals(
      db,
      'acme',
      'id,rep,closed_on,type,mrr,term_months\nJAN1,r02,2027-01-10,managed,9000.00,12\n',
    )
    const second = await closePeriod(db, {
      orgId: 'acme',
      period: '2027-01',
      actor: 'test',
      now,
      dryRun: true,
    })
    expect(second.changes.some((c) => c.startsWith('r02: payout'))).toBe(true)
    const [status] = await db.query(`select * from periods where org_id = 'acme' and key = '2027-01'`)
    expect(status).toBeUndefined()
  })
})

describe('verifyLedger', () => {
  it('names the first entry changed directly in the database', async () => {
    const db = await testDatabase()
    try {
      await seed(db, 'acme', files)
      await closePeriod(db, { orgId: 'acme', period: '2026-01', actor: 'test', now, dryRun: false })
      // Given someone with the owner's rights bypasses the trigger and edits entry 3
      await db.exec('alter table ledger_entries disable trigger ledger_entries_append_only')
      await db.query(
        `update ledger_entries set amount_minor = amount_minor + 100 where org_id = 'acme' and seq = 3`,
      )
      expect(await verifyLedger(db, 'acme')).toEqual({
        ok: false,
        entries: 2,
        brokenAt: 3n,
        reason: 'entry 3 was changed after it was written',
      })
    } finally {
      await db.close()
    }
  })
})
