import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { diffPlans } from './diff-plans.ts'
import { EXAMPLE_PLAN_YAML } from './example-plan.ts'
import { parsePlan } from './parse-plan.ts'
import type { Plan } from './plan.ts'

function planOf(text: string, file = 'plan.yaml'): Plan {
  const { plan, issues } = parsePlan(text, file)
  expect(issues).toEqual([])
  if (plan === null) throw new Error('no plan')
  return plan
}

/** `text` with each `[before, after]` replaced once (each must be there). */
function edit(text: string, ...edits: [string, string][]): string {
  return edits.reduce((t, [before, after]) => {
    expect(t).toContain(before)
    return t.replace(before, after)
  }, text)
}

const edited = (...edits: [string, string][]): string => edit(EXAMPLE_PLAN_YAML, ...edits)

/** Every map's keys in reverse order, recursively: the same plan written differently. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  )
}

const example = planOf(EXAMPLE_PLAN_YAML)
const diffTo = (...edits: [string, string][]): string[] => diffPlans(example, planOf(edited(...edits)))

describe('diffPlans', () => {
  it('lists nothing when the plan is the same', () => {
    expect(diffPlans(example, planOf(EXAMPLE_PLAN_YAML))).toEqual([])
  })

  it('lists nothing when only comments, key order, format and the writing of numbers change', () => {
    // Given the example as JSON, every map's keys reversed, without comments
    const json = JSON.stringify(reversedKeys(parse(EXAMPLE_PLAN_YAML)))
    // and the same numbers, conditions and effects written another way
    const rewritten = edit(
      json,
      ['"rate":"150%"', '"rate":1.5'],
      ['attainment.new_mrr >= 1.2', '1.20<=attainment.new_mrr'],
      [`deal.type == \\"managed\\" &&`, `deal.type=='managed' &&`],
      ['"bonus":500,"pto_days":1', '"pto_days":1,"bonus":500.00'],
    )
    // When / Then
    expect(diffPlans(example, planOf(rewritten, 'plan.json'))).toEqual([])
  })

  it('states each change in plain words, in summary order, when several elements change', () => {
    // Given
    const changed = edited(
      ['new_mrr: 4000', 'new_mrr: 4500'],
      ['{ to: 150%, rate: 150% }', '{ to: 150%, rate: 175% }'],
      ['gate: 50%', 'gate: 60%'],
      ['amount: 1500', 'amount: 2000'],
      [
        '  - id: warn-on-miss\n    when: attainment.new_mrr < 1.0\n    then: { warning: "Below the monthly MRR goal" }\n',
        '',
      ],
    ).concat('  - id: pto-at-110\n    when: attainment.new_mrr >= 1.1\n    then: { pto_days: 1 }\n')
    // When
    const diff = diffPlans(example, planOf(changed))
    // Then
    expect(diff).toEqual([
      'The new_mrr goal goes from 4,000.00 USD to 4,500.00 USD.',
      "The mrr commission's second tier rate goes from 150% to 175%.",
      'The gate on mrr moves from 50% to 60%.',
      'The draw goes from 1,500.00 USD to 2,000.00 USD (still recoverable).',
      'New rule pto-at-110: At 110% or more of the new_mrr goal, 1 day of paid time off.',
      'Rule warn-on-miss is removed.',
    ])
  })

  it.each<{ change: string; edits: [string, string][]; sentences: string[] }>([
    {
      change: 'the time zone and the effective dates',
      edits: [
        ['timezone: America/Chicago', 'timezone: UTC'],
        ['effective: { from: 2026-01-01 }', 'effective: { from: 2026-02-01, to: 2026-12-31 }'],
      ],
      sentences: [
        'The time zone goes from America/Chicago to UTC.',
        "The plan's first day goes from 2026-01-01 to 2026-02-01.",
        'The plan now has a last day: 2026-12-31.',
      ],
    },
    {
      change: "a metric's filter",
      edits: [[`'deal.type == "managed"' }`, `'deal.type == "managed" && deal.term_months >= 12' }`]],
      sentences: [
        'Metric new_mrr changes: new_mrr is the MRR in USD of your managed deals with term_months of 12 or more, ' +
          'at your share of each (before: new_mrr is the MRR in USD of your managed deals, at your share of each).',
      ],
    },
    {
      change: 'a count goal, the ramp and proration',
      edits: [
        ['calls: 250', 'calls: 300'],
        ['ramp: [25%, 50%, 75%]', 'ramp: [50%, 75%]'],
        ['prorate: true', 'prorate: false'],
      ],
      sentences: [
        'The calls goal goes from 250 to 300.',
        'The ramp goes from 25% / 50% / 75% to 50% / 75% of the full goal in your first months.',
        'The goal is no longer prorated by the days you are employed.',
      ],
    },
    {
      change: 'a rate, a cap and a clawback',
      edits: [
        ['rate: 5%', 'rate: 6%'],
        ['cap: 12000', 'cap: 15000'],
        [
          '    clawback: 90              # days: a deal cancelled within 90 days of closing takes back its share\n',
          '',
        ],
      ],
      sentences: [
        'The cap on mrr moves from 12,000.00 USD to 15,000.00 USD.',
        'The clawback window on mrr is removed.',
        "The projects commission's rate goes from 5% to 6%.",
      ],
    },
    {
      change: 'how tiers pay and where a tier ends',
      edits: [
        ['tiered: marginal', 'tiered: retroactive'],
        ['{ to: 100%, rate: 100% }', '{ to: 110%, rate: 100% }'],
      ],
      sentences: [
        'The mrr commission now pays the whole value at the rate of the tier reached, instead of each slice at its own rate.',
        "The mrr commission's first tier now ends at 110% of goal instead of 100%.",
      ],
    },
    {
      change: 'the number of tiers',
      edits: [['      - { to: 150%, rate: 150% }\n', '']],
      sentences: [
        "The mrr commission's rates change to 100% up to 100% of goal, 200% above (each slice at its own rate) " +
          '(before: 100% up to 100% of goal, 150% from 100% to 150%, 200% above (each slice at its own rate)).',
      ],
    },
    {
      change: 'a new commission on a count metric',
      edits: [['    rate: 5%\n', '    rate: 5%\n  - { id: per-call, on: calls, rate: 2 }\n']],
      sentences: ['New commission per-call: per-call commission on calls: 2 USD each.'],
    },
    {
      change: "a spiff's amount and last day",
      edits: [
        ['amount: 250 ', 'amount: 300 '],
        ['to: 2026-12-31', 'to: 2027-03-31'],
      ],
      sentences: [
        "The three-year-agreements spiff's amount goes from 250.00 USD to 300.00 USD a deal.",
        "The three-year-agreements spiff's last day goes from 2026-12-31 to 2027-03-31.",
      ],
    },
    {
      change: 'whether the draw is recoverable',
      edits: [['recoverable: true', 'recoverable: false']],
      sentences: ['The draw of 1,500.00 USD is now not recoverable.'],
    },
    {
      change: 'the draw, removed',
      edits: [['draw: { amount: 1500, recoverable: true }\n', '']],
      sentences: ['The draw is removed.'],
    },
    {
      change: "a rule's condition",
      edits: [['attainment.new_mrr >= 1.2', 'attainment.new_mrr >= 1.1']],
      sentences: [
        'Rule pto-at-120 now applies when you are at 110% or more of the new_mrr goal ' +
          '(before: when you are at 120% or more of the new_mrr goal).',
      ],
    },
    {
      change: "a rule's effects",
      edits: [['{ pto_days: 1, bonus: 500 }', '{ pto_days: 2, bonus: 500 }']],
      sentences: [
        'Rule pto-at-120 now results in: 2 days of paid time off and a 500.00 USD bonus ' +
          '(before: 1 day of paid time off and a 500.00 USD bonus).',
      ],
    },
    {
      change: "a coaching rule's pass",
      edits: [['pass: attainment.new_mrr >= 0.9', 'pass: attainment.new_mrr >= 0.95']],
      sentences: [
        'Rule coach-after-two-misses now results in: a coaching plan of 2 months (Managed services selling); ' +
          'it passes if, at the close of its last month, you are at 95% or more of the new_mrr goal ' +
          '(before: a coaching plan of 2 months (Managed services selling); it passes if, at the close of its ' +
          'last month, you are at 90% or more of the new_mrr goal).',
      ],
    },
    {
      change: 'the order of the rules',
      edits: [
        ['  - id: call-minimum\n    when: attainment.calls < 0.8\n    then: { forfeit: [projects] }\n', ''],
        ['rules:                        # the stated incentives and consequences\n', 'rules:\n'],
        [
          'rules:\n',
          'rules:\n  - id: call-minimum\n    when: attainment.calls < 0.8\n    then: { forfeit: [projects] }\n',
        ],
      ],
      sentences: [
        'The rules are now evaluated in this order: call-minimum, pto-at-120, warn-on-miss, ' +
          'coach-after-two-misses, review-after-failed-coaching, boost-after-150.',
      ],
    },
  ])('states $change', ({ edits, sentences }) => {
    expect(diffTo(...edits)).toEqual(sentences)
  })
})
