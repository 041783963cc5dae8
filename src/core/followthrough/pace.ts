import { formatLocalDate } from '../calendar/civil.ts'
import { businessDayProgress } from '../calendar/business-days.ts'
import type { RepResult } from '../engine/result.ts'
import { formatMoneyForPeople } from '../money/money.ts'
import { cmp, div, mul, ratio, roundHalfAwayFromZero, sub, type Rational } from '../money/rational.ts'
import { describeEffects } from '../plans/describe-effects.ts'
import { formatNumber } from '../plans/format-for-people.ts'
import type { Plan } from '../plans/plan.ts'
import { type Comparison, planThresholds } from './plan-stakes.ts'

/** Something the plan says happens at a threshold of attainment, seen from where the rep is now. */
export interface Stake {
  readonly kind: 'gate' | 'tier' | 'rule'
  /** The commission or rule it comes from. */
  readonly source: string
  /** Attainment factor of the threshold. */
  readonly at: Rational
  /** For a gate: the commission is forfeited now; for a rule: it fires now; for a tier: it is reached. */
  readonly now: boolean
  /** Attainment still needed to reach the threshold (factor), when below it; else null. */
  readonly gap: Rational | null
  /** A gate's commission as the engine computed it on the data so far (paid + forfeited), minor units. */
  readonly amountMinor: bigint | null
  readonly words: string
}

export interface MetricPace {
  readonly metric: string
  readonly money: boolean
  /** Exact value so far and quota in the metric's units; attainment factors; null without a quota. */
  readonly value: Rational
  readonly quota: Rational | null
  readonly attainment: Rational | null
  /** value × total / elapsed business days; null before the first business day. */
  readonly projectedValue: Rational | null
  readonly projectedAttainment: Rational | null
  readonly stakes: readonly Stake[]
  readonly sentence: string
}

export interface RepPace {
  readonly rep: string
  readonly asOf: string
  readonly periodEnd: string
  readonly elapsedBusinessDays: number
  readonly totalBusinessDays: number
  readonly metrics: readonly MetricPace[]
  /** The engine's payout on the data so far, minor units. */
  readonly earnedSoFarMinor: bigint
}

const HUNDRED = ratio(100n)
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A factor as a whole percentage, half away from zero: 0.424 → "42%". */
export function percentText(factor: Rational): string {
  return `${roundHalfAwayFromZero(mul(factor, HUNDRED))}%`
}

/** 'YYYY-MM-DD' → "Jan 31". */
export function shortDate(day: number): string {
  const [, month, date] = formatLocalDate(day).split('-')
  return `${MONTHS[Number(month) - 1] ?? month} ${Number(date)}`
}

function holds(attainment: Rational, op: Comparison, at: Rational): boolean {
  const c = cmp(attainment, at)
  return op === '>=' ? c >= 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : c <= 0
}

/**
 * Pace of one rep in an open period from the engine's result on the data so far: per metric,
 * attainment, the projection at period end from the run-rate in business days (Mon–Fri, `asOf`
 * counted as elapsed), and what the plan's gates, tiers and simple `attainment.M` rules put at
 * stake. Exact; percentages rounded only in the words.
 */
export function calculatePace(args: {
  plan: Plan
  rep: RepResult
  periodStart: number
  periodEnd: number
  asOf: number
}): RepPace {
  const { plan, rep } = args
  const { elapsed, total } = businessDayProgress(args.periodStart, args.periodEnd, args.asOf)
  const end = shortDate(args.periodEnd)
  const metrics = rep.metrics.map((m): MetricPace => {
    const projectedValue =
      elapsed === 0 ? null : div(mul(m.value, ratio(BigInt(total))), ratio(BigInt(elapsed)))
    const projectedAttainment =
      projectedValue === null || m.quota === null ? null : div(projectedValue, m.quota)
    const stakes = m.attainment === null ? [] : stakesOf(plan, rep, m.id, m.attainment, m.quota, end)
    const sentence = sentenceOf(plan, m.id, m.money, m.value, m.attainment, projectedAttainment, stakes, end)
    return {
      metric: m.id,
      money: m.money,
      value: m.value,
      quota: m.quota,
      attainment: m.attainment,
      projectedValue,
      projectedAttainment,
      stakes,
      sentence,
    }
  })
  return {
    rep: rep.rep,
    asOf: formatLocalDate(Math.min(args.asOf, args.periodEnd)),
    periodEnd: formatLocalDate(args.periodEnd),
    elapsedBusinessDays: elapsed,
    totalBusinessDays: total,
    metrics,
    earnedSoFarMinor: rep.payoutMinor,
  }
}

