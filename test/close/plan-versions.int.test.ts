import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closePeriod } from '../../src/app/close/close-period.ts'
import { reopenPeriod } from '../../src/app/close/reopen-period.ts'
import { verifyLedger } from '../../src/app/ledger/ledger.ts'
import { approvePayouts, payrollFor, statementFor } from '../../src/app/payouts/payouts.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import type { Io } from '../../src/adapters/cli/main.ts'
import { statementCommand } from '../../src/adapters/cli/payout-command.ts'
import { seedDeals } from '../support/seed.ts'

const ORG = 'flat-co'
/** A flat commission on the deals' amounts: v1 pays 10%, v2 20%. */
const plan = (rate: string) => `version: 1
id: flat
name: Flat
currency: USD
period: month
timezone: UTC
metrics:
  booked: { sum: amount }
commissions:
  - id: amount
    on: booked
    rate: ${rate}
`
const at = (iso: string) => new Date(iso)

describe('plan versions in a close', () => {
  let db: Database
  const publish = (text: string, now: Date, effectiveFrom?: string) =>
    db.transaction((tx) =>
      publishPlan(tx, {
        orgId: ORG,
        text,
        file: 'flat.yaml',
        actor: 'ann',
        now,
        ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
      }),
    )
  const close = (period: string, now: Date) =>
    closePeriod(db, { orgId: ORG, period, actor: 'ann', now, dryRun: false })
  const r1 = (out: Awaited<ReturnType<typeof close>>) =>
    out.result.plans[0]?.periods[0]?.reps.find((r) => r.rep === 'r1')
  const versionsOf = async (period: string) =>
    (
      await db.query<{ plan_version: number }>(
        `select distinct r.plan_version from results r join close_runs c on c.org_id = r.org_id and c.id = r.close_id
          where r.org_id = $1 and r.period = $2 order by 1`,
        [ORG, period],
      )
    ).map((r) => Number(r.plan_version))

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(`insert into organizations (id, name) values ($1, $1)`, [ORG])
    await db.query(
      `insert into reps (org_id, id, name, plan, hired_on) values ($1, 'r1', 'R One', 'flat', '2025-01-01')`,
      [ORG],
    )
    await seedDeals(db, ORG, 'id,rep,closed_on,amount\nD1,r1,2026-01-10,1000.00\nD2,r1,2026-02-10,2000.00\n')
    await db.query(`update deals set updated_at = '2026-01-15T00:00:00Z' where org_id = $1`, [ORG])
  }, 60_000)
  afterAll(() => db.close())

  it('keeps the version a period was closed with, and uses a newer one from the next open period', async () => {
    // Given v1 (10%) and January closed with it
    expect(await publish(plan('10%'), at('2026-01-01T00:00:00Z'))).toMatchObject({
      version: 1,
      effectiveFrom: null,
    })
    const jan = await close('2026-01', at('2026-02-01T00:00:00Z'))
    expect(r1(jan)?.payout).toBe(10000) // 1,000.00 × 10%
    // When v2 (20%) is published, it applies from February, the first period not closed
    expect(await publish(plan('20%'), at('2026-02-05T00:00:00Z'))).toMatchObject({
      version: 2,
      effectiveFrom: '2026-02-01',
    })
    // and a late January deal of 500.00 arrives after January closed
    await seedDeals(db, ORG, 'id,rep,closed_on,amount\nL1,r1,2026-01-20,500.00\n')
    await db.query(`update deals set updated_at = '2026-02-15T00:00:00Z' where org_id = $1 and id = 'L1'`, [
      ORG,
    ])
    const feb = await close('2026-02', at('2026-03-01T00:00:00Z'))
    // Then February pays 2,000.00 × 20% = 400.00, and January's late deal with v1: 500.00 × 10% = 50.00
    expect(r1(feb)?.lines).toEqual([
      { kind: 'commission', rule: 'amount', amount: 40000, forfeited: 0, capped: 0 },
      { kind: 'adjustment', amount: 5000, forfeited: 0, capped: 0 },
    ])
    expect(r1(feb)?.payout).toBe(45000)
    expect(await versionsOf('2026-01')).toEqual([1])
    expect(await versionsOf('2026-02')).toEqual([2])
    expect(await verifyLedger(db, ORG)).toMatchObject({ ok: true })
  })

  it('references the closed period, the deals and the amounts behind a prior-period adjustment', async () => {
    const [entry] = await db.query<{ ref: Record<string, unknown> }>(
      `select ref from ledger_entries where org_id = $1 and kind = 'adjustment'`,
      [ORG],
    )
    expect(entry?.ref).toMatchObject({
      reason: 'late data in closed periods',
      owedMinor: '15000',
      bookedMinor: '10000',
      periods: [
        {
          period: '2026-01',
          closedAt: '2026-02-01T00:00:00.000Z',
          beforeMinor: '10000',
          afterMinor: '15000',
          added: ['L1'],
          changed: [],
          removed: [],
        },
      ],
    })
    const statement = await statementFor(db, { orgId: ORG, rep: 'r1', period: '2026-02' })
    expect(statement.adjustments).toHaveLength(1)
    // and the statement prints it under the adjustment line
    let printed = ''
    const io = { stdout: (t: string) => void (printed += t), stderr: (t: string) => void (printed += t) }
    const status = await statementCommand('r1', '2026-02', {}, io as Io, async () => ({
      ...db,
      close: async () => {},
    }))
    expect(status).toBe(0)
    expect(printed).toContain(
      '  prior-period adjustment: 50.00 USD\n' +
        '    for 2026-01 (closed 2026-02-01T00:00:00.000Z): 100.00 USD then, 150.00 USD now; deals added L1\n',
    )
  })

  it('refuses a version that would change a closed period, and takes a later date', async () => {
    await expect(publish(plan('30%'), at('2026-03-02T00:00:00Z'), '2026-02-01')).rejects.toMatchObject({
      code: 'plan.effective_from_closed',
    })
    const [count] = await db.query<{ n: number }>(
      `select count(*)::int as n from plan_versions where org_id = $1 and plan_id = 'flat'`,
      [ORG],
    )
    expect(count?.n).toBe(2)
  })

  it('closes a reopened period again with the version effective for it', async () => {
    // Given February approved, then reopened and closed again
    await approvePayouts(db, { orgId: ORG, period: '2026-02', actor: 'fin', now: at('2026-03-02T00:00:00Z') })
    expect((await payrollFor(db, { orgId: ORG, period: '2026-02', lines: false })).approval?.by).toBe('fin')
    await reopenPeriod(db, {
      orgId: ORG,
      period: '2026-02',
      reason: 'recheck',
      actor: 'ann',
      now: at('2026-03-03T00:00:00Z'),
    })
    const again = await close('2026-02', at('2026-03-04T00:00:00Z'))
    // Then February is computed with v2 again and January's late deal is booked once more (the first
    // adjustment was reversed with February's entries)
    expect(r1(again)?.payout).toBe(45000)
    expect(await versionsOf('2026-02')).toEqual([2])
    // and the approval of the earlier close no longer counts
    const payroll = await payrollFor(db, { orgId: ORG, period: '2026-02', lines: false })
    expect(payroll.approval).toBeNull()
    expect(payroll.staleApproval).toMatchObject({ by: 'fin', at: '2026-03-02T00:00:00.000Z' })
    expect(payroll.rows.map((r) => [r.rep, r.amountMinor])).toEqual([['r1', 45000n]])
    expect(await verifyLedger(db, ORG)).toMatchObject({ ok: true })
  })
})
