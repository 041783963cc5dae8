import { describe, expect, it } from 'vitest'
import { ratio } from '../money/rational.ts'
import type { CelProgram } from '../plans/cel.ts'
import type { Effects } from '../plans/plan.ts'
import type { MetricResult, PlanResult, RepResult, RunResult } from './result.ts'
import { formatResultJson, ResultRangeError, toResultJson } from './result-json.ts'
import { testPlan } from '../../../test/support/plan-fixture.ts'

const USD = { code: 'USD', digits: 2 }

const plan = testPlan('msp-ae', { name: 'Account Executive', file: 'plan.yaml' })

const cel = (source: string): CelProgram => ({ source, evaluate: () => true, reads: null, keys: [] })

function rep(fields: Partial<RepResult> = {}): RepResult {
  return {
    rep: 'r1',
    computed: true,
    metrics: [],
    lines: [],
    outcomes: [],
    payoutMinor: 0n,
    balanceMinor: 0n,
    warnings: [],
    ...fields,
  }
}

function run(reps: RepResult[], planFields: Partial<PlanResult> = {}): RunResult {
  const periods = [{ period: '2026-01', start: '2026-01-01', end: '2026-01-31', reps }]
  return { plans: [{ plan, id: plan.id, currency: USD, period: 'month', periods, ...planFields }] }
}

const metric = (id: string, money: boolean, value: string, quota: string | null): MetricResult => {
  const [vn, vd] = value.split('/')
  const v = ratio(BigInt(vn!), BigInt(vd ?? '1'))
  const q = quota === null ? null : ratio(BigInt(quota))
  return { id, money, value: v, quota: q, attainment: q === null ? null : ratio(v.n * q.d, v.d * q.n) }
}

const onlyRep = (result: RunResult) => toResultJson(result).plans[0]!.periods[0]!.reps[0]!

