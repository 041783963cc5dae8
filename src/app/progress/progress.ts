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
import type { CarriedState } from '../../core/engine/state.ts'
import { calculatePace, type RepPace } from '../../core/followthrough/pace.ts'
import { recordsAsOf } from '../../core/followthrough/records-as-of.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { loadCarry } from '../close/carried-state.ts'
import { recordedCloses } from '../close/compute-close.ts'
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
  args: {
    orgId: string
    now: Date
    rep?: string
    asOf?: string
    subset?: RepSubset
    /** Run from the first closed period even where a stored state could start it (checks). */
    fromFirstClosed?: boolean
  },
): Promise<{ reps: RepProgress[]; runFrom: string[] }> {
  if (args.asOf !== undefined && parseLocalDate(args.asOf) === null)
    throw new DomainError('report.bad_date', `"${args.asOf}" is not a date (YYYY-MM-DD).`, {
      asOf: args.asOf,
    })
  if (args.rep !== undefined) {
    const found = await db.query('select 1 from reps where org_id = $1 and id = $2', [args.orgId, args.rep])
    if (found.length === 0)
      throw new DomainError('progress.unknown_rep', `There is no rep "${args.rep}".`, { rep: args.rep })
  }
  const ofRecord = await plansOfRecord(db, args.orgId)
  const plans = ofRecord.map((p) => p.plan)
  const versions = new Map(ofRecord.map((p) => [p.plan.id, p.version]))
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
  const runFrom: string[] = []
  for (const group of groups.values()) {
    const paced = await paceOfGroup(db, args.orgId, group, args.rep, names, args.subset, versions, args)
    out.push(...paced.reps)
    runFrom.push(paced.from)
  }
  out.sort((a, b) => (a.rep < b.rep ? -1 : a.rep > b.rep ? 1 : a.plan < b.plan ? -1 : 1))
  return { reps: out, runFrom }
}

async function paceOfGroup(
  db: Queryable,
  orgId: string,
  group: { kind: PeriodKind; asOf: number; plans: Plan[] },
  only: string | undefined,
  names: ReadonlyMap<string, string>,
  subset: RepSubset | undefined,
  versions: ReadonlyMap<string, number>,
  options: { fromFirstClosed?: boolean },
): Promise<{ reps: RepProgress[]; from: string }> {
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
  const closed = closedIndexes.includes(index)
  // The open period right after a close that stored its state: run it alone from that state.
  const carried =
    closed || options.fromFirstClosed === true
      ? null
      : await carriedStart(db, orgId, group, index, closedIndexes, versions)
  const first = carried !== null ? index : Math.min(index, ...closedIndexes)
  const asOfText = formatLocalDate(group.asOf)
  const clawbackDays = Math.max(
    -1,
    ...group.plans.flatMap((p) => p.commissions.map((c) => c.clawbackDays ?? -1)),
  )
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
    // From carried state, deals closed earlier and cancelled in the period are clawed back.
    ...(carried === null || clawbackDays < 0
      ? {}
      : { cancelledSince: formatLocalDate(periodStart(group.kind, index) - clawbackDays - 2) }),
  })
  if (!loaded.ok)
    throw new DomainError('progress.bad_data', 'The data in the database does not check.', {
      issues: loaded.issues,
    })
  const zone = new ZoneCalendar(group.plans[0]?.timezone ?? 'UTC')
  const records = recordsAsOf(loaded.records, group.asOf, zone)
  const start = periodStart(group.kind, index)
  const end = periodEnd(group.kind, index)
  const run = runEngine(
    group.plans,
    records,
    { from: periodStart(group.kind, first), to: end },
    carried === null ? {} : { carried },
  )
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
  return { reps: out, from: periodKey(group.kind, first) }
}

/**
 * The state stored with the close of the period before `index` (ADR 0009), per plan of the group,
 * when that period is closed and its latest close stored a state for every plan of the group at
 * the version in force now; otherwise null (the run starts from the first closed period).
 */
async function carriedStart(
  db: Queryable,
  orgId: string,
  group: { kind: PeriodKind; plans: Plan[] },
  index: number,
  closedIndexes: readonly number[],
  versions: ReadonlyMap<string, number>,
): Promise<Map<string, CarriedState> | null> {
  if (!closedIndexes.includes(index - 1)) return null
  const previous = periodKey(group.kind, index - 1)
  const close = (await recordedCloses(db, orgId, previous, periodKey(group.kind, index))).get(previous)
  if (close === undefined) return null
  const carry = await loadCarry(db, orgId, close.closeId)
  if (carry === null) return null
  const out = new Map<string, CarriedState>()
  for (const plan of group.plans) {
    const stored = carry.plans.find((p) => p.planId === plan.id)
    if (stored === undefined || stored.version !== versions.get(plan.id) || stored.state.next !== index)
      return null
    out.set(plan.id, stored.state)
  }
  return out
}
