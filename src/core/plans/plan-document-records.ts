import { formatLocalDate } from '../calendar/civil.ts'
import {
  formatExact,
  formatFixed,
  mul,
  ratio,
  roundHalfAwayFromZero,
  type Rational,
} from '../money/rational.ts'
import type { RowReader } from '../records/header.ts'
import { IssueCollector } from '../records/issues.ts'
import { readActivities } from '../records/read-activities.ts'
import { readDeals } from '../records/read-deals.ts'
import { readReps } from '../records/read-reps.ts'
import type { Records } from '../records/records.ts'
import type { Metric, Plan } from './plan.ts'

/** The one rep of a worked example. */
export const EXAMPLE_REP = 'example'

const FIELD = String.raw`(deal|activity)\.([a-z_][a-z0-9_]*)`
const TEXT = String.raw`(?:"([^"\\]*)"|'([^'\\]*)')`
const EQUALS_TEXT = new RegExp(String.raw`^${FIELD}\s*(==|!=)\s*${TEXT}$`)
const COMPARES_NUMBER = new RegExp(String.raw`^${FIELD}\s*(>=|<=|==|>|<)\s*(\d+(?:\.\d+)?)$`)

/**
 * Field values that a record must carry to pass a metric's `where`: read from a conjunction of
 * simple comparisons (`deal.type == "managed" && deal.term_months >= 36`); null when the filter is
 * anything else (the caller then says no example could be built).
 */
export function fieldsPassing(source: string | null): Map<string, string> | null {
  const out = new Map<string, string>()
  if (source === null) return out
  if (source.includes('||') || /[()?]|!(?!=)/.test(source)) return null
  for (const part of source.split('&&').map((p) => p.trim())) {
    const text = EQUALS_TEXT.exec(part)
    const number = COMPARES_NUMBER.exec(part)
    if (text !== null) {
      const literal = text[4] ?? text[5] ?? ''
      out.set(text[2] ?? '', text[3] === '==' ? literal : `not ${literal}`)
    } else if (number !== null) {
      const n = number[4] ?? '0'
      const whole = /^\d+$/.test(n) ? BigInt(n) : null
      const op = number[3]
      const value =
        op === '>' ? (whole === null ? `${n}1` : String(whole + 1n)) : op === '<' ? lessThan(n, whole) : n
      if (value === null) return null
      out.set(number[2] ?? '', value)
    } else return null
  }
  return out
}

function lessThan(n: string, whole: bigint | null): string | null {
  if (whole !== null) return whole > 0n ? String(whole - 1n) : null
  return n.replace(/\.\d+$/, '') // 2.5 → 2
}

/** A metric's value in one period, to be made of synthetic deals or activities. */
export interface MetricValue {
  readonly metric: Metric
  /** Money metrics in currency units, others as numbers; counts whole. */
  readonly value: Rational
}

/**
 * Records of one rep on `plan`, employed every day, with deals (or activities) dated on the
 * period's first day that add up to each value given. Null when a metric's filter cannot be
 * satisfied by simple field values, or the metric is not the rep's own (directs, team).
 */
export function exampleRecords(
  plan: Plan,
  periodStartDay: number,
  values: readonly MetricValue[],
): Records | null {
  const day = formatLocalDate(periodStartDay)
  const dealRows: Record<string, string>[] = []
  const activityRows: Record<string, string>[] = []
  for (const { metric, value } of values) {
    if (metric.of !== 'self') return null
    const fields = fieldsPassing(metric.where?.source ?? null)
    if (fields === null) return null
    if (value.n === 0n) continue
    const source = metric.source
    if (source.kind === 'count') {
      const count = Number(value.n / value.d)
      const rows = source.of === 'deals' ? dealRows : activityRows
      for (let i = 0; i < count; i++) rows.push(Object.fromEntries(fields))
      continue
    }
    const text = metric.money
      ? formatFixed(value, plan.currency.digits)
      : (formatExact(value) ?? formatFixed(value, 6))
    dealRows.push({ ...Object.fromEntries(fields), [source.field]: text })
  }
  const issues = new IssueCollector()
  const reps = feed(readReps('reps', issues), [
    ['id', 'name', 'plan'],
    [EXAMPLE_REP, 'Example rep', plan.id],
  ])
  const summed = plan.metrics.flatMap((m) => (m.source.kind === 'sum' ? [m.source.field] : []))
  const dealColumns = unique([
    'id',
    'rep',
    'closed_on',
    'amount',
    'mrr',
    ...summed,
    ...dealRows.flatMap(Object.keys),
  ])
  const deals = feed(readDeals('deals', issues, { ...reps, plans: [plan] }), [
    dealColumns,
    ...dealRows.map((row, i) =>
      dealColumns.map((c) =>
        c === 'id' ? `X${i + 1}` : c === 'rep' ? EXAMPLE_REP : c === 'closed_on' ? day : (row[c] ?? ''),
      ),
    ),
  ])
  const activityColumns = unique(['id', 'rep', 'kind', 'occurred_on', ...activityRows.flatMap(Object.keys)])
  const activities = feed(readActivities('activities', issues, reps.repIndex), [
    activityColumns,
    ...activityRows.map((row, i) =>
      activityColumns.map((c) =>
        c === 'id'
          ? `A${i + 1}`
          : c === 'rep'
            ? EXAMPLE_REP
            : c === 'occurred_on'
              ? day
              : (row[c] ?? 'example'),
      ),
    ),
  ])
  if (issues.count > 0) return null
  return { reps: reps.reps, repIndex: reps.repIndex, deals, activities, quotas: [] }
}

function feed<T>(reader: RowReader<T>, rows: readonly (readonly string[])[]): T {
  rows.forEach((row, i) => (i === 0 ? reader.header(row, 1) : reader.row(row, i + 1)))
  return reader.finish()
}

const unique = (list: readonly string[]): string[] => [...new Set(list)]

/** A value rounded to what a metric can hold: minor units for money, whole for counts, 2 places else. */
export function roundForMetric(value: Rational, metric: Metric, digits: number): Rational {
  const places = metric.money ? digits : metric.source.kind === 'count' ? 0 : 2
  const scale = 10n ** BigInt(places)
  return ratio(roundHalfAwayFromZero(mul(value, ratio(scale))), scale)
}
