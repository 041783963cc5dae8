import { describe, expect, it } from 'vitest'
import { planFrom, recordsFrom } from '../../../test/support/records.ts'
import { localDayOf } from '../calendar/business-days.ts'
import { ZoneCalendar } from '../calendar/instant.ts'
import { formatLocalDate, parseLocalDate } from '../calendar/civil.ts'
import { periodEnd, periodStart } from '../calendar/period.ts'
import { runEngine } from '../engine/run-engine.ts'
import { formatFixed } from '../money/rational.ts'
import { calculatePace } from './pace.ts'
import { readAttainmentComparison } from './plan-stakes.ts'
import { recordsAsOf } from './records-as-of.ts'

const PLAN = `version: 1
id: ae
name: AE
currency: USD
period: month
timezone: America/Chicago
metrics:
  new_mrr: { sum: mrr }
quotas:
  new_mrr: 4000
commissions:
  - id: mrr
    on: new_mrr
    tiers:
      - { to: 100%, rate: 100% }
      - { rate: 150% }
    gate: 50%
rules:
  - id: pto-at-120
    when: attainment.new_mrr >= 1.2
    then: { pto_days: 1, bonus: 500 }
  - id: warn-on-miss
    when: attainment.new_mrr < 1.0
    then: { warning: "Below the monthly MRR goal" }
  - id: not-simple
    when: attainment.new_mrr < 0.5 && misses.new_mrr >= 2
    then: { termination_review: "too low" }
`

const day = (text: string): number => parseLocalDate(text) as number

/** Pace of r1 in a month, on the deals as of a local date (the engine runs the whole month on them). */
function paceOf(deals: string[][], month: number, asOf: number) {
  const plan = planFrom(PLAN)
  const all = recordsFrom(
    [plan],
    [
      ['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on'],
      ['r1', 'R One', '', '', 'North', 'ae', '2020-01-01', ''],
    ],
    [
      ['id', 'rep', 'closed_on', 'amount', 'mrr', 'type', 'customer', 'term_months', 'cancelled_on'],
      ...deals,
    ],
  )
  const records = recordsAsOf(all, asOf, new ZoneCalendar(plan.timezone))
  const index = 2026 * 12 + month - 1
  const run = runEngine([plan], records, { from: periodStart('month', index), to: periodEnd('month', index) })
  const rep = run.plans[0]?.periods[0]?.reps[0]
  if (rep === undefined) throw new Error('no result')
  return calculatePace({
    plan,
    rep,
    periodStart: periodStart('month', index),
    periodEnd: periodEnd('month', index),
    asOf,
  })
}

const MARCH = [
  ['d1', 'r1', '2026-03-02', '0', '1000', 'managed', 'c', '', ''],
  ['d2', 'r1', '2026-03-09', '0', '680', 'managed', 'c', '', ''],
  ['d3', 'r1', '2026-03-20', '0', '2000', 'managed', 'c', '', ''],
]

