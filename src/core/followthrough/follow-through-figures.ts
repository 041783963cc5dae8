import { parseLocalDate, civilOf, epochDayOf } from '../calendar/civil.ts'
import { needsFollowThrough, type OutcomeItem, statusOn } from './outcome-item.ts'

/** An exact fraction; shown as a percentage only at the edge. */
export interface Fraction {
  readonly numerator: number
  readonly denominator: number
}

export interface FollowThroughFigures {
  /** Outcomes that have come due: applied (on time or late), waived or overdue. */
  readonly due: number
  readonly appliedOnTime: number
  readonly appliedLate: number
  readonly waived: number
  readonly overdue: number
  /** Not yet due and not decided: outside `due` and the rate. */
  readonly pending: number
  /** (applied on time + applied late) / due; null when nothing has come due. */
  readonly rate: Fraction | null
  /** Money the outcomes stated and what was applied, minor units. */
  readonly moneyStatedMinor: bigint
  readonly moneyAppliedMinor: bigint
}

/**
 * The follow-through figures of a list of outcomes at the end of `asOf` (a local date): the counts
 * over outcomes someone has to carry out (not the money effects and boosts the close applies
 * itself), the money stated and applied over all of them.
 */
export function calculateFollowThrough(items: readonly OutcomeItem[], asOf: string): FollowThroughFigures {
  const counts = { applied_on_time: 0, applied_late: 0, waived: 0, overdue: 0, pending: 0 }
  let stated = 0n
  let applied = 0n
  for (const item of items) {
    if (needsFollowThrough(item)) counts[statusOn(item, asOf)]++
    stated += item.moneyStatedMinor
    applied += item.moneyAppliedMinor
  }
  const due = counts.applied_on_time + counts.applied_late + counts.waived + counts.overdue
  return {
    due,
    appliedOnTime: counts.applied_on_time,
    appliedLate: counts.applied_late,
    waived: counts.waived,
    overdue: counts.overdue,
    pending: counts.pending,
    rate: due === 0 ? null : { numerator: counts.applied_on_time + counts.applied_late, denominator: due },
    moneyStatedMinor: stated,
    moneyAppliedMinor: applied,
  }
}

export type FollowThroughGrouping = 'manager' | 'team' | 'company' | 'period'

export interface FollowThroughGroup {
  /** The manager id, team name, period key, or 'company'; '(none)' for outcomes without a manager or team. */
  readonly group: string
  readonly figures: FollowThroughFigures
}

/** The figures per manager, team or period (in key order), or for the whole company. */
export function groupFollowThrough(
  items: readonly OutcomeItem[],
  by: FollowThroughGrouping,
  asOf: string,
): FollowThroughGroup[] {
  if (by === 'company') return [{ group: 'company', figures: calculateFollowThrough(items, asOf) }]
  const groups = new Map<string, OutcomeItem[]>()
  for (const item of items) {
    const key =
      by === 'manager' ? (item.manager ?? '(none)') : by === 'team' ? item.team || '(none)' : item.period
    const list = groups.get(key)
    if (list === undefined) groups.set(key, [item])
    else list.push(item)
  }
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((group) => ({ group, figures: calculateFollowThrough(groups.get(group) ?? [], asOf) }))
}

/**
 * Whether a period ending on `periodEnd` lies in the `months` months that end on `asOf` (local
 * dates): asOf − months < periodEnd ≤ asOf, months counted on the calendar (Jan 31 − 1 month is
 * Dec 31; Mar 31 − 1 month is Feb 28).
 */
export function inTrailingMonths(periodEnd: string, asOf: string, months: number): boolean {
  const end = parseLocalDate(periodEnd)
  const at = parseLocalDate(asOf)
  if (end === null || at === null) return false
  const [y, m, d] = civilOf(at)
  const total = y * 12 + (m - 1) - months
  const year = Math.floor(total / 12)
  const month = (total % 12) + 1
  const last = epochDayOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1
  const from = Math.min(epochDayOf(year, month, 1) + d - 1, last)
  return end > from && end <= at
}
