import type { PeriodKind } from '../calendar/period.ts'
import type { Currency } from '../money/money.ts'
import type { Rational } from '../money/rational.ts'
import type { Effects, Plan } from '../plans/plan.ts'
import type { CarriedState } from './state.ts'

/** What the engine computed for a run: plans in the order given. */
export interface RunResult {
  readonly plans: readonly PlanResult[]
}

export interface PlanResult {
  readonly plan: Plan
  readonly id: string
  readonly currency: Currency
  readonly period: PeriodKind
  /** Periods by time, each listed even with no reps. */
  readonly periods: readonly PeriodResult[]
  /** The state at the end of the run, when asked for (`RunOptions.reportState`). */
  readonly end?: CarriedState
}

export interface PeriodResult {
  /** '2026-01', '2026-Q1' or '2026'. */
  readonly period: string
  /** Local dates 'YYYY-MM-DD', inclusive. */
  readonly start: string
  readonly end: string
  /** Reps by id in code-unit order. */
  readonly reps: readonly RepResult[]
}

export interface RepResult {
  readonly rep: string
  /** False for a rep listed only for credits, clawbacks or an undecided coaching plan. */
  readonly computed: boolean
  /** Every metric of the plan in plan order for a computed rep; empty otherwise. */
  readonly metrics: readonly MetricResult[]
  readonly lines: readonly Line[]
  readonly outcomes: readonly Outcome[]
  readonly payoutMinor: bigint
  /** What the rep owes after this period, minor units. */
  readonly balanceMinor: bigint
  readonly warnings: readonly string[]
  /** Present when a coaching plan of the rep ended in this period: how step 5 decided it (not in the JSON). */
  readonly coaching?: CoachingDecided
}

export interface CoachingDecided {
  /** The rule that opened the coaching plan. */
  readonly rule: string
  readonly decision: 'passed' | 'failed' | 'undecided'
}

export interface MetricResult {
  readonly id: string
  readonly money: boolean
  /** Exact value: money in currency units, counts and other sums as numbers. */
  readonly value: Rational
  /** Exact quota in the metric's units; null without a quota. */
  readonly quota: Rational | null
  /** value / quota, exact; null without a quota. */
  readonly attainment: Rational | null
}

/** Kinds the engine writes, and `adjustment`: a prior-period adjustment booked by a close. */
export type LineKind =
  'commission' | 'spiff' | 'bonus' | 'clawback' | 'draw' | 'carry' | 'recovery' | 'adjustment'

export interface Line {
  readonly kind: LineKind
  /** The commission, spiff or rule the line comes from (absent for draw, carry, recovery). */
  readonly rule?: string
  /** The cancelled deal of a clawback line. */
  readonly deal?: string
  readonly amountMinor: bigint
  readonly forfeitedMinor: bigint
  readonly cappedMinor: bigint
}

/** A rule that fired, with its effects as written in the plan. */
export interface Outcome {
  readonly rule: string
  readonly effects: Effects
}
