import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { reopenPeriod } from '../../src/app/close/reopen-period.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import { payrollFor } from '../../src/app/payouts/payouts.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { calc } from '../support/calc.ts'
import { testDatabase } from '../support/db.ts'
import { example, seed, seedDeals } from '../support/seed.ts'

// A close computes its one period from the state stored with the previous close (the carried
// path) when nothing the closed periods were computed from changed; otherwise it recomputes from
// the first closed period (the full path), as before. CloseOutcome.path says which (ADR 0009).

const files = {
  plans: [example('plan.yaml'), example('manager-plan.yaml')],
  reps: example('reps.csv'),
  deals: example('deals.csv'),
  activities: example('activities.csv'),
  quotas: example('quotas.csv'),
}
const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)
const now = new Date('2027-01-05T12:00:00Z')
const LATE = 'LATE1,r01,2026-09-20,managed,Late Customer,1000.00,12,,\n'

const CANCELLED = 'D354,r05,2026-11-05,managed,Redwood Law Partners Co.,1958.89,12,,2026-12-10'

async function calcYear(deals = files.deals) {
  const out = await calc({
    plans: { 'plan.yaml': files.plans[0] ?? '', 'manager-plan.yaml': files.plans[1] ?? '' },
    reps: files.reps,
    deals,
    activities: files.activities,
    quotas: files.quotas,
    from: '2026-01',
    to: '2026-12',
  })
  expect(out.status).toBe(0)
  return out.json
}

