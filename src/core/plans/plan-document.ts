import { parseLocalDate } from '../calendar/civil.ts'
import { periodIndexOf, periodKey, periodStart } from '../calendar/period.ts'
import { formatMoneyForPeople } from '../money/money.ts'
import { mul, ratio, roundHalfAwayFromZero, type Rational } from '../money/rational.ts'
import { formatNumber, formatPercent } from './format-for-people.ts'
import type { Commission, Plan } from './plan.ts'
import { type CommissionExamples, workedExamples } from './plan-document-examples.ts'
import { summarizePlan } from './summarize-plan.ts'

/** One band of a commission: the share of the goal it covers, the values it covers, its rate. */
export interface TierRow {
  readonly band: string
  /** The band in the metric's units ("4,000.00 USD to 6,000.00 USD"); '' without a goal. */
  readonly values: string
  readonly rate: string
}

/** A commission's rates as a table, with its gate and cap in words. */
export interface TierTable {
  readonly commission: string
  readonly metric: string
  readonly goal: string | null
  readonly how: string
  readonly rows: readonly TierRow[]
  readonly gate: string | null
  readonly cap: string | null
}

/**
 * The document a rep reads and acknowledges, generated from one published version: the summary
 * `check` prints, the rates as tables, and worked examples computed by the engine. Everything is
 * text ready to show; renderers (HTML, PDF, plain text) only lay it out.
 */
export interface PlanDocument {
  readonly planId: string
  readonly planName: string
  readonly version: number
  /** sha256 of the version's source text, hex: what an acknowledgement records. */
  readonly hash: string
  readonly publishedAt: string
  readonly currency: string
  readonly period: string
  readonly timezone: string
  readonly summary: readonly string[]
  readonly tiers: readonly TierTable[]
  /** The period the examples are computed in ('2026-01'). */
  readonly examplePeriod: string
  readonly examples: readonly CommissionExamples[]
  readonly notes: readonly string[]
}

/** What a document says about its version; `examplesFrom` is a local date in the period to use. */
export interface DocumentVersion {
  readonly version: number
  readonly hash: string
  readonly publishedAt: string
  /** 'YYYY-MM-DD': the examples use the first whole period of the plan on or after this day. */
  readonly examplesFrom: string
}

/** Builds the document of a plan version (pure: the examples run the one engine in memory). */
export function buildPlanDocument(plan: Plan, version: DocumentVersion): PlanDocument {
  const periodIndex = examplePeriodIndex(plan, version.examplesFrom)
  const notes = [
    `Worked examples are computed by the same engine that closes every ${plan.period}, for a rep ` +
      `employed the whole ${plan.period} ${periodKey(plan.period, periodIndex)}, past any ramp, with nothing carried in ` +
      `(no balance owed, no boost, no coaching plan).`,
  ]
  if (plan.ramp.length > 0)
    notes.push(
      `In your first ${plan.ramp.length} ${plan.period}s the goal is lower (see above); the examples use the full goal.`,
    )
  if (plan.draw !== null)
    notes.push(
      `"In all" includes the draw of ${formatMoneyForPeople(plan.draw.amountMinor, plan.currency)} when earnings fall short.`,
    )
  return {
    planId: plan.id,
    planName: plan.name,
    version: version.version,
    hash: version.hash,
    publishedAt: version.publishedAt,
    currency: plan.currency.code,
    period: plan.period,
    timezone: plan.timezone,
    summary: summarizePlan(plan),
    tiers: plan.commissions.map((c) => tierTable(plan, c)),
    examplePeriod: periodKey(plan.period, periodIndex),
    examples: workedExamples(plan, periodIndex),
    notes,
  }
}

/** The first whole period of the plan's kind on or after `from`, and within the plan's effective range. */
function examplePeriodIndex(plan: Plan, from: string): number {
  const candidates = [from, plan.effective.from].flatMap((d) => (d === undefined ? [] : [parseLocalDate(d)]))
  const days = candidates.filter((d): d is number => d !== null)
  if (days.length === 0) throw new Error(`examplesFrom "${from}" is not a date (YYYY-MM-DD)`)
  const day = Math.max(...days)
  let index = periodIndexOf(plan.period, day)
  if (periodStart(plan.period, index) < day) index++
  return index
}