function stakesOf(
  plan: Plan,
  rep: RepResult,
  metric: string,
  attainment: Rational,
  quota: Rational | null,
  end: string,
): Stake[] {
  const out: Stake[] = []
  const more = (at: Rational): Rational | null => (cmp(attainment, at) < 0 ? sub(at, attainment) : null)
  const needed = (gap: Rational): string => `${percentText(gap)} more${amountOf(plan, metric, gap, quota)}`
  for (const t of planThresholds(plan, metric)) {
    const gap = more(t.at)
    if (t.kind === 'gate') {
      const line = rep.lines.find((l) => l.kind === 'commission' && l.rule === t.source)
      const amount = line === undefined ? null : line.amountMinor + line.forfeitedMinor
      const about = amount === null ? '' : ` of about ${formatMoneyForPeople(amount, plan.currency)}`
      const words =
        gap === null
          ? `the ${t.source} commission${about} is above its ${percentText(t.at)} gate`
          : `below ${percentText(t.at)} on ${end} the ${t.source} commission${about} is forfeited; ${needed(gap)} reaches the gate`
      out.push({
        kind: 'gate',
        source: t.source,
        at: t.at,
        now: gap !== null,
        gap,
        amountMinor: amount,
        words,
      })
    } else if (t.kind === 'tier') {
      if (gap === null) continue
      const words = `${needed(gap)} reaches the ${percentText(t.rate)} rate of the ${t.source} commission at ${percentText(t.at)}`
      out.push({ kind: 'tier', source: t.source, at: t.at, now: false, gap, amountMinor: null, words })
    } else {
      const fires = holds(attainment, t.op, t.at)
      const what = describeEffects(t.effects, plan)
      const below = t.op === '<' || t.op === '<='
      let words: string
      if (below) {
        const edge = t.op === '<' ? `below ${percentText(t.at)}` : `at ${percentText(t.at)} or less`
        if (!fires) continue
        const escape = t.op === '<' ? gap : null
        words = `${edge} on ${end}: ${what}${escape === null ? '' : `; ${needed(escape)} avoids it`}`
      } else {
        words = fires
          ? `reached ${percentText(t.at)}: ${what}`
          : `${needed(gap ?? ratio(0n))} ${t.op === '>' ? 'passes' : 'reaches'} the ${percentText(t.at)} ${t.consequence ? 'threshold' : 'reward'}: ${what}`
      }
      out.push({
        kind: 'rule',
        source: t.source,
        at: t.at,
        now: fires,
        gap: below ? null : gap,
        amountMinor: null,
        words,
      })
    }
  }
  // Gates, then tiers, then rules, each from the lowest threshold up (the order stays stable on ties).
  const rank = { gate: 0, tier: 1, rule: 2 }
  return out.sort((a, b) => rank[a.kind] - rank[b.kind] || cmp(a.at, b.at))
}

/** " (1,200.00 USD of new_mrr)" or " (13 calls)": the gap in the metric's own units, rounded up for counts. */
function amountOf(plan: Plan, metric: string, gap: Rational, quota: Rational | null): string {
  if (quota === null) return ''
  const value = mul(gap, quota)
  const money = plan.metrics.find((m) => m.id === metric)?.money === true
  if (money) {
    const minor = roundHalfAwayFromZero(mul(value, ratio(10n ** BigInt(plan.currency.digits))))
    return ` (${formatMoneyForPeople(minor, plan.currency)} of ${metric})`
  }
  const up = (value.n + value.d - 1n) / value.d
  return ` (${formatNumber(ratio(value.n > 0n ? up : 0n))} ${metric})`
}

function sentenceOf(
  plan: Plan,
  metric: string,
  money: boolean,
  value: Rational,
  attainment: Rational | null,
  projected: Rational | null,
  stakes: readonly Stake[],
  end: string,
): string {
  if (attainment === null) {
    const shown = money
      ? formatMoneyForPeople(
          roundHalfAwayFromZero(mul(value, ratio(10n ** BigInt(plan.currency.digits)))),
          plan.currency,
        )
      : formatNumber(value)
    return `${shown} of ${metric} so far, no goal set`
  }
  const pace = projected === null ? '' : ` (${percentText(projected)} on ${end} at this pace)`
  const said = stakes.filter((s) => s.kind !== 'tier' || s === stakes.find((t) => t.kind === 'tier'))
  return [
    `you are at ${percentText(attainment)} of the ${metric} goal${pace}`,
    ...said.map((s) => s.words),
  ].join('; ')
}
