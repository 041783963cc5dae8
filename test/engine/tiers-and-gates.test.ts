import { describe, expect, it } from 'vitest'
import { calc, lineTuples, repIn } from '../support/calc.ts'

// Worked examples for commission rules (plan-language.md, "Commissions" and "Numbers"), run
// through `followthrough calc`. Every expected number is computed by hand in the comments.

/** A monthly USD plan with one `sum: mrr` metric; `body` holds quotas and commissions. */
function plan(body: string): string {
  return `version: 1
id: ae
name: Account Executive
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
${body}`
}

const reps = 'id,plan\nr1,ae\n'

/** January deals for r1, one per MRR amount. */
function deals(...mrr: string[]): string {
  return 'id,rep,closed_on,mrr\n' + mrr.map((m, i) => `d${i + 1},r1,2026-01-${10 + i},${m}\n`).join('')
}

async function january(planText: string, mrr: string[], extra: { activities?: string } = {}) {
  const out = await calc({
    plans: { 'ae.yaml': planText },
    reps,
    deals: deals(...mrr),
    ...extra,
    from: '2026-01',
    to: '2026-01',
  })
  expect(out.stderr).toBe('')
  expect(out.status).toBe(0)
  return repIn(out, '2026-01', 'r1')
}

const twoTiers = (tiered: string) =>
  plan(`quotas: { new_mrr: 1000 }
commissions:
  - id: mrr
    on: new_mrr
    tiered: ${tiered}
    tiers:
      - { to: 100%, rate: 10% }
      - { rate: 20% }
`)

const specTiers = (tiered: string) =>
  plan(`quotas: { new_mrr: 4000 }
commissions:
  - id: mrr
    on: new_mrr
    tiered: ${tiered}
    tiers:
      - { to: 100%, rate: 100% }
      - { to: 150%, rate: 150% }
      - { rate: 200% }
`)

describe('tiers', () => {
  it.each([
    // quota 1,000.00; 10% below 100%, 20% from 100%
    { tiered: 'marginal', value: '999.90', paid: 9999 }, // 999.90 × 10% = 99.99
    { tiered: 'marginal', value: '1000.00', paid: 10000 }, // all of it below the bound: 1,000 × 10% = 100.00
    { tiered: 'marginal', value: '1000.01', paid: 10000 }, // 100.00 + 0.01 × 20% = 100.002 → 100.00
    { tiered: 'marginal', value: '1500.00', paid: 20000 }, // 100.00 + 500 × 20% = 200.00
    { tiered: 'retroactive', value: '999.90', paid: 9999 }, // attainment 0.9999: 999.90 × 10% = 99.99
    { tiered: 'retroactive', value: '1000.00', paid: 20000 }, // exactly at the bound → upper tier: 1,000 × 20%
    { tiered: 'retroactive', value: '1500.00', paid: 30000 }, // 1,500 × 20% = 300.00
  ])('pays $paid cents on $value when $tiered', async ({ tiered, value, paid }) => {
    // Given a two-tier plan and r1 with one deal of `value` MRR
    // When January is computed
    const r1 = await january(twoTiers(tiered), [value])
    // Then the one commission line pays the hand-computed amount
    expect(lineTuples(r1)).toEqual([['commission', 'mrr', paid, 0, 0]])
    expect(r1?.payout).toBe(paid)
  })

  it.each([
    // The spec's example tiers, quota 4,000.00, value 6,000.00: attainment exactly 150%
    { tiered: 'marginal', paid: 700000 }, // 4,000 × 100% + 2,000 × 150% = 7,000.00
    { tiered: 'retroactive', paid: 1200000 }, // 6,000 × 200% (150% is in the top tier) = 12,000.00
  ])(
    'pays $paid cents when $tiered and attainment is exactly at the second bound',
    async ({ tiered, paid }) => {
      const r1 = await january(specTiers(tiered), ['6000.00'])
      expect(r1?.metrics.new_mrr).toEqual({ value: 600000, quota: 400000, attainment: '1.500000' })
      expect(lineTuples(r1)).toEqual([['commission', 'mrr', paid, 0, 0]])
    },
  )
})

describe('gate', () => {
  const gated = plan(`quotas: { new_mrr: 1000 }
commissions:
  - { id: mrr, on: new_mrr, rate: 10%, gate: 50% }
`)

  it('pays the line when attainment is exactly at the gate', async () => {
    // Given quota 1,000.00 and value 500.00: attainment 0.5, not below the 50% gate
    const r1 = await january(gated, ['500.00'])
    // Then it pays 500.00 × 10% = 50.00
    expect(r1?.metrics.new_mrr?.attainment).toBe('0.500000')
    expect(lineTuples(r1)).toEqual([['commission', 'mrr', 5000, 0, 0]])
    expect(r1?.payout).toBe(5000)
  })

  it('forfeits the line and records what it would have paid when attainment is one cent below the gate', async () => {
    // Given value 499.99: attainment 0.49999 < 0.5
    const r1 = await january(gated, ['499.99'])
    // Then amount 0, forfeited 499.99 × 10% = 49.999 → 50.00; no carry since the period earned 0
    expect(r1?.metrics.new_mrr?.attainment).toBe('0.499990')
    expect(lineTuples(r1)).toEqual([['commission', 'mrr', 0, 5000, 0]])
    expect(r1?.payout).toBe(0)
    expect(r1?.balance).toBe(0)
  })
})