describe('toResultJson', () => {
  it('writes the example of data-formats.md key for key when given its result', () => {
    // Given the spec's example: 4,123.00 of 4,000.00 MRR, 2,400.00 projects without quota, 190 of 250 calls
    const result = run([
      rep({
        metrics: [
          metric('new_mrr', true, '412300/100', '4000'),
          metric('projects', true, '2400', null),
          metric('calls', false, '190', '250'),
        ],
        lines: [
          { kind: 'commission', rule: 'mrr', amountMinor: 418450n, forfeitedMinor: 0n, cappedMinor: 0n },
          { kind: 'commission', rule: 'projects', amountMinor: 0n, forfeitedMinor: 12000n, cappedMinor: 0n },
        ],
        outcomes: [{ rule: 'call-minimum', effects: { order: ['forfeit'], forfeit: ['projects'] } }],
        payoutMinor: 418450n,
      }),
    ])
    // When / Then: the same text, keys in the spec's order
    const expected = {
      plans: [
        {
          id: 'msp-ae',
          currency: 'USD',
          period: 'month',
          periods: [
            {
              period: '2026-01',
              start: '2026-01-01',
              end: '2026-01-31',
              reps: [
                {
                  rep: 'r1',
                  metrics: {
                    new_mrr: { value: 412300, quota: 400000, attainment: '1.030750' },
                    projects: { value: 240000, quota: null, attainment: null },
                    calls: { value: 190, quota: 250, attainment: '0.760000' },
                  },
                  lines: [
                    { kind: 'commission', rule: 'mrr', amount: 418450, forfeited: 0, capped: 0 },
                    { kind: 'commission', rule: 'projects', amount: 0, forfeited: 12000, capped: 0 },
                  ],
                  outcomes: [{ rule: 'call-minimum', effects: { forfeit: ['projects'] } }],
                  payout: 418450,
                  balance: 0,
                  warnings: [],
                },
              ],
            },
          ],
        },
      ],
    }
    expect(JSON.stringify(toResultJson(result))).toBe(JSON.stringify(expected))
  })

  it.each([
    // value in USD → minor units, half away from zero
    { value: '4123005/1000', minor: 412301 }, // 412300.5 → 412301
    { value: '4123004/1000', minor: 412300 }, // 412300.4 → 412300
    { value: '-5/1000', minor: -1 }, // -0.5 → -1
    { value: '17000/31', minor: 54839 }, // 54838.709… → 54839
  ])('rounds money metric value $value to $minor minor units', ({ value, minor }) => {
    const json = onlyRep(run([rep({ metrics: [metric('m', true, value, null)] })]))
    expect(json.metrics['m']).toEqual({ value: minor, quota: null, attainment: null })
  })

  it('rounds a prorated money quota to minor units but keeps attainment exact', () => {
    // quota 17000/31 = 548.387…; attainment 548.40 / (17000/31) = 1.000023529… → "1.000024"
    const m: MetricResult = {
      id: 'mrr',
      money: true,
      value: ratio(54840n, 100n),
      quota: ratio(17000n, 31n),
      attainment: ratio(54840n * 31n, 100n * 17000n),
    }
    expect(onlyRep(run([rep({ metrics: [m] })])).metrics['mrr']).toEqual({
      value: 54840,
      quota: 54839,
      attainment: '1.000024',
    })
  })

  it.each([
    { value: '190', number: 190 },
    { value: '25/2', number: 12.5 },
    { value: '1234567/10000000', number: 0.1234567 }, // the decimal ends: exact, more than 6 places
    { value: '1/3', number: 0.333333 },
    { value: '2/3', number: 0.666667 },
    { value: '-2/3', number: -0.666667 },
  ])('writes count metric $value as $number', ({ value, number }) => {
    expect(
      onlyRep(run([rep({ metrics: [metric('calls', false, value, null)] })])).metrics['calls']!.value,
    ).toBe(number)
  })

  it.each([
    { value: '1', quota: '3', attainment: '0.333333' },
    { value: '2', quota: '3', attainment: '0.666667' },
    { value: '1', quota: '2000000', attainment: '0.000001' }, // 0.0000005 → half away from zero
    { value: '-1', quota: '2000000', attainment: '-0.000001' },
    { value: '3', quota: '2', attainment: '1.500000' },
  ])('writes attainment $value/$quota as "$attainment"', ({ value, quota, attainment }) => {
    const json = onlyRep(run([rep({ metrics: [metric('calls', false, value, quota)] })]))
    expect(json.metrics['calls']!.attainment).toBe(attainment)
  })

  it('writes effects in the order the plan wrote them, under the plan keys, with defaults', () => {
    const effects: Effects = {
      order: ['boost', 'bonus', 'coaching', 'forfeit', 'pto_days', 'raise', 'warning', 'termination_review'],
      boost: { rule: 'mrr', by: ratio(1n, 4n), periods: 1 },
      bonusMinor: 50000n,
      coaching: { periods: 2, pass: cel('attainment.new_mrr >= 0.9') },
      forfeit: 'all',
      ptoDays: ratio(3n, 2n),
      raise: ratio(5n, 100n),
      warning: 'Below the monthly MRR goal',
      terminationReview: 'Still below goal after coaching',
    }
    const json = onlyRep(run([rep({ outcomes: [{ rule: 'everything', effects }] })]))
    const written = json.outcomes[0]!.effects
    expect(Object.keys(written)).toEqual(effects.order)
    expect(written).toEqual({
      boost: { rule: 'mrr', by: '0.25', periods: 1 },
      bonus: 50000,
      coaching: { periods: 2, pass: 'attainment.new_mrr >= 0.9' },
      forfeit: 'all',
      pto_days: 1.5,
      raise: '0.05',
      warning: 'Below the monthly MRR goal',
      termination_review: 'Still below goal after coaching',
    })
  })

  it('writes the coaching program when the plan names one', () => {
    const effects: Effects = {
      order: ['coaching'],
      coaching: { periods: 1, pass: cel('true'), program: 'Managed services selling' },
    }
    const json = onlyRep(run([rep({ outcomes: [{ rule: 'coach', effects }] })]))
    expect(json.outcomes[0]!.effects).toEqual({
      coaching: { periods: 1, pass: 'true', program: 'Managed services selling' },
    })
  })

  it('writes lines with rule and deal only where they apply, in the contract key order', () => {
    const json = onlyRep(
      run([
        rep({
          lines: [
            {
              kind: 'clawback',
              rule: 'mrr',
              deal: 'd7',
              amountMinor: -12050n,
              forfeitedMinor: 0n,
              cappedMinor: 0n,
            },
            { kind: 'carry', amountMinor: 12050n, forfeitedMinor: 0n, cappedMinor: 0n },
          ],
          balanceMinor: 12050n,
        }),
      ]),
    )
    expect(json.lines.map((l) => Object.keys(l))).toEqual([
      ['kind', 'rule', 'deal', 'amount', 'forfeited', 'capped'],
      ['kind', 'amount', 'forfeited', 'capped'],
    ])
    expect(json.lines[0]).toEqual({
      kind: 'clawback',
      rule: 'mrr',
      deal: 'd7',
      amount: -12050,
      forfeited: 0,
      capped: 0,
    })
    expect(json.balance).toBe(12050)
  })

  it('writes empty metrics for a rep who is not computed', () => {
    const json = onlyRep(
      run([rep({ computed: false, warnings: ['Deal d9 credits r1, who is not employed.'] })]),
    )
    expect(json.metrics).toEqual({})
    expect(json.warnings).toEqual(['Deal d9 credits r1, who is not employed.'])
  })

  it('keeps a metric named __proto__ as a plain key', () => {
    const json = onlyRep(run([rep({ metrics: [metric('__proto__', false, '1', null)] })]))
    expect(JSON.parse(JSON.stringify(json)).metrics).toEqual(
      JSON.parse('{"__proto__":{"value":1,"quota":null,"attainment":null}}'),
    )
  })

  it('accepts the largest safe integer and throws ResultRangeError beyond it', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER)
    expect(onlyRep(run([rep({ payoutMinor: max })])).payout).toBe(Number.MAX_SAFE_INTEGER)
    expect(() => toResultJson(run([rep({ payoutMinor: max + 1n })]))).toThrow(ResultRangeError)
    expect(() => toResultJson(run([rep({ balanceMinor: -max - 1n })]))).toThrow(
      /balance of r1 in msp-ae 2026-01/,
    )
  })

  it('lists a period without reps and writes another currency by its code', () => {
    const json = toResultJson(run([], { currency: { code: 'JPY', digits: 0 } }))
    expect(json.plans[0]!.currency).toBe('JPY')
    expect(json.plans[0]!.periods[0]!.reps).toEqual([])
  })

  it('uses the currency digits for money metrics', () => {
    // 1,234.5 JPY with 0 digits → 1235
    const json = onlyRep(
      run([rep({ metrics: [metric('m', true, '12345/10', null)] })], {
        currency: { code: 'JPY', digits: 0 },
      }),
    )
    expect(json.metrics['m']!.value).toBe(1235)
  })
})

describe('formatResultJson', () => {
  it('indents by two spaces and parses back to toResultJson', () => {
    const result = run([rep({ payoutMinor: 100n })])
    const text = formatResultJson(result)
    expect(text).toContain('\n  "plans": [\n    {\n      "id": "msp-ae"')
    expect(JSON.parse(text)).toEqual(toResultJson(result))
  })
})
