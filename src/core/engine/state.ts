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

/**
 * What a plan's run carries into the next run of the same plan (JSON-safe: amounts as decimal
 * text, period indexes absolute). A run over periods first … k that reports this state, and a run
 * over k+1 … N started from it, give exactly the periods k+1 … N of one run over first … N, on the
 * same plan and records.
 */
export interface CarriedState {
  /** Absolute period index of the first period the state is carried into. */
  readonly next: number
  /** By rep id: every rep on the plan at the end of the run (empty states included). */
  readonly reps: Readonly<Record<string, CarriedRep>>
  /**
   * For clawbacks of deals that closed before `next`: by commission id (only commissions with a
   * clawback window), rep id → [period index, what the commission paid, the rep's metric value
   * then (integer over the metric's scale)]; only periods still inside the window, non-zero only.
   */
  readonly paid: Readonly<Record<string, Readonly<Record<string, readonly CarriedPaid[]>>>>
}

export type CarriedPaid = readonly [period: number, paidMinor: string, repValue: string]

export interface CarriedRep {
  readonly balanceMinor: string
  readonly hits: Readonly<Record<string, number>>
  readonly misses: Readonly<Record<string, number>>
  /** by: the rational as [numerator, denominator] text. */
  readonly boosts: readonly {
    readonly rule: string
    readonly by: readonly [string, string]
    readonly first: number
    readonly last: number
  }[]
  /** The rule that opened the plan (its `pass` is read from the plan again on loading). */
  readonly coaching: { readonly rule: string; readonly opened: number; readonly last: number } | null
}

export function carryRep(state: RepState): CarriedRep {
  return {
    balanceMinor: String(state.balanceMinor),
    hits: Object.fromEntries(state.hits),
    misses: Object.fromEntries(state.misses),
    boosts: state.boosts.map((b) => ({
      rule: b.rule,
      by: [String(b.by.n), String(b.by.d)] as const,
      first: b.first,
      last: b.last,
    })),
    coaching:
      state.coaching === null
        ? null
        : { rule: state.coaching.rule, opened: state.coaching.opened, last: state.coaching.last },
  }
}

/**
 * The working state of a carried rep; `passOf` finds the pass condition of the rule that opened a
 * coaching plan (the plan must be the one the state was carried from).
 */
export function restoreRep(carried: CarriedRep, passOf: (rule: string) => CelProgram | undefined): RepState {
  let coaching: OpenCoaching | null = null
  if (carried.coaching !== null) {
    const pass = passOf(carried.coaching.rule)
    if (pass === undefined)
      throw new Error(
        `Carried state names a coaching plan of rule "${carried.coaching.rule}", which the plan has not.`,
      )
    coaching = { ...carried.coaching, pass }
  }
  return {
    balanceMinor: BigInt(carried.balanceMinor),
    hits: new Map(Object.entries(carried.hits)),
    misses: new Map(Object.entries(carried.misses)),
    boosts: carried.boosts.map((b) => ({
      rule: b.rule,
      by: { n: BigInt(b.by[0]), d: BigInt(b.by[1]) },
      first: b.first,
      last: b.last,
    })),
    coaching,
  }
}