describe('cap', () => {
  it.each([
    // rate 10%, cap 50.00, no quota needed
    { value: '800.00', line: ['commission', 'mrr', 5000, 0, 3000] }, // 80.00 → 50.00, capped 30.00
    { value: '500.00', line: ['commission', 'mrr', 5000, 0, 0] }, // 50.00 is at most the cap
  ])('records the excess as capped when the value is $value', async ({ value, line }) => {
    const capped = plan(`commissions:
  - { id: mrr, on: new_mrr, rate: 10%, cap: 50 }
`)
    const r1 = await january(capped, [value])
    expect(lineTuples(r1)).toEqual([line])
  })

  it('records both forfeited and capped when a gated line would have been capped', async () => {
    // Given quota 2,000.00, value 800.00 (attainment 0.4 < gate 0.5), 10% → 80.00, cap 50.00
    const r1 = await january(
      plan(`quotas: { new_mrr: 2000 }
commissions:
  - { id: mrr, on: new_mrr, rate: 10%, gate: 50%, cap: 50 }
`),
      ['800.00'],
    )
    // Then it pays 0, forfeits the capped amount 50.00 and records 30.00 capped
    expect(lineTuples(r1)).toEqual([['commission', 'mrr', 0, 5000, 3000]])
  })
})

describe('rate', () => {
  it('pays a flat rate when the rep has no quota and the rule has no gate', async () => {
    // Given no quotas and 5% on 2,000.00 → 100.00
    const r1 = await january(plan('commissions:\n  - { id: mrr, on: new_mrr, rate: 5% }\n'), ['2000.00'])
    expect(r1?.metrics.new_mrr).toEqual({ value: 200000, quota: null, attainment: null })
    expect(lineTuples(r1)).toEqual([['commission', 'mrr', 10000, 0, 0]])
    expect(r1?.warnings).toEqual([])
  })

  it('pays on a count metric in currency units when the rate is a plain number', async () => {
    // Given 190 calls and 10 meetings, quota 250 calls, `rate: 2` on calls
    const callsPlan = `version: 1
id: ae
name: Account Executive
currency: USD
period: month
metrics:
  calls: { count: activities, where: 'activity.kind == "call"' }
quotas: { calls: 250 }
commissions:
  - { id: calls, on: calls, rate: 2 }
`
    const rows = Array.from(
      { length: 200 },
      (_, i) => `a${i},r1,${i < 190 ? 'call' : 'meeting'},2026-01-${String((i % 28) + 1).padStart(2, '0')}\n`,
    )
    const r1 = await january(callsPlan, [], { activities: 'id,rep,kind,occurred_on\n' + rows.join('') })
    // Then the count and its quota are plain numbers (not cents), 190/250 = 0.76,
    // and 190 × 2 = 380.00
    expect(r1?.metrics.calls).toEqual({ value: 190, quota: 250, attainment: '0.760000' })
    expect(lineTuples(r1)).toEqual([['commission', 'calls', 38000, 0, 0]])
  })
})

describe('quota-dependent rules', () => {
  it.each([
    { case: 'tiers and no quota', quotas: '', rule: 'tiers: [{ to: 100%, rate: 10% }, { rate: 20% }]' },
    { case: 'a gate and no quota', quotas: '', rule: 'rate: 10%, gate: 50%' },
    {
      case: 'tiers and a quota of zero',
      quotas: 'quotas: { new_mrr: 0 }\n',
      rule: 'tiers: [{ to: 100%, rate: 10% }, { rate: 20% }]',
    },
  ])('pays no line and adds one warning when the rule has $case', async ({ quotas, rule }) => {
    // Given a quota-dependent rule `needy` and a flat 5% rule, value 1,000.00
    const r1 = await january(
      plan(`${quotas}commissions:
  - { id: needy, on: new_mrr, ${rule} }
  - { id: flat, on: new_mrr, rate: 5% }
`),
      ['1000.00'],
    )
    // Then only the flat line is listed (1,000 × 5% = 50.00), with one warning for `needy`
    expect(r1?.metrics.new_mrr).toEqual({ value: 100000, quota: null, attainment: null })
    expect(lineTuples(r1)).toEqual([['commission', 'flat', 5000, 0, 0]])
    expect(r1?.warnings).toHaveLength(1)
    expect(r1?.payout).toBe(5000)
  })
})

describe('rounding', () => {
  it.each([
    // rate 5%, one rounding of the line's exact amount, half away from zero
    { mrr: ['100.10'], rate: '5%', paid: 501 }, // 5.005 → 5.01
    { mrr: ['100.01'], rate: '5%', paid: 500 }, // 5.0005 → 5.00
    { mrr: ['100.30'], rate: '5%', paid: 502 }, // 5.015 → 5.02 (a binary float gives 5.01499…)
    { mrr: ['2.01'], rate: '50%', paid: 101 }, // 1.005 → 1.01 (a binary float gives 1.00499…)
    { mrr: ['50.05', '50.05'], rate: '5%', paid: 501 }, // (50.05 + 50.05) × 5% = 5.005 → 5.01, not 2.50 + 2.50
    { mrr: ['1000.00'], rate: '0.075', paid: 7500 }, // a factor as a plain decimal: 75.00
  ])('pays $paid cents on $mrr at $rate when rounding once per line', async ({ mrr, rate, paid }) => {
    const r1 = await january(plan(`commissions:\n  - { id: mrr, on: new_mrr, rate: ${rate} }\n`), mrr)
    expect(lineTuples(r1)).toEqual([['commission', 'mrr', paid, 0, 0]])
  })
})
