import type { PeriodKind } from '../calendar/period.ts'
import type { Rational } from '../money/rational.ts'

/** A rep from reps.csv. Dates are epoch days (see calendar/civil.ts). */
export interface Rep {
  readonly id: string
  /** Position in `Records.reps`, used by the columnar tables. */
  readonly index: number
  readonly name: string
  readonly email: string
  readonly team: string
  readonly manager: string | null
  readonly plan: string | null
  readonly hiredOn: number | null
  readonly leftOn: number | null
  /** Every column by lower-cased header, trimmed, '' when empty: what CEL sees as `rep.X`. */
  readonly fields: Readonly<Record<string, string>>
}

/** A column the data-formats spec does not name, kept by its lower-cased header. */
export interface ExtraColumn {
  /** True when every non-empty cell is a decimal number. */
  readonly numeric: boolean
  /** The most digits after the point in the column (numeric columns). */
  readonly scale: number
  /** Trimmed cell text, '' when empty. */
  readonly values: readonly string[]
}

/** Sentinel in the `*Day` columns for an empty cell. */
export const NO_DAY = -2147483648

/**
 * deals.csv, column-wise. A date cell is held as a local date in `*Day` with NaN in `*Ms`, or as
 * an instant in `*Ms` (epoch milliseconds; `*Day` then holds its UTC date, unused by the engine).
 */
export interface DealTable {
  readonly length: number
  readonly id: readonly string[]
  readonly closedDay: Int32Array
  readonly closedMs: Float64Array
  /** NO_DAY and NaN when the deal is not cancelled. */
  readonly cancelledDay: Int32Array
  readonly cancelledMs: Float64Array
  /** Minor units of the run's currency, safe integers ≥ 0. */
  readonly amountMinor: Float64Array
  readonly mrrMinor: Float64Array
  readonly type: readonly string[]
  readonly customer: readonly string[]
  /** NaN when empty. */
  readonly termMonths: Float64Array
  /** Deal i's credits are entries shareStart[i] … shareStart[i+1]-1 of shareRep/shareMicro. */
  readonly shareStart: Int32Array
  /** Rep index (`Rep.index`). */
  readonly shareRep: Int32Array
  /** The rep's share in millionths: 1,000,000 is 100%. */
  readonly shareMicro: Int32Array
  readonly extras: ReadonlyMap<string, ExtraColumn>
}

/** activities.csv, column-wise; dates as in DealTable. */
export interface ActivityTable {
  readonly length: number
  readonly id: readonly string[]
  readonly rep: Int32Array
  readonly kind: readonly string[]
  readonly occurredDay: Int32Array
  readonly occurredMs: Float64Array
  readonly extras: ReadonlyMap<string, ExtraColumn>
}

/** A row of quotas.csv: the goal for (rep, period, metric), used as is. */
export interface QuotaOverride {
  readonly rep: number
  readonly period: { readonly kind: PeriodKind; readonly index: number }
  readonly metric: string
  /** Money metrics in currency units, others as numbers; exact. */
  readonly amount: Rational
}

/** Everything the engine reads besides plans. */
export interface Records {
  readonly reps: readonly Rep[]
  readonly repIndex: ReadonlyMap<string, number>
  readonly deals: DealTable
  readonly activities: ActivityTable
  readonly quotas: readonly QuotaOverride[]
}

/** A problem in an input file, at a line (the header is line 1). */
export interface InputIssue {
  readonly file: string
  readonly line: number
  readonly message: string
}
