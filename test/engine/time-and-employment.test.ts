import { describe, expect, it } from 'vitest'
import { calc, lineTuples, repIn, type CalcInput } from '../support/calc.ts'

// Worked examples for periods, time zones, ramp, proration and employment
// (plan-language.md, "Periods", "Quotas and attainment", "Details"; data-formats.md, "The
// command" and "JSON result"). Numbers by hand.

/** A USD plan paying 10% of MRR; `extra` adds top-level keys (timezone, quotas, ramp...). */
function plan(extra = '', period = 'month', commission = '{ id: mrr, on: new_mrr, rate: 10% }'): string {
  return `version: 1
id: ae
name: Account Executive
currency: USD
period: ${period}
${extra}metrics:
  new_mrr: { sum: mrr }
commissions:
  - ${commission}
`
}

async function run(input: Partial<CalcInput>) {
  const out = await calc({
    plans: { 'ae.yaml': plan() },
    reps: 'id,plan\nr1,ae\n',
    deals: 'id,rep,closed_on,mrr\n',
    from: '2026-01',
    to: '2026-03',
    ...input,
  })
  expect(out.stderr).toBe('')
  expect(out.status).toBe(0)
  return out
}

const periodKeys = (out: Awaited<ReturnType<typeof run>>, planIndex = 0) =>
  out.json.plans[planIndex]?.periods.map((p) => p.period)

describe('periods in a time zone', () => {
  const deals = `id,rep,closed_on,mrr
d1,r1,2026-02-01T03:30:00Z,100
d2,r1,2026-01-31T23:30:00-06:00,200
d3,r1,2026-02-01T06:30:00Z,400
d4,r1,2026-01-01T05:59:59Z,800
d5,r1,2026-01-01T06:00:00Z,1600
d6,r1,2026-01-31,3200
d7,r1,2026-03-01T01:00:00+05:30,6400
`
  it.each([
    // America/Chicago is UTC−6 in winter:
    // d1 → Jan 31 21:30, d2 → Jan 31 23:30, d3 → Feb 1 00:30, d4 → Dec 31 23:59:59 (2025-12),
    // d5 → Jan 1 00:00, d6 a local date, d7 (Feb 28 19:30Z) → Feb 28 13:30
    // Jan = 100 + 200 + 1,600 + 3,200 = 5,100.00; Feb = 400 + 6,400 = 6,800.00
    { timezone: 'America/Chicago', jan: 510000, feb: 680000 },
    // UTC: d1, d2 (Feb 1 05:30Z), d3, d7 in February; d4, d5, d6 in January
    // Jan = 800 + 1,600 + 3,200 = 5,600.00; Feb = 100 + 200 + 400 + 6,400 = 7,100.00
    { timezone: 'UTC', jan: 560000, feb: 710000 },
  ])(
    'puts each deal in the period of its local date when the plan is in $timezone',
    async ({ timezone, jan, feb }) => {
      const out = await run({ plans: { 'ae.yaml': plan(`timezone: ${timezone}\n`) }, deals, to: '2026-02' })
      expect(repIn(out, '2026-01', 'r1')?.metrics.new_mrr?.value).toBe(jan)
      expect(repIn(out, '2026-02', 'r1')?.metrics.new_mrr?.value).toBe(feb)
    },
  )
})

describe('quota with ramp and proration', () => {
  it('prorates and ramps the quota and computes attainment from the exact quota when hired mid-month', async () => {
    // Given quota 4,000.00, ramp [50%], prorate, hired 2026-01-16 (Jan 16..31 = 16 of 31 days),
    // a gate of 96.875%, and d1 1,000.00 on 2026-01-20
    const ramped = plan(
      'quotas: { new_mrr: 4000 }\nramp: [50%]\nprorate: true\n',
      'month',
      '{ id: mrr, on: new_mrr, rate: 10%, gate: 96.875% }',
    )
    const out = await run({
      plans: { 'ae.yaml': ramped },
      reps: 'id,plan,hired_on\nr1,ae,2026-01-16\n',
      deals: 'id,rep,closed_on,mrr\nd1,r1,2026-01-20,1000.00\n',
      to: '2026-02',
    })
    // Then January's quota is 4,000 × 0.5 × 16/31 = 32,000/31 = 1,032.258064… → 103226 cents,
    // attainment 1,000 / (32,000/31) = 31/32 = 0.96875 exactly (from the printed 1,032.26 it
    // would be 0.968748, below the gate), so the line pays 1,000 × 10% = 100.00
    const jan = repIn(out, '2026-01', 'r1')
    expect(jan?.metrics.new_mrr).toEqual({ value: 100000, quota: 103226, attainment: '0.968750' })
    expect(lineTuples(jan)).toEqual([['commission', 'mrr', 10000, 0, 0]])
    // And in February (tenure 2, past the ramp; employed all 28 days) the quota is 4,000.00
    expect(repIn(out, '2026-02', 'r1')?.metrics.new_mrr).toEqual({
      value: 0,
      quota: 400000,
      attainment: '0.000000',
    })
  })
})

