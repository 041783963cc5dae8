import { describe, expect, it } from 'vitest'
import { EXAMPLE_PLAN_YAML } from './example-plan.ts'
import { parsePlan } from './parse-plan.ts'
import type { Plan } from './plan.ts'
import { summarizePlan } from './summarize-plan.ts'

function planOf(text: string): Plan {
  const { plan, issues } = parsePlan(text, 'plan.yaml')
  expect(issues).toEqual([])
  if (plan === null) throw new Error('no plan')
  return plan
}

const MINIMAL = `version: 1
id: p
currency: EUR
period: quarter
metrics:
  won: { sum: amount, of: directs }
  deals: { count: deals }
`

const summaryOf = (rest: string): string[] => summarizePlan(planOf(MINIMAL + rest))

describe('summarizePlan', () => {
  it('states goals, ramp, commissions, spiffs and the draw in plain words when given the spec example', () => {
    // Given / When
    const summary = summarizePlan(planOf(EXAMPLE_PLAN_YAML))
    // Then
    expect(summary).toEqual(
      expect.arrayContaining([
        'This plan applies from 2026-01-01.',
        'new_mrr is the MRR in USD of your managed deals, at your share of each.',
        'calls is the number of your call activities.',
        'Your goal each month (America/Chicago): 4,000.00 USD of new_mrr (managed deals), 250 calls.',
        'In your 1st, 2nd and 3rd month the goal is 25%, 50% and 75% of that; it is prorated by the days you are employed.',
        'mrr commission on new_mrr: 100% up to 100% of goal, 150% from 100% to 150%, 200% above (each slice at its own rate).',
        'Below 50% of the new_mrr goal, the mrr commission is forfeited.',
        'The mrr commission pays at most 12,000.00 USD a month.',
        'A deal cancelled within 90 days of closing takes back its share of the mrr commission.',
        'projects commission on projects: 5% of the value.',
        'The three-year-agreements spiff pays 250.00 USD for each of your managed deals with term_months of 36 or more, ' +
          'closed from 2026-10-01 to 2026-12-31, times your share of the deal.',
        'A draw of 1,500.00 USD a month, recoverable from later earnings.',
      ]),
    )
  })

  it('states every rule as its condition and its effects when given the spec example', () => {
    // Given / When
    const summary = summarizePlan(planOf(EXAMPLE_PLAN_YAML))
    // Then the rules close the summary, in file order
    expect(summary.slice(-6)).toEqual([
      'At 120% or more of the new_mrr goal, 1 day of paid time off and a 500.00 USD bonus.',
      'Below 80% of the calls goal, the projects commission is forfeited.',
      'Below 100% of the new_mrr goal, a formal warning: “Below the monthly MRR goal”.',
      'After 2 or more missed new_mrr goals in a row and no coaching plan is open, a coaching plan of 2 months ' +
        '(Managed services selling); it passes if, at the close of its last month, you are at 90% or more of the new_mrr goal.',
      'When a coaching plan fails, a termination review: “Still below goal after coaching”.',
      'At 150% or more of the new_mrr goal, the mrr commission is raised by 25% for the next month.',
    ])
  })

  it('quotes the CEL text when a condition is not a simple comparison', () => {
    const summary = summaryOf(`rules:
  - id: r
    when: attainment.won >= 1.0 || rep.team == "north"
    then: { raise: 3%, forfeit: all }
`)
    expect(summary.at(-1)).toBe(
      'When `attainment.won >= 1.0 || rep.team == "north"`, a recommended salary raise of 3% and every commission, ' +
        'spiff and bonus of the quarter is forfeited.',
    )
  })

  it.each([
    { when: 'hits.won >= 3', lead: 'After 3 or more won goals hit in a row' },
    { when: 'rank.won == 1', lead: 'When you rank 1st on won' },
    { when: 'rank.won <= 3', lead: 'When you rank in the top 3 on won' },
    { when: 'value.won > 10000', lead: 'With won above 10,000.00 EUR' },
    { when: 'tenure >= 4', lead: 'From your 4th quarter on' },
    {
      when: '1.1 <= attainment.won && coaching.active',
      lead: 'At 110% or more of the won goal and a coaching plan is open',
    },
  ])('translates $when into words when it is a simple comparison', ({ when, lead }) => {
    const summary = summaryOf(`rules:\n  - { id: r, when: '${when}', then: { pto_days: 0.5 } }\n`)
    expect(summary.at(-1)).toBe(`${lead}, 0.5 days of paid time off.`)
  })

  it('describes team metrics, per-unit rates, retroactive tiers and a non-recoverable draw when the plan has them', () => {
    const summary = summaryOf(`quotas: { won: 10000, deals: 2.5 }
prorate: true
commissions:
  - { id: per-deal, on: deals, rate: 150 }
  - id: steps
    on: won
    tiered: retroactive
    tiers: [{ to: 80%, rate: 2% }, { rate: 4% }]
draw: { amount: 0.5, recoverable: false }
`)
    expect(summary).toEqual([
      "won is the amount in EUR of your direct reports' deals, at your share of each.",
      'deals is the number of your deals, a shared deal counting as your share.',
      'Your goal each quarter (UTC): 10,000.00 EUR of won, 2.5 deals.',
      'The goal is prorated by the days you are employed in the quarter.',
      'per-deal commission on deals: 150 EUR each.',
      'steps commission on won: 2% up to 80% of goal, 4% above (the whole value at the rate of the tier reached).',
      'A draw of 0.50 EUR a quarter, not recoverable: when your earnings fall short it tops them up, and the top-up is not taken back.',
    ])
  })
})
