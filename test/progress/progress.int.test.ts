import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../../src/adapters/cli/main.ts'
import { addProgressCommand } from '../../src/adapters/cli/progress-command.ts'
import { addReportCommands } from '../../src/adapters/cli/report-command.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { progressReport } from '../../src/app/progress/progress.ts'
import { formatFixed } from '../../src/core/money/rational.ts'
import { testDatabase } from '../support/db.ts'
import { demoCompany } from '../reports/demo-company.ts'

const ORG = 'demo'
let db: Database

beforeAll(async () => {
  db = await testDatabase()
  await demoCompany(db, ORG, new Date('2026-04-02T12:00:00Z')) // January to March closed
}, 300_000)

afterAll(async () => {
  await db?.close()
})

describe('progressReport on the demo company', () => {
  it('equals the close of a closed period looked back on at its last day (carried balances and clawbacks)', async () => {
    const out = await progressReport(db, {
      orgId: ORG,
      now: new Date('2026-04-02T12:00:00Z'),
      asOf: '2026-03-31',
    })
    const closed = await db.query<{
      rep_id: string
      payout_minor: bigint
      result: { metrics: Record<string, { attainment: string | null }> }
    }>(
      `select rep_id, payout_minor, result from results where org_id = $1 and period = '2026-03' and computed order by rep_id`,
      [ORG],
    )
    expect(out.reps.map((r) => r.rep)).toEqual(closed.map((c) => c.rep_id))
    for (const r of out.reps) {
      const c = closed.find((x) => x.rep_id === r.rep)
      const result = typeof c?.result === 'string' ? JSON.parse(c.result) : c?.result
      expect({
        rep: r.rep,
        closed: r.closed,
        days: r.elapsedBusinessDays,
        payout: r.earnedSoFarMinor,
      }).toEqual({
        rep: r.rep,
        closed: true,
        days: 22,
        payout: BigInt(c?.payout_minor ?? -1),
      })
      for (const m of r.metrics) {
        const attainment = m.attainment === null ? null : formatFixed(m.attainment, 6)
        expect(attainment).toBe(result.metrics[m.metric].attainment)
      }
    }
    // r05 pays back the February draw in March (recovery −1,360.00): state carried from February
    expect(out.reps.find((r) => r.rep === 'r05')?.earnedSoFarMinor).toBe(581650n + 19000n + 50000n - 136000n)
  })

  it('computes r01 on April 28 by hand', async () => {
    const out = await progressReport(db, {
      orgId: ORG,
      now: new Date('2026-05-01T12:00:00Z'),
      rep: 'r01',
      asOf: '2026-04-28',
    })
    const [r01] = out.reps
    // April 2026: 22 business days; Apr 1–3, 6–10, 13–17, 20–24, 27–28: 20 elapsed
    expect([r01?.period, r01?.closed, r01?.elapsedBusinessDays, r01?.totalBusinessDays]).toEqual([
      '2026-04',
      false,
      20,
      22,
    ])
    // new MRR: D127 (Apr 27, managed, 5,741.57), r01's only managed deal of April → 143.53925%
    const mrr = r01?.metrics.find((m) => m.metric === 'new_mrr')
    expect(formatFixed(mrr?.value ?? { n: 0n, d: 1n }, 2)).toBe('5741.57')
    expect(formatFixed(mrr?.attainment ?? { n: 0n, d: 1n }, 7)).toBe('1.4353925')
    // projected 5,741.57 × 22 / 20 = 6,315.727 → 157.893175%
    expect(formatFixed(mrr?.projectedAttainment ?? { n: 0n, d: 1n }, 6)).toBe('1.578932')
    // commission 4,000 × 100% + 1,741.57 × 150% = 6,612.355 → 6,612.36; the 500.00 bonus of pto-at-120;
    // no projects in April
    expect(r01?.earnedSoFarMinor).toBe(661236n + 50000n)
    expect(mrr?.sentence).toBe(
      'you are at 144% of the new_mrr goal (158% on Apr 30 at this pace); ' +
        'the mrr commission of about 6,612.36 USD is above its 50% gate; ' +
        '6% more (258.43 USD of new_mrr) reaches the 200% rate of the mrr commission at 150%; ' +
        'reached 120%: 1 day of paid time off and a 500.00 USD bonus; ' +
        '6% more (258.43 USD of new_mrr) reaches the 150% reward: the mrr commission is raised by 25% for the next month',
    )
  })

  it("takes today in the plan's time zone when no date is given", async () => {
    // 2026-04-28T04:30Z is Apr 27 23:30 in Chicago (CDT, UTC−5): 19 business days, D127 counted
    const out = await progressReport(db, { orgId: ORG, now: new Date('2026-04-28T04:30:00Z'), rep: 'r01' })
    expect([out.reps[0]?.asOf, out.reps[0]?.elapsedBusinessDays]).toEqual(['2026-04-27', 19])
    // on Apr 26 D127 (Apr 27) is not there yet
    const before = await progressReport(db, { orgId: ORG, now: new Date(), rep: 'r01', asOf: '2026-04-26' })
    expect(
      formatFixed(before.reps[0]?.metrics.find((m) => m.metric === 'new_mrr')?.value ?? { n: 1n, d: 1n }, 2),
    ).toBe('0.00')
  })

  it('refuses an unknown rep and a bad date', async () => {
    await expect(progressReport(db, { orgId: ORG, now: new Date(), rep: 'nobody' })).rejects.toMatchObject({
      code: 'progress.unknown_rep',
    })
    await expect(
      progressReport(db, { orgId: ORG, now: new Date(), asOf: '2026-02-30' }),
    ).rejects.toMatchObject({
      code: 'report.bad_date',
    })
  })
})

