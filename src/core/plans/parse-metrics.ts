import { isMap, isScalar, type Node } from 'yaml'
import type { Rational } from '../money/rational.ts'
import { ratio } from '../money/rational.ts'
import { didYouMeanClause } from './did-you-mean.ts'
import type { Metric, MetricSource } from './plan.ts'
import { readCel } from './plan-cel.ts'
import { readDecimal, readMoney } from './plan-literals.ts'
import type { PlanReader } from './plan-reader.ts'
import { METRIC_KEYS, NON_NUMERIC_DEAL_FIELDS } from './plan-schema-keys.ts'

/** The metric ids a plan defines, read before anything that refers to them. */
export function metricIds(r: PlanReader, node: Node | null): Set<string> {
  const ids = new Set<string>()
  if (!isMap(node)) return ids
  for (const pair of node.items) {
    const key = r.resolve(pair.key)
    if (key !== null && isScalar(key)) ids.add(typeof key.value === 'string' ? key.value : r.literal(key))
  }
  return ids
}

/** `metrics`: each exactly one of `sum: FIELD` (lower-cased) and `count: deals | activities`. */
export function readMetrics(r: PlanReader, node: Node | null, ids: ReadonlySet<string>): Metric[] {
  const metrics: Metric[] = []
  const map = r.map(
    node,
    '"metrics" of the plan',
    'a map of metric ids to { sum: FIELD } or { count: deals | activities }',
  )
  if (map === null) return metrics
  for (const pair of map.items) {
    const id = r.keyText(pair.key, '"metrics" of the plan')
    if (id === null) continue
    const context = `metric "${id}"`
    const body = r.map(r.resolve(pair.value), context, 'a map such as { sum: mrr } or { count: deals }')
    if (body === null) {
      if (r.resolve(pair.value) === null)
        r.report(pair.key as Node, `${context} needs { sum: FIELD } or { count: ... }`)
      continue
    }
    const entries = r.entries(body, context, METRIC_KEYS)
    let source: MetricSource | null = null
    if (entries.has('sum') && entries.has('count')) {
      r.report(entries.keyNode('count'), `${context} has both "sum" and "count"; keep one`)
    } else if (entries.has('sum')) {
      const field = r.text(entries.get('sum'), `"sum" of ${context}`)?.toLowerCase() ?? null
      if (field !== null && NON_NUMERIC_DEAL_FIELDS.includes(field)) {
        r.report(
          entries.get('sum'),
          `"sum" of ${context} must name a numeric deal field such as amount or mrr, not "${field}"`,
        )
      } else if (field !== null) {
        source = { kind: 'sum', field }
      }
    } else if (entries.has('count')) {
      const of = r.oneOf(entries.get('count'), `"count" of ${context}`, ['deals', 'activities'] as const)
      if (of !== null) source = { kind: 'count', of }
    } else {
      r.report(
        body,
        `${context} needs "sum: FIELD" (amount, mrr or a numeric column) or "count: deals | activities"`,
      )
    }
    const use = source?.kind === 'count' && source.of === 'activities' ? 'activity-where' : 'deal-where'
    const where = readCel(r, entries.get('where'), `"where" of ${context}`, use, ids)
    const of = entries.has('of')
      ? r.oneOf(entries.get('of'), `"of" of ${context}`, ['self', 'directs', 'team'] as const)
      : 'self'
    if (source === null || of === null) continue
    const money = source.kind === 'sum' && (source.field === 'amount' || source.field === 'mrr')
    metrics.push({ id, source, where, of, money })
  }
  return metrics
}

/** `quotas`: a goal per defined metric, money for money metrics (currency digits), else a plain decimal. */
export function readQuotas(
  r: PlanReader,
  node: Node | null,
  metrics: readonly Metric[],
  ids: ReadonlySet<string>,
): Map<string, Rational> {
  const quotas = new Map<string, Rational>()
  const map = node === null ? null : r.map(node, '"quotas" of the plan', 'a map of metric ids to goals')
  if (map === null) return quotas
  for (const pair of map.items) {
    const id = r.keyText(pair.key, '"quotas" of the plan')
    if (id === null) continue
    if (!ids.has(id)) {
      const known = ids.size === 0 ? 'none' : [...ids].join(', ')
      r.report(
        pair.key as Node,
        `quota for "${id}", which is not a metric of the plan${didYouMeanClause(id, ids)} (metrics: ${known})`,
      )
      continue
    }
    const value = r.resolve(pair.value)
    const what = `the quota of "${id}"`
    if (value === null) {
      r.report(pair.key as Node, `${what} has no value`)
      continue
    }
    const metric = metrics.find((m) => m.id === id)
    if (metric?.money === true) {
      const minor = readMoney(r, value, what, 'non-negative')
      if (minor !== null && r.currency !== null)
        quotas.set(id, ratio(minor, 10n ** BigInt(r.currency.digits)))
    } else {
      const goal = readDecimal(r, value, what, 'non-negative')
      if (goal !== null) quotas.set(id, goal)
    }
  }
  return quotas
}
