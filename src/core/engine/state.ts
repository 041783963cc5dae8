import type { Rational } from '../money/rational.ts'
import type { CelProgram } from '../plans/cel.ts'

/** A boost earned by a rule: raises a commission in periods first … last (period indexes). */
export interface Boost {
  readonly rule: string
  readonly by: Rational
  readonly first: number
  readonly last: number
}

/** An open coaching plan: opened in `opened`, decided at the close of `last` (period indexes). */
export interface OpenCoaching {
  readonly rule: string
  readonly opened: number
  readonly last: number
  readonly pass: CelProgram
}

/** What one rep carries from one period of a plan to the next. */
export interface RepState {
  balanceMinor: bigint
  /** Consecutive periods with attainment ≥ 1 / < 1, by metric id. */
  readonly hits: Map<string, number>
  readonly misses: Map<string, number>
  boosts: Boost[]
  coaching: OpenCoaching | null
}

export function emptyRepState(): RepState {
  return { balanceMinor: 0n, hits: new Map(), misses: new Map(), boosts: [], coaching: null }
}
