import { formatMoneyForPeople } from '../money/money.ts'
import { mul, ratio, roundHalfAwayFromZero, type Rational } from '../money/rational.ts'
import { describeCondition, ordinal } from './describe-condition.ts'
import { describeEffects } from './describe-effects.ts'
import { describeFilter } from './describe-filter.ts'
import { formatNumber, formatPercent, listWords } from './format-for-people.ts'
import type { Commission, Metric, Plan, Rule, Spiff, Tier } from './plan.ts'

/**
 * The plan as the plain-language promise a rep acknowledges: one sentence (or short paragraph) per
 * element, in plan order. Money is shown exactly in the plan's currency ("500.00 USD"), factors as
 * percentages ("150%"). Pure: the web app shows the same text.
 */
export function summarizePlan(plan: Plan): string[] {
  return [
    ...effectiveSentence(plan),
    ...plan.metrics.map((metric) => metricSentence(metric, plan)),
    ...goalSentences(plan),
    ...plan.commissions.flatMap((commission) => commissionSentences(commission, plan)),
    ...plan.spiffs.map((spiff) => spiffSentence(spiff, plan)),
    ...drawSentence(plan),
    ...plan.rules.map((rule) => ruleSentence(rule, plan)),
  ]
}

const money = (minor: bigint, plan: Plan): string => formatMoneyForPeople(minor, plan.currency)

/** An exact amount in currency units as minor units (quotas are checked to the currency's digits). */
const unitsToMinor = (units: Rational, plan: Plan): bigint =>
  roundHalfAwayFromZero(mul(units, ratio(10n ** BigInt(plan.currency.digits))))

function effectiveSentence(plan: Plan): string[] {
  const { from, to } = plan.effective
  if (from !== undefined && to !== undefined) return [`This plan applies from ${from} to ${to}.`]
  if (from !== undefined) return [`This plan applies from ${from}.`]
  if (to !== undefined) return [`This plan applies until ${to}.`]
  return []
}

function metricSentence(metric: Metric, plan: Plan): string {
  const noun = metric.source.kind === 'count' ? metric.source.of : 'deals'
  const filter = describeFilter(metric.where?.source ?? null, noun)
  const whose =
    metric.of === 'self' ? 'your' : metric.of === 'directs' ? "your direct reports'" : "your team's"
  const team = metric.of === 'team' ? ' (everyone who reports to you, at any depth)' : ''
  if (metric.source.kind === 'count') {
    const share = metric.source.of === 'deals' ? ', a shared deal counting as your share' : ''
    return `${metric.id} is the number of ${whose} ${filter}${team}${share}.`
  }
  const field = metric.source.field
  const what = field === 'mrr' ? 'the MRR' : field === 'amount' ? 'the amount' : `the sum of ${field}`
  const unit = metric.money ? ` in ${plan.currency.code}` : ''
  return `${metric.id} is ${what}${unit} of ${whose} ${filter}${team}, at your share of each.`
}

function goalSentences(plan: Plan): string[] {
  const sentences: string[] = []
  const goals = [...plan.quotas].map(([id, quota]) => {
    const metric = plan.metrics.find((m) => m.id === id)
    if (metric?.money !== true) return `${formatNumber(quota)} ${id}`
    const filter =
      metric.source.kind === 'sum' && metric.where !== null
        ? describeFilter(metric.where.source, 'deals')
        : null
    return `${money(unitsToMinor(quota, plan), plan)} of ${id}${filter === null ? '' : ` (${filter})`}`
  })
  if (goals.length > 0)
    sentences.push(`Your goal each ${plan.period} (${plan.timezone}): ${goals.join(', ')}.`)
  const prorated = 'prorated by the days you are employed'
  if (plan.ramp.length > 0) {
    const periods = plan.ramp.map((_, i) => ordinal(i + 1))
    const factors = plan.ramp.map(formatPercent)
    const ramp = `In your ${listWords(periods)} ${plan.period} the goal is ${listWords(factors)} of that`
    sentences.push(plan.prorate ? `${ramp}; it is ${prorated}.` : `${ramp}.`)
  } else if (plan.prorate) {
    sentences.push(`The goal is ${prorated} in the ${plan.period}.`)
  }
  return sentences
}

function commissionSentences(commission: Commission, plan: Plan): string[] {
  const metric = plan.metrics.find((m) => m.id === commission.on)
  const rateText = (rate: Rational): string =>
    metric?.money === false ? `${formatNumber(rate)} ${plan.currency.code} each` : formatPercent(rate)
  const head = `${commission.id} commission on ${commission.on}`
  const sentences = [
    commission.tiers === null
      ? `${head}: ${rateText(commission.rate ?? ratio(0n))}${metric?.money === false ? '' : ' of the value'}.`
      : `${head}: ${describeTiers(commission.tiers, commission.tiered, rateText)}.`,
  ]
  if (commission.gate !== null) {
    const gate = formatPercent(commission.gate)
    sentences.push(
      `Below ${gate} of the ${commission.on} goal, the ${commission.id} commission is forfeited.`,
    )
  }
  if (commission.capMinor !== null) {
    sentences.push(
      `The ${commission.id} commission pays at most ${money(commission.capMinor, plan)} a ${plan.period}.`,
    )
  }
  if (commission.clawbackDays !== null) {
    const days = `${commission.clawbackDays} ${commission.clawbackDays === 1 ? 'day' : 'days'}`
    sentences.push(
      `A deal cancelled within ${days} of closing takes back its share of the ${commission.id} commission.`,
    )
  }
  return sentences
}

function describeTiers(
  tiers: readonly Tier[],
  tiered: Commission['tiered'],
  rateText: (r: Rational) => string,
): string {
  const parts = tiers.map((tier, i) => {
    const from = i === 0 ? null : (tiers[i - 1]?.to ?? null)
    const rate = rateText(tier.rate)
    if (tier.to === null) return from === null ? `${rate} at any level` : `${rate} above`
    if (from === null) return `${rate} up to ${formatPercent(tier.to)} of goal`
    return `${rate} from ${formatPercent(from)} to ${formatPercent(tier.to)}`
  })
  const how =
    tiered === 'marginal' ? 'each slice at its own rate' : 'the whole value at the rate of the tier reached'
  return `${parts.join(', ')} (${how})`
}

function spiffSentence(spiff: Spiff, plan: Plan): string {
  const deals = describeFilter(spiff.where?.source ?? null, 'deals')
  const closed =
    spiff.from !== null && spiff.to !== null
      ? `, closed from ${spiff.from} to ${spiff.to}`
      : spiff.from !== null
        ? `, closed on or after ${spiff.from}`
        : spiff.to !== null
          ? `, closed on or before ${spiff.to}`
          : ''
  return `The ${spiff.id} spiff pays ${money(spiff.amountMinor, plan)} for each of your ${deals}${closed}, times your share of the deal.`
}

function drawSentence(plan: Plan): string[] {
  const draw = plan.draw
  if (draw === null) return []
  const amount = `${money(draw.amountMinor, plan)} a ${plan.period}`
  return [
    draw.recoverable
      ? `A draw of ${amount}, recoverable from later earnings.`
      : `A draw of ${amount}, not recoverable: when your earnings fall short it tops them up, and the top-up is not taken back.`,
  ]
}

function ruleSentence(rule: Rule, plan: Plan): string {
  return `${describeCondition(rule.when.source, plan).lead}, ${describeEffects(rule.then, plan)}.`
}
