import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { ratio } from '../money/rational.ts'
import { EXAMPLE_PLAN_YAML } from './example-plan.ts'
import { formatPlanIssue, parsePlan } from './parse-plan.ts'
import type { Plan } from './plan.ts'

function parsed(text: string, file = 'plan.yaml'): Plan {
  const { plan, issues } = parsePlan(text, file)
  expect(issues.map(formatPlanIssue)).toEqual([])
  if (plan === null) throw new Error('no plan')
  return plan
}

/** A plan as plain data: bigints as text, maps as objects, CEL programs as their source. */
function view(plan: Plan): unknown {
  return JSON.parse(
    JSON.stringify({ ...plan, file: undefined }, (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${value}n`
      if (value instanceof Map) return Object.fromEntries(value)
      if (typeof value === 'object' && value !== null && 'evaluate' in value && 'source' in value)
        return value.source
      return value
    }),
  )
}

const MINIMAL = `version: 1
id: p
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
`

describe('parsePlan', () => {
  it('compiles the header, metrics and quotas of the spec example when it is read as YAML', () => {
    // Given the spec's complete example
    // When it is parsed
    const plan = parsed(EXAMPLE_PLAN_YAML, 'msp-ae.yaml')
    // Then every value is as written, with the defaults filled in
    expect(plan).toMatchObject({
      id: 'msp-ae',
      name: 'Account Executive, Managed Services',
      file: 'msp-ae.yaml',
      currency: { code: 'USD', digits: 2 },
      period: 'month',
      timezone: 'America/Chicago',
      effective: { from: '2026-01-01' },
      prorate: true,
    })
    expect(plan.metrics.map((m) => [m.id, m.source, m.of, m.money, m.where?.source])).toEqual([
      ['new_mrr', { kind: 'sum', field: 'mrr' }, 'self', true, 'deal.type == "managed"'],
      ['projects', { kind: 'sum', field: 'amount' }, 'self', true, 'deal.type == "project"'],
      ['calls', { kind: 'count', of: 'activities' }, 'self', false, 'activity.kind == "call"'],
    ])
    expect([...plan.quotas]).toEqual([
      ['new_mrr', ratio(4000n)],
      ['calls', ratio(250n)],
    ])
    expect(plan.ramp).toEqual([ratio(1n, 4n), ratio(1n, 2n), ratio(3n, 4n)])
  })

  it('compiles commissions, spiffs and the draw of the spec example exactly when it is read as YAML', () => {
    // Given / When
    const plan = parsed(EXAMPLE_PLAN_YAML)
    // Then tiers are exact rationals, the cap is in minor units, and the defaults are filled in
    expect(plan.commissions).toEqual([
      {
        id: 'mrr',
        on: 'new_mrr',
        rate: null,
        tiers: [
          { to: ratio(1n), rate: ratio(1n) },
          { to: ratio(3n, 2n), rate: ratio(3n, 2n) },
          { to: null, rate: ratio(2n) },
        ],
        tiered: 'marginal',
        gate: ratio(1n, 2n),
        capMinor: 1200000n,
        clawbackDays: 90,
      },
      {
        id: 'projects',
        on: 'projects',
        rate: ratio(1n, 20n),
        tiers: null,
        tiered: 'marginal',
        gate: null,
        capMinor: null,
        clawbackDays: null,
      },
    ])
    expect(plan.spiffs).toMatchObject([
      { id: 'three-year-agreements', amountMinor: 25000n, from: '2026-10-01', to: '2026-12-31' },
    ])
    expect(plan.spiffs[0]?.where?.source).toBe('deal.type == "managed" && deal.term_months >= 36')
    expect(plan.draw).toEqual({ amountMinor: 150000n, recoverable: true })
  })

  it('compiles the rules of the spec example with their effects in the order written', () => {
    // Given / When
    const plan = parsed(EXAMPLE_PLAN_YAML)
    const [pto, calls, warn, coach, review, boost] = plan.rules
    // Then
    expect(plan.rules.map((r) => r.id)).toEqual([
      'pto-at-120',
      'call-minimum',
      'warn-on-miss',
      'coach-after-two-misses',
      'review-after-failed-coaching',
      'boost-after-150',
    ])
    expect(pto?.then).toEqual({ order: ['pto_days', 'bonus'], ptoDays: ratio(1n), bonusMinor: 50000n })
    expect(calls?.then).toEqual({ order: ['forfeit'], forfeit: ['projects'] })
    expect(warn?.then).toEqual({ order: ['warning'], warning: 'Below the monthly MRR goal' })
    expect(coach?.when.source).toBe('misses.new_mrr >= 2 && !coaching.active')
    expect(coach?.then.order).toEqual(['coaching'])
    expect(coach?.then.coaching).toMatchObject({ periods: 2, program: 'Managed services selling' })
    expect(coach?.then.coaching?.pass.source).toBe('attainment.new_mrr >= 0.9')
    expect(review?.then).toEqual({
      order: ['termination_review'],
      terminationReview: 'Still below goal after coaching',
    })
    expect(boost?.then).toEqual({ order: ['boost'], boost: { rule: 'mrr', by: ratio(1n, 4n), periods: 1 } })
  })

  it('compiles `when` into a program that evaluates when the plan is sound', () => {
    // Given the first rule of the example (attainment.new_mrr >= 1.2)
    const when = parsed(EXAMPLE_PLAN_YAML).rules[0]?.when
    // When it is evaluated at 125% and at 119%
    // Then it fires only at 125%
    expect(when?.evaluate({ attainment: { new_mrr: 1.25 } })).toBe(true)
    expect(when?.evaluate({ attainment: { new_mrr: 1.19 } })).toBe(false)
  })

  it('compiles the same plan when the spec example is written as JSON', () => {
    // Given the example converted to JSON text
    const json = JSON.stringify(parse(EXAMPLE_PLAN_YAML) as unknown, null, 2)
    // When both are parsed
    // Then they compile to the same plan
    expect(view(parsed(json, 'msp-ae.json'))).toEqual(view(parsed(EXAMPLE_PLAN_YAML)))
  })

  it('fills in the defaults when optional keys are left out', () => {
    // Given a plan with only the required keys, a commission and a rule with coaching and boost
    const plan = parsed(`${MINIMAL}commissions:
  - { id: c, on: new_mrr, tiers: [{ to: 1, rate: 0.1 }, { rate: 0.2 }] }
draw: { amount: 100 }
rules:
  - id: r
    when: attainment.new_mrr < 1.0
    then: { coaching: { pass: attainment.new_mrr >= 1.0 }, boost: { rule: c, by: 10% } }
`)
    // Then timezone, effective, of, tiered, draw.recoverable and both periods take their defaults
    expect(plan).toMatchObject({ timezone: 'UTC', effective: {}, name: 'p', ramp: [], prorate: false })
    expect(plan.metrics[0]?.of).toBe('self')
    expect(plan.commissions[0]?.tiered).toBe('marginal')
    expect(plan.draw).toEqual({ amountMinor: 10000n, recoverable: true })
    expect(plan.rules[0]?.then.coaching?.periods).toBe(1)
    expect(plan.rules[0]?.then.boost?.periods).toBe(1)
    expect(plan.rules[0]?.then.order).toEqual(['coaching', 'boost'])
  })

  it('reads `on:` as a key when the plan is YAML 1.2', () => {
    // Given a commission written with `on:` (a boolean key in YAML 1.1)
    const plan = parsed(`${MINIMAL}commissions:\n  - id: c\n    on: new_mrr\n    rate: 1%\n`)
    // Then it names the metric
    expect(plan.commissions[0]?.on).toBe('new_mrr')
  })

  it.each([
    { written: '5%', exact: ratio(1n, 20n) },
    { written: '0.05', exact: ratio(1n, 20n) },
    { written: "'5%'", exact: ratio(1n, 20n) },
    { written: '12.5%', exact: ratio(1n, 8n) },
    { written: '0.075', exact: ratio(3n, 40n) },
    { written: '5', exact: ratio(5n) }, // five times the value, not 5%
  ])('reads rate $written exactly as a factor when it is a number or a percentage', ({ written, exact }) => {
    // Given a rate written one way
    const plan = parsed(`${MINIMAL}commissions:\n  - { id: c, on: new_mrr, rate: ${written} }\n`)
    // Then it is the exact factor
    expect(plan.commissions[0]?.rate).toEqual(exact)
  })

  it('reads money from its text when the plan is JSON', () => {
    // Given JSON amounts that a float would not keep apart from their neighbours
    const plan = parsed(
      JSON.stringify({
        version: 1,
        id: 'p',
        currency: 'USD',
        period: 'month',
        metrics: { m: { sum: 'amount' } },
      }).replace(
        /}$/,
        ', "quotas": { "m": 1234.50 }, "draw": { "amount": 9007199254740993.01 }, "spiffs": [{ "id": "s", "amount": "0.10" }] }',
      ),
      'p.json',
    )
    // Then every amount is exact in minor units
    expect(plan.quotas.get('m')).toEqual(ratio(2469n, 2n))
    expect(plan.draw?.amountMinor).toBe(900719925474099301n)
    expect(plan.spiffs[0]?.amountMinor).toBe(10n)
  })

  it('lower-cases the field of `sum:` and makes only amount and mrr money when metrics are read', () => {
    // Given sums of MRR, a numeric column and a count of deals
    const plan = parsed(`version: 1
id: p
currency: JPY
period: quarter
metrics:
  a: { sum: MRR }
  b: { sum: Hours, of: team }
  c: { count: deals, of: directs, where: 'deal.type != "hardware"' }
quotas: { a: 1200, b: 10.5, c: 3 }
`)
    // Then
    expect(plan.metrics.map((m) => [m.source, m.money, m.of])).toEqual([
      [{ kind: 'sum', field: 'mrr' }, true, 'self'],
      [{ kind: 'sum', field: 'hours' }, false, 'team'],
      [{ kind: 'count', of: 'deals' }, false, 'directs'],
    ])
    expect([...plan.quotas.values()]).toEqual([ratio(1200n), ratio(21n, 2n), ratio(3n)])
  })
})

describe('formatPlanIssue', () => {
  it('prints FILE:LINE:COL: message when given an issue', () => {
    expect(formatPlanIssue({ file: 'p.yaml', line: 3, column: 7, message: 'unknown currency "USX"' })).toBe(
      'p.yaml:3:7: unknown currency "USX"',
    )
  })
})
