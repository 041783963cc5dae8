import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLocalDate } from '../../src/core/calendar/civil.ts'
import { periodEnd, periodIndexOf } from '../../src/core/calendar/period.ts'
import { toResultJson } from '../../src/core/engine/result-json.ts'
import { runEngine } from '../../src/core/engine/run-engine.ts'
import type { CarriedState } from '../../src/core/engine/state.ts'
import type { Plan } from '../../src/core/plans/plan.ts'
import type { Records } from '../../src/core/records/records.ts'
import { dealCase, dealRows } from '../support/deal-cases.ts'
import { planFrom, recordsFrom } from '../support/records.ts'

// A run over periods 1 … N equals a run over 1 … k followed by a run over k+1 … N started from the
// state the first one reported (as a close from the state stored at the last close relies on).

const months = ['01', '02', '03', '04', '05', '06', '07', '08']
const N = months.length
const monthIndex = (m: number) => parseLocalDate(`2026-${months[m]}-01`) ?? 0 // an epoch day

function planYaml(draw: 'none' | 'recoverable' | 'fixed', clawbackDays: number): string {
  return `version: 1
id: ae
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
  deals: { count: deals }
quotas: { new_mrr: 3000, deals: 2 }
commissions:
  - id: mrr
    on: new_mrr
    tiers: [{ to: 100%, rate: 80% }, { to: 150%, rate: 120% }, { rate: 150% }]
    clawback: ${clawbackDays}
  - id: per-deal
    on: deals
    tiers: [{ rate: 5% }]
    clawback: ${clawbackDays + 30}
spiffs:
  - { id: every-deal, amount: 25.55 }
rules:
  - { id: streak-bonus, when: hits.new_mrr >= 2, then: { bonus: 300 } }
  - { id: boost-after-150, when: attainment.new_mrr >= 1.5, then: { boost: { rule: mrr, by: 25%, periods: 2 } } }
  - id: coach
    when: misses.new_mrr >= 2 && !coaching.active
    then: { coaching: { periods: 2, pass: attainment.new_mrr >= 0.9 } }
  - { id: after-coaching, when: coaching.failed, then: { forfeit: [every-deal] } }
  - { id: passed, when: coaching.passed, then: { bonus: 50 } }
${draw === 'none' ? '' : `draw: { amount: 1000, recoverable: ${draw === 'recoverable'} }`}
`
}

const deal = dealCase({ months: N, maxCancelDays: 150, cancelFreq: 3 })

const reps = [
  ['id', 'plan', 'hired_on', 'left_on'],
  ['r1', 'ae', '', ''],
  ['r2', 'ae', '2026-02-10', ''],
  ['r3', 'ae', '', '2026-05-20'],
]

/** Runs the plan over periods from … to (offsets into `months`), from a carried state. */
function run(plan: Plan, records: Records, from: number, to: number, carried?: CarriedState) {
  const kind = plan.period
  const first = monthIndex(from)
  const range = { from: first, to: periodEnd(kind, periodIndexOf(kind, monthIndex(to))) }
  const result = runEngine([plan], records, range, {
    reportState: true,
    ...(carried === undefined ? {} : { carried: new Map([[plan.id, carried]]) }),
  })
  const planResult = result.plans[0]
  if (planResult?.end === undefined) throw new Error('no end state')
  // Through JSON, as a close stores and loads it.
  const end = JSON.parse(JSON.stringify(planResult.end)) as CarriedState
  return { json: toResultJson(result).plans[0]?.periods ?? [], end }
}

describe('runEngine from carried state', () => {
  it('running 1 … N at once equals 1 … k, then k+1 … N from the reported state, for every k', () => {
    fc.assert(
      fc.property(
        fc.array(deal, { maxLength: 45 }),
        fc.constantFrom('none', 'recoverable', 'fixed'),
        fc.integer({ min: 0, max: 100 }),
        (deals, draw, clawbackDays) => {
          const plan = planFrom(planYaml(draw as 'none', clawbackDays))
          const records = recordsFrom([plan], reps, dealRows(deals, 3))
          const whole = run(plan, records, 0, N - 1)
          for (let k = 0; k < N - 1; k++) {
            const head = run(plan, records, 0, k)
            const tail = run(plan, records, k + 1, N - 1, head.end)
            expect([...head.json, ...tail.json]).toEqual(whole.json)
            expect(tail.end).toEqual(whole.end)
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('also when split at every period, one run per period', () => {
    fc.assert(
      fc.property(fc.array(deal, { maxLength: 40 }), fc.integer({ min: 20, max: 100 }), (deals, days) => {
        const plan = planFrom(planYaml('recoverable', days))
        const records = recordsFrom([plan], reps, dealRows(deals, 3))
        const whole = run(plan, records, 0, N - 1)
        const periods = []
        let state: CarriedState | undefined
        for (let p = 0; p < N; p++) {
          const one = run(plan, records, p, p, state)
          periods.push(...one.json)
          state = one.end
        }
        expect(periods).toEqual(whole.json)
      }),
      { numRuns: 30 },
    )
  })

  it('claws back, after the split, a deal that closed before it (worked example)', () => {
    const plan = planFrom(planYaml('none', 90))
    const rows = [
      ['id', 'rep', 'closed_on', 'mrr', 'cancelled_on'],
      ['a1', 'r1', '2026-01-10', '4000.00', '2026-03-05'], // 50 days: within both windows
      ['a2', 'r1', '2026-01-20', '2000.00', ''],
      ['a3', 'r1:50;r2:50', '2026-02-11', '1000.00', '2026-06-05'], // 114 days: per-deal only (120)
      ['a4', 'r1', '2026-01-05', '500.00', '2026-05-10'], // 125 days: outside both windows
    ]
    const records = recordsFrom([plan], reps, rows)
    const head = run(plan, records, 0, 1)
    expect(head.end.next).toBe(periodIndexOf('month', monthIndex(2)))
    expect(Object.keys(head.end.paid)).toEqual(['mrr', 'per-deal'])
    const tail = run(plan, records, 2, N - 1, head.end)
    const march = tail.json[0]?.reps.find((r) => r.rep === 'r1')
    const june = tail.json[3]?.reps.find((r) => r.rep === 'r1')
    // January: r1 had 6500 of new MRR (a1, a2, a4): 3000 × 80% + 1500 × 120% + 2000 × 150% = 7200
    // paid; a1 is 4000 of the 6500, so 7200 × 4000 / 6500 = 4430.77 comes back in March.
    const clawbacks = (r: typeof march) => r?.lines.filter((l) => l.kind === 'clawback') ?? []
    expect(clawbacks(march).map((l) => [l.rule, l.deal])).toEqual([
      ['mrr', 'a1'],
      ['per-deal', 'a1'],
    ])
    expect(clawbacks(march)[0]?.amount).toBe(-443077)
    expect(clawbacks(june).map((l) => [l.rule, l.deal])).toEqual([['per-deal', 'a3']])
    const whole = run(plan, records, 0, N - 1)
    expect([...head.json, ...tail.json]).toEqual(whole.json)
  })

  it('refuses a carried state for another period than the run starts with', () => {
    const plan = planFrom(planYaml('none', 30))
    const records = recordsFrom([plan], reps, dealRows([], 3))
    const head = run(plan, records, 0, 1)
    expect(() => run(plan, records, 3, 4, head.end)).toThrow(/carried state/)
  })
})
