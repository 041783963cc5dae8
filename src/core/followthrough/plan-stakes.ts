import { parseDecimal, type Rational } from '../money/rational.ts'
import type { Effects, Plan } from '../plans/plan.ts'
import { CONSEQUENCE_EFFECTS } from './outcome-item.ts'

export type Comparison = '>=' | '>' | '<' | '<='

/** A threshold on a metric's attainment that the plan states in so many words. */
export type PlanThreshold =
  | {
      readonly kind: 'gate'
      readonly metric: string
      /** The commission gated. */
      readonly source: string
      readonly at: Rational
    }
  | {
      readonly kind: 'tier'
      readonly metric: string
      readonly source: string
      /** The tier's lower bound and the rate from there on. */
      readonly at: Rational
      readonly rate: Rational
    }
  | {
      readonly kind: 'rule'
      readonly metric: string
      /** The rule's id; it fires when `attainment op at`. */
      readonly source: string
      readonly op: Comparison
      readonly at: Rational
      readonly effects: Effects
      /** True when an effect is a consequence (forfeit, warning, coaching, termination_review). */
      readonly consequence: boolean
    }

const KEY = String.raw`attainment(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*"([^"]+)"\s*\]|\[\s*'([^']+)'\s*\])`
const NUMBER = String.raw`(\d+(?:\.\d+)?)`
const PLAIN = new RegExp(String.raw`^${KEY}\s*(>=|<=|>|<)\s*${NUMBER}$`)
const FLIPPED = new RegExp(String.raw`^${NUMBER}\s*(>=|<=|>|<)\s*${KEY}$`)
const FLIP: Readonly<Record<string, Comparison>> = { '>=': '<=', '<=': '>=', '>': '<', '<': '>' }

/**
 * A `when` that is exactly one comparison of attainment.M with a number (either side), else null:
 * only such rules have a threshold that can be stated without guessing.
 */
export function readAttainmentComparison(
  source: string,
): { metric: string; op: Comparison; at: Rational } | null {
  const text = source.trim()
  let m = PLAIN.exec(text)
  if (m !== null) {
    const at = parseDecimal(m[5] ?? '')
    const metric = m[1] ?? m[2] ?? m[3]
    return at === null || metric === undefined ? null : { metric, op: m[4] as Comparison, at }
  }
  m = FLIPPED.exec(text)
  if (m === null) return null
  const at = parseDecimal(m[1] ?? '')
  const metric = m[3] ?? m[4] ?? m[5]
  const op = FLIP[m[2] ?? '']
  return at === null || metric === undefined || op === undefined ? null : { metric, op, at }
}

/** The thresholds the plan states on a metric's attainment: gates, tier bounds, and rules with a simple `when`. */
export function planThresholds(plan: Plan, metric: string): PlanThreshold[] {
  const out: PlanThreshold[] = []
  for (const c of plan.commissions) {
    if (c.on !== metric) continue
    if (c.gate !== null) out.push({ kind: 'gate', metric, source: c.id, at: c.gate })
    const tiers = c.tiers ?? []
    for (let i = 1; i < tiers.length; i++) {
      const bound = tiers[i - 1]?.to
      const tier = tiers[i]
      if (bound !== null && bound !== undefined && tier !== undefined)
        out.push({ kind: 'tier', metric, source: c.id, at: bound, rate: tier.rate })
    }
  }
  for (const rule of plan.rules) {
    const cmp = readAttainmentComparison(rule.when.source)
    if (cmp === null || cmp.metric !== metric) continue
    out.push({
      kind: 'rule',
      metric,
      source: rule.id,
      op: cmp.op,
      at: cmp.at,
      effects: rule.then,
      consequence: rule.then.order.some((k) => CONSEQUENCE_EFFECTS.includes(k)),
    })
  }
  return out
}
