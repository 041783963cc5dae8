import type { PeriodKind } from '../calendar/period.ts'
import type { Currency } from '../money/money.ts'
import type { Rational } from '../money/rational.ts'
import type { CelProgram } from './cel.ts'

/** A plan checked and compiled for the engine: every literal exact, every expression compiled once. */
export interface Plan {
  readonly id: string
  readonly name: string
  /** The file the plan was read from, for messages. */
  readonly file: string
  readonly currency: Currency
  readonly period: PeriodKind
  /** IANA time zone; 'UTC' by default. */
  readonly timezone: string
  /** Effective range as local dates 'YYYY-MM-DD', inclusive; either end may be open. */
  readonly effective: { readonly from?: string; readonly to?: string }
  readonly metrics: readonly Metric[]
  /** Default goal per period by metric id: money metrics in currency units, others as numbers. */
  readonly quotas: ReadonlyMap<string, Rational>
  /** Quota factors for a rep's 1st, 2nd, ... period. */
  readonly ramp: readonly Rational[]
  readonly prorate: boolean
  readonly commissions: readonly Commission[]
  readonly spiffs: readonly Spiff[]
  readonly draw: Draw | null
  readonly rules: readonly Rule[]
}

export type MetricSource =
  | { readonly kind: 'sum'; readonly field: string }
  | { readonly kind: 'count'; readonly of: 'deals' | 'activities' }

export interface Metric {
  readonly id: string
  readonly source: MetricSource
  readonly where: CelProgram | null
  readonly of: 'self' | 'directs' | 'team'
  /** True for `sum: amount` and `sum: mrr`: values and quotas are money in the plan's currency. */
  readonly money: boolean
}

export interface Tier {
  /** Upper attainment bound (exclusive); null for the last tier. */
  readonly to: Rational | null
  readonly rate: Rational
}

export interface Commission {
  readonly id: string
  /** Metric id. */
  readonly on: string
  /** Exactly one of `rate` and `tiers` is set. */
  readonly rate: Rational | null
  readonly tiers: readonly Tier[] | null
  readonly tiered: 'marginal' | 'retroactive'
  readonly gate: Rational | null
  /** The most the rule pays in one period, minor units. */
  readonly capMinor: bigint | null
  /** Clawback window in days; null without clawback. */
  readonly clawbackDays: number | null
}

export interface Spiff {
  readonly id: string
  readonly where: CelProgram | null
  /** Per credited deal, times the rep's share; minor units. */
  readonly amountMinor: bigint
  /** Inclusive local dates 'YYYY-MM-DD' bounding closed_on. */
  readonly from: string | null
  readonly to: string | null
}

export interface Draw {
  readonly amountMinor: bigint
  readonly recoverable: boolean
}

export interface Rule {
  readonly id: string
  readonly when: CelProgram
  readonly then: Effects
}

export type EffectKey =
  'bonus' | 'forfeit' | 'boost' | 'pto_days' | 'raise' | 'warning' | 'coaching' | 'termination_review'

/** The effects of a rule, each present only when written in the plan. */
export interface Effects {
  /** The effects' keys in the order the plan wrote them. */
  readonly order: readonly EffectKey[]
  readonly bonusMinor?: bigint
  /** Ids of commissions, spiffs or rules (bonus lines), or 'all'. */
  readonly forfeit?: readonly string[] | 'all'
  readonly boost?: { readonly rule: string; readonly by: Rational; readonly periods: number }
  readonly ptoDays?: Rational
  readonly raise?: Rational
  readonly warning?: string
  readonly coaching?: { readonly periods: number; readonly pass: CelProgram; readonly program?: string }
  readonly terminationReview?: string
}
