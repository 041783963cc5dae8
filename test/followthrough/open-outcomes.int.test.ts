import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { reopenPeriod } from '../../src/app/close/reopen-period.ts'
import { setDueDays } from '../../src/app/followthrough/due-days.ts'
import { listOutcomes, listOutcomeEvents } from '../../src/app/followthrough/list-outcomes.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { as, seedExample } from './setup.ts'

const now = new Date('2026-03-02T15:00:00Z')

describe('openOutcomes (through closePeriod)', () => {
  let db: Database
  let january: Awaited<ReturnType<typeof closePeriod>>
  beforeAll(async () => {
    db = await testDatabase()
    await seedExample(db, 'acme')
    january = await closePeriod(db, { orgId: 'acme', period: '2026-01', actor: 'closer', now, dryRun: false })
  })
  afterAll(() => db.close())

  it('opens one item per effect of every rule that fired, owned by the manager, due 7 days after the period end', async () => {
    // Given the close of January: every (rep, rule, effect) the result states
    const stated = january.result.plans.flatMap((p) =>
      (p.periods[0]?.reps ?? []).flatMap((r) =>
        r.outcomes.flatMap((o) =>
          Object.entries(o.effects).map(([effect, detail]) => ({ rep: r.rep, rule: o.rule, effect, detail })),
        ),
      ),
    )
    expect(stated.length).toBeGreaterThan(0)
    // When the items are listed
    const items = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now, period: '2026-01' })
    // Then they are exactly those, with owner = reps.manager and due = 2026-01-31 + 7 days
    const key = (x: { rep: string; rule: string; effect: string }) => `${x.rep} ${x.rule} ${x.effect}`
    expect(items.map((i) => key({ rep: i.repId, rule: i.rule, effect: i.effect })).sort()).toEqual(
      stated.map(key).sort(),
    )
    for (const item of items) {
      expect(item.detail).toEqual(
        stated.find((s) => key(s) === key({ rep: item.repId, rule: item.rule, effect: item.effect }))?.detail,
      )
      expect(item.owner).toBe(Number(item.repId.slice(1)) <= 6 ? 'm1' : 'm2')
      expect(item.dueOn).toBe('2026-02-07')
      expect(item.closeId).toBe(january.closeId)
      if (['bonus', 'forfeit', 'boost'].includes(item.effect)) {
        expect(item).toMatchObject({ state: 'applied', appliedBy: 'close', appliedAt: now.toISOString() })
      } else {
        expect(item).toMatchObject({ state: 'due', appliedBy: null })
      }
    }
  })

  it('records an open event, an audit row and a zero ledger entry per item, and the ledger still verifies', async () => {
    const items = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now, period: '2026-01' })
    const first = items[0]
    if (first === undefined) throw new Error('no items')
    const events = await listOutcomeEvents(db, { orgId: 'acme', id: first.id })
    expect(events).toMatchObject([
      { seq: 1, action: 'open', before: null, after: { state: first.state, dueOn: '2026-02-07' } },
    ])
    const [audit] = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log where org_id = 'acme' and action = 'outcome.open'`,
    )
    expect(audit?.n).toBe(items.length)
    const ledger = await db.query<{ n: number; total: string }>(
      `select count(*)::int as n, sum(amount_minor)::text as total from ledger_entries where org_id = 'acme' and kind = 'outcome'`,
    )
    expect(ledger[0]).toEqual({ n: items.length, total: '0' })
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })

  it('counts due days from the organization setting per effect', async () => {
    await setDueDays(db, { orgId: 'acme', actor: 'olga', now, days: { default: 10, warning: 3 } })
    await closePeriod(db, { orgId: 'acme', period: '2026-02', actor: 'closer', now, dryRun: false })
    const items = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now, period: '2026-02' })
    expect(items.length).toBeGreaterThan(0)
    for (const item of items) expect(item.dueOn).toBe(item.effect === 'warning' ? '2026-03-03' : '2026-03-10')
  })

  it('keeps the items of a reopened period that are still stated when it is closed again, without duplicates', async () => {
    const before = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now, period: '2026-02' })
    await reopenPeriod(db, { orgId: 'acme', period: '2026-02', reason: 'late data', actor: 'olga', now })
    await closePeriod(db, { orgId: 'acme', period: '2026-02', actor: 'closer', now, dryRun: false })
    const after = await listOutcomes(db, { orgId: 'acme', actor: as.admin, now, period: '2026-02' })
    expect(after.map((i) => i.id).sort()).toEqual(before.map((i) => i.id).sort())
    const first = after[0]
    if (first === undefined) throw new Error('no items')
    expect((await listOutcomeEvents(db, { orgId: 'acme', id: first.id })).map((e) => e.action)).toEqual([
      'open',
      'restate',
    ])
  })
})
