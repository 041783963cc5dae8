import { parsePeriodKey } from '../../core/calendar/period.ts'
import {
  type FollowThroughGroup,
  type FollowThroughGrouping,
  groupFollowThrough,
  inTrailingMonths,
} from '../../core/followthrough/follow-through-figures.ts'
import { DomainError } from '../../core/domain-error.ts'
import { listUnenforcedMisses } from '../../core/followthrough/unenforced-misses.ts'
import type { Queryable } from '../ports/sql.ts'
import { type LoadedOutcome, loadOutcomeItems } from './load-outcome-items.ts'
import { resolveAsOf } from './report-context.ts'

export interface FollowThroughReport {
  readonly asOf: string
  readonly by: FollowThroughGrouping
  /** 'all periods', a period key, or 'trailing 6 months'. */
  readonly scope: string
  readonly groups: readonly FollowThroughGroup[]
}

/** Which outcomes a report covers: one period, the periods ending in the trailing months, or all. */
export interface ReportScope {
  readonly period?: string
  readonly trailing?: number
}

function inScope(items: readonly LoadedOutcome[], scope: ReportScope, asOf: string): LoadedOutcome[] {
  if (scope.period !== undefined && scope.trailing !== undefined)
    throw new DomainError('report.bad_scope', 'Choose either a period or trailing months, not both.')
  if (scope.trailing !== undefined && !(Number.isInteger(scope.trailing) && scope.trailing > 0))
    throw new DomainError(
      'report.bad_scope',
      `Trailing months must be a whole number above 0, not ${scope.trailing}.`,
    )
  if (scope.period !== undefined) {
    if (parsePeriodKey(scope.period) === null)
      throw new DomainError(
        'report.bad_period',
        `"${scope.period}" is not a period (2026-01, 2026-Q1 or 2026).`,
      )
    return items.filter((i) => i.period === scope.period)
  }
  const months = scope.trailing
  if (months !== undefined) return items.filter((i) => inTrailingMonths(i.periodEnd, asOf, months))
  return [...items]
}

const scopeText = (scope: ReportScope): string =>
  scope.period ?? (scope.trailing === undefined ? 'all periods' : `trailing ${scope.trailing} months`)

/** The follow-through figures per manager, team, period or for the company, as they stood at `asOf` (default: today). */
export async function followThroughReport(
  db: Queryable,
  args: { orgId: string; now: Date; by?: FollowThroughGrouping; asOf?: string } & ReportScope,
): Promise<FollowThroughReport> {
  const asOf = await resolveAsOf(db, args.orgId, args.now, args.asOf)
  const items = inScope(await loadOutcomeItems(db, args.orgId), args, asOf)
  const by = args.by ?? 'company'
  return { asOf, by, scope: scopeText(args), groups: groupFollowThrough(items, by, asOf) }
}

export interface UnenforcedMissRow {
  readonly period: string
  readonly rep: string
  readonly repName: string
  readonly team: string
  readonly manager: string | null
  readonly rule: string
  readonly effects: readonly string[]
  readonly status: 'waived' | 'overdue'
  readonly dueOn: string | null
  readonly waivedOn: string | null
  readonly waivedBy: string | null
  readonly waiveReason: string | null
}

/** Reps who missed (a rule fired with a consequence) and whose consequence was waived or is overdue at `asOf`. */
export async function unenforcedMissesReport(
  db: Queryable,
  args: { orgId: string; now: Date; asOf?: string } & ReportScope,
): Promise<{ asOf: string; scope: string; misses: UnenforcedMissRow[] }> {
  const asOf = await resolveAsOf(db, args.orgId, args.now, args.asOf)
  const items = inScope(await loadOutcomeItems(db, args.orgId), args, asOf)
  const misses = listUnenforcedMisses(items, asOf).map(({ item, status }) => {
    const loaded = item as LoadedOutcome
    return {
      period: item.period,
      rep: item.rep,
      repName: loaded.repName,
      team: item.team,
      manager: item.manager,
      rule: item.rule,
      effects: item.effects,
      status,
      dueOn: item.dueOn,
      waivedOn: item.waivedOn,
      waivedBy: loaded.waivedBy,
      waiveReason: loaded.waiveReason,
    }
  })
  return { asOf, scope: scopeText(args), misses }
}