describe('calculatePace', () => {
  it('projects from business days and says what is at stake', () => {
    // as of Fri Mar 13: d1 + d2 = 1,680 of 4,000 = 42%; Mar 2–6, 9–13: 10 of 22 business days
    // projected 1,680 × 22 / 10 = 3,696 = 92.4%
    const pace = paceOf(MARCH, 3, day('2026-03-13'))
    const m = pace.metrics[0]
    expect([pace.elapsedBusinessDays, pace.totalBusinessDays]).toEqual([10, 22])
    expect(formatFixed(m?.attainment ?? { n: 0n, d: 1n }, 6)).toBe('0.420000')
    expect(formatFixed(m?.projectedValue ?? { n: 0n, d: 1n }, 2)).toBe('3696.00')
    expect(formatFixed(m?.projectedAttainment ?? { n: 0n, d: 1n }, 6)).toBe('0.924000')
    expect(pace.earnedSoFarMinor).toBe(0n) // the gate forfeits the commission
    expect(m?.sentence).toBe(
      'you are at 42% of the new_mrr goal (92% on Mar 31 at this pace); ' +
        'below 50% on Mar 31 the mrr commission of about 1,680.00 USD is forfeited; 8% more (320.00 USD of new_mrr) reaches the gate; ' +
        '58% more (2,320.00 USD of new_mrr) reaches the 150% rate of the mrr commission at 100%; ' +
        'below 100% on Mar 31: a formal warning: “Below the monthly MRR goal”; 58% more (2,320.00 USD of new_mrr) avoids it; ' +
        '78% more (3,120.00 USD of new_mrr) reaches the 120% reward: 1 day of paid time off and a 500.00 USD bonus',
    )
    // the rule whose `when` is not one comparison says nothing
    expect(m?.stakes.map((s) => s.source)).toEqual(['mrr', 'mrr', 'warn-on-miss', 'pto-at-120'])
  })

  it('counts the local date of an instant after the DST change', () => {
    // 2026-03-10T05:30Z is Tue Mar 10 00:30 CDT (UTC−5 since Mar 8); with CST it would still be Mar 9
    const asOf = localDayOf(Date.parse('2026-03-10T05:30:00Z'), 'America/Chicago')
    expect(formatLocalDate(asOf)).toBe('2026-03-10')
    const pace = paceOf(MARCH, 3, asOf)
    // Mar 2–6 and 9–10: 7 business days; 1,680 × 22 / 7 = 5,280 = 132%
    expect(pace.elapsedBusinessDays).toBe(7)
    expect(formatFixed(pace.metrics[0]?.projectedAttainment ?? { n: 0n, d: 1n }, 6)).toBe('1.320000')
  })

  it('projects the value itself at the month end and after it', () => {
    // all three deals: 3,680 = 92%; 22 of 22 days
    for (const asOf of ['2026-03-31', '2026-04-02']) {
      const pace = paceOf(MARCH, 3, day(asOf))
      expect([pace.elapsedBusinessDays, pace.asOf]).toEqual([22, '2026-03-31'])
      expect(formatFixed(pace.metrics[0]?.projectedAttainment ?? { n: 0n, d: 1n }, 6)).toBe('0.920000')
      expect(pace.earnedSoFarMinor).toBe(368000n) // 3,680 × 100%, above the gate
    }
  })

  it('has no projection before the first business day', () => {
    // Feb 1 2026 is a Sunday
    const pace = paceOf([], 2, day('2026-02-01'))
    expect([pace.elapsedBusinessDays, pace.totalBusinessDays]).toEqual([0, 20])
    expect(pace.metrics[0]?.projectedAttainment).toBeNull()
    expect(pace.metrics[0]?.sentence).toMatch(/^you are at 0% of the new_mrr goal; below 50% on Feb 28/)
  })

  it('says a reward is reached when it is', () => {
    const deals = [['d1', 'r1', '2026-01-05', '0', '5000', 'managed', 'c', '', '']]
    const pace = paceOf(deals, 1, day('2026-01-15'))
    // 5,000 / 4,000 = 125%: 4,000 × 100% + 1,000 × 150% = 5,500; the reward reached, no warning
    // Jan 1–2, 5–9, 12–15: 11 of 22 business days → 250% at this pace
    expect(pace.metrics[0]?.sentence).toBe(
      'you are at 125% of the new_mrr goal (250% on Jan 31 at this pace); ' +
        'the mrr commission of about 5,500.00 USD is above its 50% gate; ' +
        'reached 120%: 1 day of paid time off and a 500.00 USD bonus',
    )
  })
})

describe('readAttainmentComparison', () => {
  it.each([
    { when: 'attainment.new_mrr >= 1.2', out: { metric: 'new_mrr', op: '>=' } },
    { when: '0.8 > attainment["calls"]', out: { metric: 'calls', op: '<' } },
    { when: 'attainment.calls < 0.8 && tenure > 2', out: null },
    { when: 'misses.new_mrr >= 2', out: null },
  ])('reads $when', ({ when, out }) => {
    const read = readAttainmentComparison(when)
    expect(read === null ? null : { metric: read.metric, op: read.op }).toEqual(out)
  })
})