describe('closing from carried state', () => {
  let db: Database
  const close = (period: string, dryRun = false) =>
    closePeriod(db, { orgId: 'acme', period, actor: 'test', now, dryRun })
  beforeAll(async () => {
    db = await testDatabase()
    await seed(db, 'acme', files)
  }, 120_000)
  afterAll(() => db.close())

  it('closes month by month on the carried path, to the cent what calc gives, clawbacks included', async () => {
    const expected = await calcYear()
    const paths: string[] = []
    for (const month of months.slice(0, 10)) {
      const closed = await close(month)
      paths.push(closed.path)
      for (const plan of expected.plans) {
        const want = plan.periods.find((p) => p.period === month)
        const got = closed.result.plans.find((p) => p.id === plan.id)?.periods[0]
        expect(got?.reps, `${plan.id} ${month}`).toEqual(want?.reps)
      }
    }
    expect(paths).toEqual(['full', ...Array<string>(9).fill('carried')])
    // Clawbacks of deals closed before the carried periods were booked in them (e.g. D069: closed in
    // March, cancelled in November is outside the window; D014: January, cancelled in March).
    const [clawbacks] = await db.query<{ n: number }>(
      `select count(*)::int as n from ledger_entries where org_id = 'acme' and kind = 'clawback' and period > '2026-01'`,
    )
    expect(clawbacks?.n).toBeGreaterThan(0)
    // Every close stored its state: one row per plan and one for the close.
    const [states] = await db.query<{ n: number }>(
      `select count(distinct close_id)::int as n from close_states where org_id = 'acme'`,
    )
    expect(states?.n).toBe(10)
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })

  it('takes the full path for a late deal in a closed period and books it as an adjustment', async () => {
    // Given a September deal of r01 stored after September closed
    await seedDeals(db, 'acme', `${files.deals.split('\n')[0] ?? ''}\n${LATE}`)
    // When November closes
    const dry = await close('2026-11', true)
    expect(dry.path).toBe('full')
    expect(dry.fullBecause).toMatch(/changed since the last close/)
    const nov = await close('2026-11')
    // Then it recomputes from January and books what September now owes
    expect(nov.path).toBe('full')
    const r01 = nov.result.plans[0]?.periods[0]?.reps.find((r) => r.rep === 'r01')
    expect(r01?.lines.find((l) => l.kind === 'adjustment')?.amount).toBeGreaterThan(0)
    // Given then a November deal cancelled in December (a clawback, no change to November)
    await seedDeals(db, 'acme', `${files.deals.split('\n')[0] ?? ''}\n${CANCELLED}\n`)
    // December is carried again, and is what calc gives with the late deal and the cancellation
    const dec = await close('2026-12')
    expect(dec.path).toBe('carried')
    const r05 = dec.result.plans[0]?.periods[0]?.reps.find((r) => r.rep === 'r05')
    expect(r05?.lines.find((l) => l.kind === 'clawback')?.deal).toBe('D354')
    const expected = await calcYear(files.deals.replace(/^D354,.*$/m, CANCELLED) + LATE)
    for (const plan of expected.plans) {
      const got = dec.result.plans.find((p) => p.id === plan.id)?.periods[0]
      expect(got?.reps, plan.id).toEqual(plan.periods.find((p) => p.period === '2026-12')?.reps)
    }
  })

  it('reopens and closes again on the carried path, to the same payroll', async () => {
    const before = await payrollFor(db, { orgId: 'acme', period: '2026-12', lines: false })
    await reopenPeriod(db, { orgId: 'acme', period: '2026-12', reason: 'recheck', actor: 'test', now })
    const again = await close('2026-12')
    expect(again.path).toBe('carried')
    expect((await payrollFor(db, { orgId: 'acme', period: '2026-12', lines: false })).rows).toEqual(
      before.rows,
    )
    // November reopened too: October's stored state predates the late September deal, so
    // November is recomputed in full (booking the adjustment again), and December carried from it.
    await reopenPeriod(db, { orgId: 'acme', period: '2026-12', reason: 'again', actor: 'test', now })
    await reopenPeriod(db, { orgId: 'acme', period: '2026-11', reason: 'recheck', actor: 'test', now })
    const nov = await close('2026-11')
    expect(nov.path).toBe('full')
    expect(
      nov.result.plans[0]?.periods[0]?.reps.find((r) => r.rep === 'r01')?.lines.map((l) => l.kind),
    ).toContain('adjustment')
    const dec = await close('2026-12')
    expect(dec.path).toBe('carried')
    expect((await payrollFor(db, { orgId: 'acme', period: '2026-12', lines: false })).rows).toEqual(
      before.rows,
    )
    expect(await verifyLedger(db, 'acme')).toMatchObject({ ok: true })
  })

  it('takes the full path when a rep or a quota of a closed period changes', async () => {
    await reopenPeriod(db, { orgId: 'acme', period: '2026-12', reason: 'checks', actor: 'test', now })
    expect((await close('2026-12', true)).path).toBe('carried')
    // A rep's manager changes (team metrics of closed periods may change): full, and back: carried
    const [rep] = await db.query<{ id: string; manager: string }>(
      `select id, manager from reps where org_id = 'acme' and manager is not null order by id limit 1`,
    )
    await db.query(`update reps set manager = null where org_id = 'acme' and id = $1`, [rep?.id])
    const moved = await close('2026-12', true)
    expect([moved.path, moved.fullBecause]).toEqual([
      'full',
      expect.stringMatching(/changed since the last close/),
    ])
    await db.query(`update reps set manager = $2 where org_id = 'acme' and id = $1`, [rep?.id, rep?.manager])
    expect((await close('2026-12', true)).path).toBe('carried')
    // A quota of March changes: full
    await db.query(
      `update quotas set amount = amount + 1 where org_id = 'acme' and period = '2026-03' and rep_id = 'm1'`,
    )
    expect((await close('2026-12', true)).path).toBe('full')
    const dec = await close('2026-12')
    expect(dec.path).toBe('full')
    // and the next close is carried from December's state
    const jan = await close('2027-01', true)
    expect([jan.path, jan.fullBecause]).toEqual(['carried', null])
  })

  it('takes the full path when a plan version changes', async () => {
    // Given a new version of the AE plan (a changed rate), effective from January 2027
    const text = files.plans[0]?.replace(/rate: 100%/, 'rate: 101%') ?? ''
    expect(text).not.toBe(files.plans[0])
    await db.transaction((tx) =>
      publishPlan(tx, { orgId: 'acme', text, file: 'plan.yaml', actor: 'test', now }),
    )
    // When January 2027 closes, it recomputes from the first closed period
    const jan = await close('2027-01', true)
    expect(jan.path).toBe('full')
    expect(jan.fullBecause).toMatch(/plan version/)
  })
})
