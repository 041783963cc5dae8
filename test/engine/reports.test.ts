import { describe, expect, it } from 'vitest'
import { calc, lineTuples, repIn } from '../support/calc.ts'

// Worked examples for `of: directs` and `of: team` metrics (plan-language.md, "Metrics" and
// "Details": reports, plans not in the run). Numbers by hand.

const managerPlan = `version: 1
id: mgr
name: Sales Manager
currency: USD
period: month
metrics:
  own: { sum: mrr }
  directs: { sum: mrr, of: directs }
  team: { sum: mrr, of: team }
  team_managed: { sum: mrr, where: 'deal.type == "managed"', of: team }
  direct_calls: { count: activities, where: 'activity.kind == "call"', of: directs }
commissions:
  - { id: override, on: team, rate: 10% }
`

const aePlan = managerPlan
  .replace('id: mgr', 'id: ae')
  .replace('name: Sales Manager', 'name: Account Executive')

// m manages a1 (ae), a2 (plan `other`, not in the run), a3 (ae, left 2026-01-10) and a4 (no plan);
// b1 (ae) reports to a1 and b2 (ae) to a2: both are at depth 2 below m.
const reps = `id,plan,manager,left_on
m,mgr,,
a1,ae,m,
a2,other,m,
a3,ae,m,2026-01-10
a4,,m,
b1,ae,a1,
b2,ae,a2,
`

// MRR in powers of two so every sum below names its parts.
const deals = `id,rep,closed_on,mrr,type
d1,m,2026-01-05,1.00,managed
d2,m:50;a1:50,2026-01-06,100.00,project
d3,a1,2026-01-07,2.00,managed
d4,a2,2026-01-08,4.00,project
d5,a3,2026-01-09,8.00,managed
d6,b1,2026-01-12,16.00,managed
d7,b2,2026-01-13,32.00,project
d8,a4,2026-01-14,64.00,managed
d9,a3,2026-02-03,128.00,managed
d10,a1,2026-02-04,256.00,project
`

const activities = `id,rep,kind,occurred_on
c1,a1,call,2026-01-05
c2,a2,call,2026-01-05
c3,a2,meeting,2026-01-05
c4,a3,call,2026-02-05
c5,a1,call,2026-02-05
c6,b1,call,2026-01-05
c7,m,call,2026-01-05
`

async function run() {
  const out = await calc({
    plans: { 'mgr.yaml': managerPlan, 'ae.yaml': aePlan },
    reps,
    deals,
    activities,
    from: '2026-01',
    to: '2026-02',
  })
  expect(out.stderr).toBe('')
  expect(out.status).toBe(0)
  return out
}

describe('of: directs and of: team', () => {
  it('sums the reports’ own values and leaves out the manager’s credits in January', async () => {
    // Given m's own credits 1.00 + 50% of 100.00 = 51.00
    const m = repIn(await run(), '2026-01', 'm')
    // Then directs = a1 (2.00 + 50.00) + a2 4.00 (plan not in the run, employed) + a3 8.00
    //   (employed Jan 1–10) = 64.00; a4 has no plan and contributes nothing
    // team = 64.00 + b1 16.00 + b2 32.00 (below a2) = 112.00
    // team_managed = a1 2.00 + a3 8.00 + b1 16.00 = 26.00 (the `where` applies to each report)
    // direct_calls = a1 1 + a2 1 = 2 (a2's meeting, b1's call at depth 2 and m's own call are not)
    expect(m?.metrics).toEqual({
      own: { value: 5100, quota: null, attainment: null },
      directs: { value: 6400, quota: null, attainment: null },
      team: { value: 11200, quota: null, attainment: null },
      team_managed: { value: 2600, quota: null, attainment: null },
      direct_calls: { value: 2, quota: null, attainment: null },
    })
    // And the override pays 10% of 112.00 = 11.20
    expect(lineTuples(m)).toEqual([['commission', 'override', 1120, 0, 0]])
  })

  it('leaves out a report who is not employed in the period when they are still credited', async () => {
    // Given February: a3 (left 2026-01-10) is credited d9 128.00 and has a call; a1 has d10 256.00 and a call
    const out = await run()
    const m = repIn(out, '2026-02', 'm')
    // Then directs = team = a1 256.00 only; team_managed = 0 (d10 is a project); direct_calls = a1 1
    expect(m?.metrics).toEqual({
      own: { value: 0, quota: null, attainment: null },
      directs: { value: 25600, quota: null, attainment: null },
      team: { value: 25600, quota: null, attainment: null },
      team_managed: { value: 0, quota: null, attainment: null },
      direct_calls: { value: 1, quota: null, attainment: null },
    })
    expect(lineTuples(m)).toEqual([['commission', 'override', 2560, 0, 0]])
    // while a3 is listed in their own plan with one warning for d9 and no metrics
    const a3 = repIn(out, '2026-02', 'a3', 1)
    expect(a3).toMatchObject({ metrics: {}, lines: [], payout: 0 })
    expect(a3?.warnings).toHaveLength(1)
  })

  it('counts a report at depth 2 in team but not in directs when their manager is a report', async () => {
    // Given a1's own report b1 (16.00 in January)
    const a1 = repIn(await run(), '2026-01', 'a1', 1)
    // Then a1: own 2.00 + 50.00 = 52.00, directs = team = b1 16.00
    expect(a1?.metrics.own?.value).toBe(5200)
    expect(a1?.metrics.directs?.value).toBe(1600)
    expect(a1?.metrics.team?.value).toBe(1600)
  })

  it('does not list reps on a plan outside the run nor warn about their credits', async () => {
    const out = await run()
    const listed = out.json.plans.flatMap((p) => p.periods.flatMap((pe) => pe.reps.map((r) => r.rep)))
    expect(listed).not.toContain('a2')
    expect(listed).not.toContain('a4')
    expect(repIn(out, '2026-01', 'm')?.warnings).toEqual([])
  })
})