function tierTable(plan: Plan, commission: Commission): TierTable {
  const metric = plan.metrics.find((m) => m.id === commission.on)
  const quota = plan.quotas.get(commission.on) ?? null
  const show = (value: Rational): string =>
    metric?.money === true
      ? formatMoneyForPeople(
          roundHalfAwayFromZero(mul(value, ratio(10n ** BigInt(plan.currency.digits)))),
          plan.currency,
        )
      : formatNumber(value)
  const rate = (r: Rational): string =>
    metric?.money === false
      ? `${formatNumber(r)} ${plan.currency.code} each`
      : `${formatPercent(r)} of the value`
  const at = (factor: Rational): string => (quota === null ? '' : show(mul(quota, factor)))
  const rows: TierRow[] =
    commission.tiers === null
      ? [{ band: 'any level', values: '', rate: rate(commission.rate ?? ratio(0n)) }]
      : commission.tiers.map((tier, i, all) => {
          const from = i === 0 ? null : (all[i - 1]?.to ?? null)
          const band =
            tier.to === null
              ? from === null
                ? 'any level'
                : `${formatPercent(from)} of goal and above`
              : from === null
                ? `up to ${formatPercent(tier.to)} of goal`
                : `${formatPercent(from)} to ${formatPercent(tier.to)} of goal`
          const values =
            quota === null
              ? ''
              : tier.to === null
                ? from === null
                  ? ''
                  : `${at(from)} and above`
                : `${from === null ? show(ratio(0n)) : at(from)} to ${at(tier.to)}`
          return { band, values, rate: rate(tier.rate) }
        })
  return {
    commission: commission.id,
    metric: commission.on,
    goal: quota === null ? null : show(quota),
    how:
      commission.tiers === null
        ? 'one rate'
        : commission.tiered === 'marginal'
          ? 'marginal: each slice at its own rate'
          : 'retroactive: the whole value at the rate of the tier reached',
    rows,
    gate:
      commission.gate === null
        ? null
        : `Below ${formatPercent(commission.gate)} of goal${quota === null ? '' : ` (${at(commission.gate)})`} the commission is forfeited.`,
    cap:
      commission.capMinor === null
        ? null
        : `Pays at most ${formatMoneyForPeople(commission.capMinor, plan.currency)} a ${plan.period}.`,
  }
}

/** The document as plain text (the CLI's `--format text`), one section after another. */
export function formatPlanDocumentText(doc: PlanDocument): string {
  const out = [
    `${doc.planName} (${doc.planId})`,
    `Version ${doc.version}, sha256 ${doc.hash}`,
    `Published ${doc.publishedAt}; ${doc.currency}, by ${doc.period} in ${doc.timezone}`,
    '',
    'What the plan says',
    ...doc.summary.map((s) => `  - ${s}`),
  ]
  for (const t of doc.tiers) {
    out.push(
      '',
      `Rates of the ${t.commission} commission on ${t.metric} (${t.how})${t.goal === null ? '' : `, goal ${t.goal}`}`,
    )
    for (const r of t.rows) out.push(`  ${r.band}${r.values === '' ? '' : ` (${r.values})`}: ${r.rate}`)
    for (const line of [t.gate, t.cap]) if (line !== null) out.push(`  ${line}`)
  }
  out.push('', `Worked examples (${doc.examplePeriod})`)
  for (const e of doc.examples) {
    out.push(
      `  ${e.commission} commission on ${e.metric}${e.unavailable === null ? `, with ${e.assumption}` : ''}:`,
    )
    if (e.unavailable !== null) out.push(`    No worked example: ${e.unavailable}.`)
    for (const x of e.examples) out.push(`    - ${x.sentence}`)
  }
  out.push('', ...doc.notes, '', `Generated from ${doc.planId} version ${doc.version} (sha256 ${doc.hash}).`)
  return out.join('\n') + '\n'
}