describe("progress of the open period from the last close's stored state (ADR 0009)", () => {
  it("runs April alone from March's state and answers exactly as a run from January", async () => {
    const args = { orgId: ORG, now: new Date('2026-04-20T12:00:00Z') }
    const carried = await progressReport(db, args)
    const full = await progressReport(db, { ...args, fromFirstClosed: true })
    expect(carried.runFrom).toEqual(['2026-04'])
    expect(full.runFrom).toEqual(['2026-01'])
    expect(carried.reps.length).toBeGreaterThan(0)
    expect(carried.reps).toEqual(full.reps)
  })
})

describe('report and progress commands', () => {
  const run = async (...argv: string[]) => {
    const out = { stdout: '', stderr: '', status: -1 }
    const io: Io = {
      stdout: (s) => void (out.stdout += s),
      stderr: (s) => void (out.stderr += s),
      isTTY: false,
    }
    const openDb = async (): Promise<Database> => ({ ...db, close: async () => undefined })
    const program = new Command().exitOverride()
    addReportCommands(program, io, openDb, (s) => (out.status = s))
    addProgressCommand(program, io, openDb, (s) => (out.status = s))
    await program.parseAsync(argv, { from: 'user' })
    return out
  }

  it('prints the follow-through table and JSON', async () => {
    const table = await run('report', 'follow-through', '--by', 'team', '--as-of', '2026-04-02')
    expect(table.status).toBe(0)
    // nothing applied or waived in the demo: every item past its due date is overdue
    // North: Jan r01 pto; Feb r01 pto, r03 warning, r05 warning = 4 overdue; March's 6 pending (due Apr 7)
    expect(table.stdout).toContain(
      'North    4        0     0       0        4        6  0.0%  2,000.00 USD   2,000.00 USD',
    )
    const json = await run('report', 'follow-through', '--format', 'json', '--as-of', '2026-04-02')
    expect(JSON.parse(json.stdout).groups[0].figures).toMatchObject({
      due: 9,
      rate: { numerator: 0, denominator: 9 },
      moneyStatedMinor: 300000,
    })
  })

  it('prints unenforced misses, after-miss, under-performers and progress', async () => {
    const misses = await run('report', 'unenforced', '--as-of', '2026-04-02')
    // every warning of January (r07, r09, r12) and February (r03, r05, r11) is overdue on Apr 2
    expect(misses.stdout).toMatch(/^Unenforced misses, all periods, as of 2026-04-02: 6\n/)
    const after = await run('report', 'after-miss', '--as-of', '2026-04-02')
    expect(after.stdout).toContain('Not enough data yet for North')
    const under = await run('report', 'under-performers', '--k', '2', '--n', '3')
    expect(under.stdout).toContain('r03 Carla Nguyen (msp-ae, North, manager m1): bottom quartile\n')
    const progress = await run('progress', 'r01', '--as-of', '2026-04-28')
    expect(progress.stdout).toContain(
      'r01 Ana Castillo · msp-ae · 2026-04 · as of 2026-04-28: 20 of 22 business days',
    )
    const saved = await run('report', 'under-performers', '--k', '2', '--n', '3', '--save')
    expect([saved.status, saved.stderr]).toEqual([
      0,
      "Saved: bottom quartile in 2 of the last 3 closed periods is the organization's default.\n",
    ])
    const again = await run('report', 'under-performers')
    expect(again.stdout).toMatch(/^Under-performers: bottom quartile in 2 of the last 3 closed periods/)
    const audit = await db.query<{ after: unknown }>(
      `select after from audit_log where org_id = $1 and action = 'setting.change'`,
      [ORG],
    )
    expect(audit.map((a) => (typeof a.after === 'string' ? JSON.parse(a.after) : a.after))).toEqual([
      { k: 2, n: 3 },
    ])
    const bad = await run('report', 'under-performers', '--k', '5')
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/1 ≤ K ≤ N/)
  })
})