describe('employment', () => {
  const prorated = plan('quotas: { new_mrr: 4000 }\nprorate: true\n')
  const leaver = 'id,plan,hired_on,left_on\nr1,ae,2025-06-01,2026-02-14\n'
  const februaryDeals = 'id,rep,closed_on,mrr\nd1,r1,2026-02-10,1000.00\nd2,r1,2026-02-20,500.00\n'

  it('prorates the quota and omits the rep afterwards when they left mid-period', async () => {
    // Given r1 left 2026-02-14 and no credits in March
    const out = await run({ plans: { 'ae.yaml': prorated }, reps: leaver, deals: februaryDeals })
    // Then January has the full 4,000.00; February 4,000 × 14/28 = 2,000.00, and the month's
    // credits count (r1 is computed in February): 1,000 + 500 = 1,500.00, attainment 0.75
    expect(repIn(out, '2026-01', 'r1')?.metrics.new_mrr?.quota).toBe(400000)
    const feb = repIn(out, '2026-02', 'r1')
    expect(feb?.metrics.new_mrr).toEqual({ value: 150000, quota: 200000, attainment: '0.750000' })
    expect(lineTuples(feb)).toEqual([['commission', 'mrr', 15000, 0, 0]])
    // and March is listed with no reps
    expect(out.json.plans[0]?.periods.find((p) => p.period === '2026-03')?.reps).toEqual([])
  })

  it('lists the rep with one warning and a payout of 0 when a deal is credited after they left', async () => {
    // Given r1 left 2026-02-14 and d3 (700.00) credited to r1 on 2026-03-03
    const out = await run({
      plans: { 'ae.yaml': prorated },
      reps: leaver,
      deals: februaryDeals + 'd3,r1,2026-03-03,700.00\n',
    })
    // Then March lists r1 with no metrics, no lines, one warning for d3, payout 0
    const mar = repIn(out, '2026-03', 'r1')
    expect(mar).toMatchObject({ rep: 'r1', metrics: {}, lines: [], outcomes: [], payout: 0, balance: 0 })
    expect(mar?.warnings).toHaveLength(1)
  })

  it('lists periods with no reps as empty when no rep is employed yet', async () => {
    // Given r1 hired 2026-03-01
    const out = await run({ reps: 'id,plan,hired_on\nr1,ae,2026-03-01\n' })
    expect(
      out.json.plans[0]?.periods.map((p) => [p.period, p.start, p.end, p.reps.map((r) => r.rep)]),
    ).toEqual([
      ['2026-01', '2026-01-01', '2026-01-31', []],
      ['2026-02', '2026-02-01', '2026-02-28', []],
      ['2026-03', '2026-03-01', '2026-03-31', ['r1']],
    ])
  })

  it('lists only the periods inside the effective dates when the run is wider', async () => {
    // Given effective 2026-02-01…2026-03-31 and a run from January to April
    const out = await run({
      plans: { 'ae.yaml': plan('effective: { from: 2026-02-01, to: 2026-03-31 }\n') },
      to: '2026-04',
    })
    expect(periodKeys(out)).toEqual(['2026-02', '2026-03'])
  })

  it('sorts reps by id in code-unit order when ids mix case and digits', async () => {
    // 'Z' (0x5A) < 'r' (0x72); 'r1' < 'r10' < 'r2' character by character
    const out = await run({ reps: 'id,plan\nr2,ae\nr10,ae\nZ9,ae\nr1,ae\n', to: '2026-01' })
    expect(out.json.plans[0]?.periods[0]?.reps.map((r) => r.rep)).toEqual(['Z9', 'r1', 'r10', 'r2'])
  })
})

describe('calc --from/--to', () => {
  it.each([
    { period: 'month', from: '2026-02', to: '2026-03', keys: ['2026-02', '2026-03'] },
    { period: 'month', from: '2026-Q1', to: '2026-Q1', keys: ['2026-01', '2026-02', '2026-03'] },
    // January starts before 2026-01-15; March ends after 2026-03-30
    { period: 'month', from: '2026-01-15', to: '2026-03-31', keys: ['2026-02', '2026-03'] },
    { period: 'month', from: '2026-01-01', to: '2026-03-30', keys: ['2026-01', '2026-02'] },
    // Q1 starts before February's first day
    { period: 'quarter', from: '2026-02', to: '2026-12', keys: ['2026-Q2', '2026-Q3', '2026-Q4'] },
    { period: 'quarter', from: '2026-Q2', to: '2026-Q3', keys: ['2026-Q2', '2026-Q3'] },
    { period: 'year', from: '2026', to: '2027', keys: ['2026', '2027'] },
  ])('lists $keys when a $period plan runs from $from to $to', async ({ period, from, to, keys }) => {
    const out = await run({ plans: { 'ae.yaml': plan('', period) }, from, to })
    expect(periodKeys(out)).toEqual(keys)
  })
})
