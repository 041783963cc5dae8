import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import { localDayOf } from '../../core/calendar/business-days.ts'
import { ZoneCalendar } from '../../core/calendar/instant.ts'
import {
  type PeriodKind,
  parsePeriodKey,
  periodEnd,
  periodIndexOf,
  periodKey,
  periodStart,
} from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import { runEngine } from '../../core/engine/run-engine.ts'
import { calculatePace, type RepPace } from '../../core/followthrough/pace.ts'
import { recordsAsOf } from '../../core/followthrough/records-as-of.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { loadRecords } from '../close/load-records.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'

/**
 * Some reps only (see ProgressCache): their progress, with the engine run on the deals and
 * activities credited to `creditedTo` alone. Exact for `reps` when `creditedTo` holds every rep
 * whose records their metrics read (themselves, and their tree for team metrics) and no plan
 * ranks reps against each other.
 */
export interface RepSubset {
  readonly reps: ReadonlySet<string>
  readonly creditedTo: readonly string[]
}

export interface RepProgress extends RepPace {
  readonly repName: string
  readonly plan: string
  readonly period: string
  readonly currency: string
  /** True when the period holding the as-of date is already closed (a look back, not a warning). */
  readonly closed: boolean
}

/**
 * Progress and pace of every rep (or one) in the period holding the as-of date (default: today in
 * each plan's time zone): the one engine runs from the first closed period of the plan's kind
 * through that period on the database's records as they stood at the end of the as-of date, so
 * balances, streaks, boosts and coaching carry over as at a close; then `calculatePace` per rep.
 */
export async function progressReport(
  db: Queryable,
  args: { orgId: string; now: Date; rep?: string; asOf?: string; subset?: RepSubset },
): Promise<{ reps: RepProgress[] }> {
  if (args.asOf !== undefined && parseLocalDate(args.asOf) === null)
    throw new DomainError('report.bad_date', `"${args.asOf}" is not a date (YYYY-MM-DD).`, {
      asOf: args.asOf,
    })
  if (args.rep !== undefined) {
    const found = await db.query('select 1 from reps where org_id = $1 and id = $2', [args.orgId, args.rep])
    if (found.length === 0)
      throw new DomainError('progress.unknown_rep', `There is no rep "${args.rep}".`, { rep: args.rep })
  }
  const plans = (await plansOfRecord(db, args.orgId)).map((p) => p.plan)
  // Plans run together when they share a period kind and an as-of date (as at a close).
  const groups = new Map<string, { kind: PeriodKind; asOf: number; plans: Plan[] }>()
  for (const plan of plans) {
    const asOf =
      args.asOf !== undefined
        ? (parseLocalDate(args.asOf) as number)
        : localDayOf(args.now.getTime(), plan.timezone)
    const key = `${plan.period}:${asOf}`
    const group = groups.get(key) ?? { kind: plan.period, asOf, plans: [] }
    group.plans.push(plan)
    groups.set(key, group)
  }
  const names = new Map(
    (
      await db.query<{ id: string; name: string }>('select id, name from reps where org_id = $1', [
        args.orgId,
      ])
    ).map((r) => [r.id, r.name]),
  )
  const out: RepProgress[] = []
  for (const group of groups.values())
    out.push(...(await paceOfGroup(db, args.orgId, group, args.rep, names, args.subset)))
  out.sort((a, b) => (a.rep < b.rep ? -1 : a.rep > b.rep ? 1 : a.plan < b.plan ? -1 : 1))
  return { reps: out }
}

async function paceOfGroup(
  db: Queryable,
  orgId: string,
  group: { kind: PeriodKind; asOf: number; plans: Plan[] },
  only: string | undefined,
  names: ReadonlyMap<string, string>,
  subset: RepSubset | undefined,
): Promise<RepProgress[]> {
  const index = periodIndexOf(group.kind, group.asOf)
  const key = periodKey(group.kind, index)
  const periods = await db.query<{ key: string; status: string }>(
    'select key, status from periods where org_id = $1 and kind = $2',
    [orgId, group.kind],
  )
  const closedIndexes = periods
    .filter((p) => p.status === 'closed')
    .map((p) => parsePeriodKey(p.key)?.index)
    .filter((i): i is number => i !== undefined && i <= index)
  const first = Math.min(index, ...closedIndexes)
  const asOfText = formatLocalDate(group.asOf)
  // Only what the run can count: deals and activities of the run's dates, quotas of its periods.
  const keys: string[] = []
  for (let p = first; p <= index; p++) keys.push(periodKey(group.kind, p))
  const loaded = await loadRecords(db, orgId, group.plans, asOfText, {
    from: formatLocalDate(periodStart(group.kind, first)),
    to: formatLocalDate(periodEnd(group.kind, index)),
    periods: keys,
    activities: group.plans.some((p) =>
      p.metrics.some((m) => m.source.kind === 'count' && m.source.of === 'activities'),
    ),
    ...(subset === undefined ? {} : { creditedTo: subset.creditedTo }),
  })
  if (!loaded.ok)
    throw new DomainError('progress.bad_data', 'The data in the database does not check.', {
      issues: loaded.issues,
    })
  const zone = new ZoneCalendar(group.plans[0]?.timezone ?? 'UTC')
  const records = recordsAsOf(loaded.records, group.asOf, zone)
  const start = periodStart(group.kind, index)
  const end = periodEnd(group.kind, index)
  const run = runEngine(group.plans, records, { from: periodStart(group.kind, first), to: end })
  const closed = periods.some((p) => p.key === key && p.status === 'closed')
  const out: RepProgress[] = []
  for (const result of run.plans) {
    const period = result.periods.find((p) => p.period === key)
    for (const rep of period?.reps ?? []) {
      if (!rep.computed || (only !== undefined && rep.rep !== only)) continue
      if (subset !== undefined && !subset.reps.has(rep.rep)) continue
      const pace = calculatePace({
        plan: result.plan,
        rep,
        periodStart: start,
        periodEnd: end,
        asOf: group.asOf,
      })
      out.push({
        ...pace,
        repName: names.get(rep.rep) ?? '',
        plan: result.id,
        period: key,
        currency: result.currency.code,
        closed,
      })
    }
  }
  return out
}
