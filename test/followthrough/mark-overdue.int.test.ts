import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyOutcome } from '../../src/app/followthrough/apply-outcome.ts'
import { setDueDays } from '../../src/app/followthrough/due-days.ts'
import { listOutcomeEvents, listOutcomes } from '../../src/app/followthrough/list-outcomes.ts'
import { markOverdue } from '../../src/app/followthrough/mark-overdue.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { as, closeMonths, seedExample } from './setup.ts'

// New York moves its clocks from 02:00 EST (UTC−5) to 03:00 EDT (UTC−4) on Sunday 2026-03-08, so
// the local midnight that ends March 8 is 2026-03-09T04:00:00Z (a fixed −5 offset would say 05:00Z,
// UTC itself 00:00Z).
describe('markOverdue', () => {
  let db: Database
  let dueOn8: string[]
  beforeAll(async () => {
    db = await testDatabase()
    await seedExample(db, 'ny')
    await db.query(`update organizations set timezone = 'America/New_York' where id = 'ny'`)
    // 8 days after the period end: January's items are due Feb 8, February's Mar 8 (Feb 28 + 8).
    await setDueDays(db, {
      orgId: 'ny',
      actor: 'olga',
      now: new Date('2026-01-01T00:00:00Z'),
      days: { default: 8 },
    })
    await closeMonths(db, 'ny', ['2026-01', '2026-02'], new Date('2026-03-02T12:00:00Z'))
    const open = await listOutcomes(db, {
      orgId: 'ny',
      actor: as.admin,
      now: new Date(),
      state: 'due',
      period: '2026-02',
    })
    dueOn8 = open.map((o) => o.id).sort()
    expect(dueOn8.length).toBeGreaterThan(0)
    expect(new Set(open.map((o) => o.dueOn))).toEqual(new Set(['2026-03-08']))
  })
  afterAll(() => db.close())

  it('marks January items overdue, not those due on March 8 while it is still March 8 in New York', async () => {
    // 2026-03-09T03:59:59Z is 23:59:59 EDT on March 8 (and already March 9 in UTC)
    const first = await markOverdue(db, { orgId: 'ny', now: new Date('2026-03-09T03:59:59Z') })
    expect(first.today).toBe('2026-03-08')
    expect(first.overdue.length).toBeGreaterThan(0)
    expect(new Set(first.overdue.map((o) => o.period))).toEqual(new Set(['2026-01']))
    expect(
      first.overdue.every((o) => o.state === 'overdue' && o.overdueAt === '2026-03-09T03:59:59.000Z'),
    ).toBe(true)
  })

  it('turns the March 8 items overdue at local midnight, 04:00Z after the clock change, and only once', async () => {
    const early = await markOverdue(db, { orgId: 'ny', now: new Date('2026-03-09T00:30:00Z') })
    expect(early).toEqual({ today: '2026-03-08', overdue: [] })
    const atMidnight = await markOverdue(db, { orgId: 'ny', now: new Date('2026-03-09T04:00:00Z') })
    expect(atMidnight.today).toBe('2026-03-09')
    expect(atMidnight.overdue.map((o) => o.id).sort()).toEqual(dueOn8)
    // Idempotent: nothing newly overdue when run again
    expect((await markOverdue(db, { orgId: 'ny', now: new Date('2026-03-09T04:30:00Z') })).overdue).toEqual(
      [],
    )
    const id = dueOn8[0] ?? ''
    const events = await listOutcomeEvents(db, { orgId: 'ny', id })
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['open', 'closer'],
      ['overdue', 'system'],
    ])
    expect(events[1]?.after).toMatchObject({ state: 'overdue', dueOn: '2026-03-08', today: '2026-03-09' })
    const [audit] = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where org_id = 'ny' and action = 'outcome.overdue' and subject = $1`,
      [id],
    )
    expect(audit?.n).toBe(1)
  })

  it('applies an overdue item late: applied, with the time it became overdue kept', async () => {
    const o = (await listOutcomes(db, { orgId: 'ny', actor: as.admin, now: new Date(), overdue: true })).find(
      (x) => x.effect === 'warning',
    )
    if (o === undefined) throw new Error('no overdue warning')
    const applied = await applyOutcome(db, {
      orgId: 'ny',
      actor: as.owner,
      now: new Date('2026-03-10T15:00:00Z'),
      id: o.id,
      note: 'Delivered late',
      detail: { delivered_on: '2026-03-10', acknowledged_on: '2026-03-10' },
    })
    expect(applied).toMatchObject({ state: 'applied', overdueAt: o.overdueAt })
    expect(o.overdueAt).not.toBeNull()
  })
})
