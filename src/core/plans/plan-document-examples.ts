import { periodEnd, periodStart } from '../calendar/period.ts'
import { runEngine } from '../engine/run-engine.ts'
import type { RepResult } from '../engine/result.ts'
import { formatMoneyForPeople } from '../money/money.ts'
import { add, cmp, div, mul, ratio, roundHalfAwayFromZero, type Rational } from '../money/rational.ts'
import { describeEffects } from './describe-effects.ts'
import { formatNumber, formatPercent } from './format-for-people.ts'
import type { Commission, Metric, Plan } from './plan.ts'
import { EXAMPLE_REP, exampleRecords, type MetricValue, roundForMetric } from './plan-document-records.ts'

/** One worked example: a metric value and what the one engine pays for it. Money in minor units. */
export interface WorkedExample {
  readonly valueText: string
  /** The metric's value: money metrics in currency units, others as numbers. */
  readonly value: Rational
  readonly attainment: Rational | null
  /** The commission's line: paid, forfeited (gate or a rule) and above the cap. */
  readonly earnedMinor: bigint
  /** `earnedMinor` for people ("3,000.00 USD"). */
  readonly earnedText: string
  readonly forfeitedMinor: bigint
  readonly cappedMinor: bigint
  /** Every line of the period (commissions, spiffs, bonuses, draw): the period's payout. */
  readonly payoutMinor: bigint
  /** Rules that fire at this value, in words ("pto-at-120: 1 day of paid time off"). */
  readonly rules: readonly string[]
  readonly sentence: string
}

/** The worked examples of one commission; `unavailable` says why there are none. */
export interface CommissionExamples {
  readonly commission: string
  readonly metric: string
  /** What the examples assume besides the value shown. */
  readonly assumption: string
  readonly examples: readonly WorkedExample[]
  readonly unavailable: string | null
}

const CAP_SEARCH_DOUBLINGS = 4

/**
 * Worked examples of every commission, computed by the one engine (runEngine) on the records of
 * a single synthetic rep in period `periodIndex` (of the plan's kind): values around the gate,
 * the goal and each tier bound, one below the lowest and one above the highest, and one where the
 * cap binds. The rep is past any ramp, employed the whole period, with nothing carried in.
 */
export function workedExamples(plan: Plan, periodIndex: number): CommissionExamples[] {
  return plan.commissions.map((commission) => examplesOf(plan, commission, periodIndex))
}

function examplesOf(plan: Plan, commission: Commission, periodIndex: number): CommissionExamples {
  const metric = plan.metrics.find((m) => m.id === commission.on)
  const none = (why: string): CommissionExamples => ({
    commission: commission.id,
    metric: commission.on,
    assumption: '',
    examples: [],
    unavailable: why,
  })
  if (metric === undefined) return none(`there is no metric ${commission.on}`)
  if (metric.of !== 'self')
    return none(`${metric.id} is computed from the reports of a manager; see the rates above`)
  const quota = plan.quotas.get(metric.id) ?? null
  const values = exampleValues(plan, commission, metric, quota)
  if (values.length === 0) return none(`the goal of ${metric.id} is zero`)
  const others = plan.metrics.flatMap((m): MetricValue[] => {
    const q = plan.quotas.get(m.id)
    return m.id === metric.id || q === undefined || m.of !== 'self' ? [] : [{ metric: m, value: q }]
  })
  // Other goals met exactly keeps other rules quiet; if their records would feed this metric too,
  // fall back to nothing else credited.
  for (const [rest, assumption] of [
    [
      others,
      others.length === 0
        ? 'nothing else credited'
        : `the other goals met exactly (${others.map((o) => o.metric.id).join(', ')})`,
    ],
    [[], 'nothing else credited'],
  ] as const) {
    const examples: WorkedExample[] = []
    let ok = true
    for (const value of values) {
      const example = runExample(plan, commission, metric, periodIndex, value, rest)
      if (example === null) {
        ok = false
        break
      }
      examples.push(example)
    }
    if (!ok) continue
    const capped = capExample(plan, commission, metric, periodIndex, examples, rest)
    if (capped !== null) examples.push(capped)
    return { commission: commission.id, metric: metric.id, assumption, examples, unavailable: null }
  }
  return none(`no simple deal or activity passes the filter of ${metric.id}; see the rates above`)
}

