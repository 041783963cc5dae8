import { type PeriodKind, periodEnd, periodIndexOf, periodKey, periodStart } from '../calendar/period.ts'
import { parseLocalDate } from '../calendar/civil.ts'
import type { Plan } from '../plans/plan.ts'

/** The consecutive periods of a plan that a run computes, and a fast local-date → period lookup. */
export interface PlanWindow {
  readonly kind: PeriodKind
  /** Period index of the first period (see calendar/period.ts); periods are first … first+count-1. */
  readonly first: number
  readonly count: number
  readonly startDay: number
  readonly endDay: number
  readonly keys: readonly string[]
  /** Offset (0 … count-1) of the period holding a local date, or -1 outside the window. */
  offsetOf(day: number): number
}

/**
 * The periods of `plan` that start on or after `from` and end on or before `to` (epoch days),
 * within the plan's effective range.
 */
export function planWindow(plan: Plan, from: number, to: number): PlanWindow {
  const kind = plan.period
  const effFrom = plan.effective.from === undefined ? null : parseLocalDate(plan.effective.from)
  const effTo = plan.effective.to === undefined ? null : parseLocalDate(plan.effective.to)
  const lo = Math.max(from, effFrom ?? from)
  const hi = Math.min(to, effTo ?? to)
  let first = periodIndexOf(kind, lo)
  if (periodStart(kind, first) < lo) first++
  let last = periodIndexOf(kind, hi)
  if (periodEnd(kind, last) > hi) last--
  const count = Math.max(0, last - first + 1)
  const startDay = periodStart(kind, first)
  const endDay = count === 0 ? startDay - 1 : periodEnd(kind, last)
  const table = new Int32Array(Math.max(0, endDay - startDay + 1))
  for (let p = 0; p < count; p++) {
    table.fill(p, periodStart(kind, first + p) - startDay, periodEnd(kind, first + p) - startDay + 1)
  }
  const keys = Array.from({ length: count }, (_, p) => periodKey(kind, first + p))
  return {
    kind,
    first,
    count,
    startDay,
    endDay,
    keys,
    offsetOf: (day) => (day < startDay || day > endDay ? -1 : (table[day - startDay] as number)),
  }
}