/** The values to show: around the gate, the goal and each tier bound; fixed ones without a goal. */
function exampleValues(
  plan: Plan,
  commission: Commission,
  metric: Metric,
  quota: Rational | null,
): Rational[] {
  const raw: Rational[] = []
  if (quota === null) {
    const scale = metric.source.kind === 'count' ? [10n, 100n] : [1_000n, 10_000n]
    raw.push(...scale.map((n) => ratio(n)))
  } else {
    const bounds = uniqueSorted([
      ...(commission.gate === null ? [] : [commission.gate]),
      ...(commission.tiers ?? []).flatMap((t) => (t.to === null ? [] : [t.to])),
      ratio(1n),
    ])
    const points: Rational[] = []
    const first = bounds[0] as Rational
    const last = bounds[bounds.length - 1] as Rational
    points.push(mul(first, ratio(4n, 5n)))
    bounds.forEach((b, i) => {
      const next = bounds[i + 1]
      points.push(b)
      if (next !== undefined) points.push(div(add(b, next), ratio(2n)))
    })
    points.push(add(last, ratio(1n, 2n)))
    raw.push(...points.map((a) => mul(a, quota)))
  }
  return uniqueSorted(raw.map((v) => roundForMetric(v, metric, plan.currency.digits)).filter((v) => v.n > 0n))
}

function uniqueSorted(list: readonly Rational[]): Rational[] {
  const sorted = [...list].sort(cmp)
  return sorted.filter((v, i) => i === 0 || cmp(v, sorted[i - 1] as Rational) !== 0)
}

/** A value past the cap when no example reaches it: the highest doubled until the cap binds. */
function capExample(
  plan: Plan,
  commission: Commission,
  metric: Metric,
  periodIndex: number,
  examples: readonly WorkedExample[],
  rest: readonly MetricValue[],
): WorkedExample | null {
  if (commission.capMinor === null || examples.some((e) => e.cappedMinor > 0n)) return null
  let value = examples[examples.length - 1]?.value ?? null
  for (let i = 0; value !== null && i < CAP_SEARCH_DOUBLINGS; i++) {
    value = mul(value, ratio(2n))
    const example = runExample(plan, commission, metric, periodIndex, value, rest)
    if (example === null) return null
    if (example.cappedMinor > 0n) return example
  }
  return null
}

/** Runs the engine on one synthetic rep; null when the records do not give the metric this value. */
function runExample(
  plan: Plan,
  commission: Commission,
  metric: Metric,
  periodIndex: number,
  value: Rational,
  rest: readonly MetricValue[],
): WorkedExample | null {
  const from = periodStart(plan.period, periodIndex)
  const to = periodEnd(plan.period, periodIndex)
  const records = exampleRecords(plan, from, [{ metric, value }, ...rest])
  if (records === null) return null
  const rep = runEngine([plan], records, { from, to }).plans[0]?.periods[0]?.reps.find(
    (r) => r.rep === EXAMPLE_REP,
  )
  const result = rep?.metrics.find((m) => m.id === metric.id)
  if (rep === undefined || result === undefined || cmp(result.value, value) !== 0) return null
  return describeExample(plan, commission, metric, value, result.attainment, rep)
}

function describeExample(
  plan: Plan,
  commission: Commission,
  metric: Metric,
  value: Rational,
  attainment: Rational | null,
  rep: RepResult,
): WorkedExample {
  const money = (minor: bigint): string => formatMoneyForPeople(minor, plan.currency)
  const line = rep.lines.find((l) => l.kind === 'commission' && l.rule === commission.id)
  const earnedMinor = line?.amountMinor ?? 0n
  const forfeitedMinor = line?.forfeitedMinor ?? 0n
  const cappedMinor = line?.cappedMinor ?? 0n
  const valueText = metric.money
    ? money(roundHalfAwayFromZero(mul(value, ratio(10n ** BigInt(plan.currency.digits)))))
    : formatNumber(value)
  const rules = rep.outcomes.map((o) => `${o.rule}: ${describeEffects(o.effects, plan)}`)
  const share = attainment === null ? '' : ` (${formatPercent(roundAttainment(attainment))} of the goal)`
  let sentence = `With ${metric.id} of ${valueText}${share}, you would earn ${money(earnedMinor)} from the ${commission.id} commission`
  if (forfeitedMinor > 0n) {
    const gated = commission.gate !== null && attainment !== null && cmp(attainment, commission.gate) < 0
    sentence += `; ${money(forfeitedMinor)} is forfeited${gated ? ` (below the ${formatPercent(commission.gate as Rational)} gate)` : ''}`
  }
  if (cappedMinor > 0n && commission.capMinor !== null)
    sentence += `; ${money(cappedMinor)} above the ${money(commission.capMinor)} cap is not paid`
  sentence += '.'
  if (rules.length > 0) sentence += ` Rules that apply: ${rules.join('; ')}.`
  sentence += ` The ${plan.period} pays ${money(rep.payoutMinor)} in all.`
  return {
    valueText,
    value,
    attainment,
    earnedMinor,
    earnedText: money(earnedMinor),
    forfeitedMinor,
    cappedMinor,
    payoutMinor: rep.payoutMinor,
    rules,
    sentence,
  }
}

/** An attainment to a tenth of a percent for display (exact values such as 1.25 stay exact). */
function roundAttainment(a: Rational): Rational {
  return ratio(roundHalfAwayFromZero(mul(a, ratio(1000n))), 1000n)
}
