import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodEnd, periodKey, periodStart } from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { RepJson } from '../../core/engine/result-json.ts'
import { runEngine } from '../../core/engine/run-engine.ts'
import { parsePlan, type PlanIssue } from '../../core/plans/parse-plan.ts'
import type { Plan } from '../../core/plans/plan.ts'
import type { PeriodKind } from '../../core/calendar/period.ts'
import { loadRecords, type LoadRange, type LoadResult } from '../close/load-records.ts'
import { plansOfRecord, type PlanOfRecord } from '../close/plans-of-record.ts'
import { withOrgScope } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import {
  compareRuns,
  repRunOfJson,
  repRunOfResult,
  type RepRun,
  type WhatIfComparison,
} from './compare-runs.ts'
import type { WhatIfRecordsCache } from './records-cache.ts'

export interface WhatIfArgs {
  readonly orgId: string
  /** The draft plan's text (YAML or JSON). */
  readonly planText: string
  /** The draft's file name, for issue positions (e.g. `msp-ae.yaml`). */
  readonly file: string
  /** How many of the last closed periods of the draft's kind to run over (default 12). */
  readonly months?: number
  /** The published plan whose reps the draft is run for, when the draft's id is new. */
  readonly replaces?: string
  /** Where the records of the window are kept between runs (the server's); read afresh without. */
  readonly cache?: WhatIfRecordsCache
  /**
   * The database itself (PostgreSQL, with a pool of connections): the stored results of the
   * closes are then read in a transaction of their own, in the organization's scope, while the
   * records are read on `db` (ADR 0012). Without it (PGlite, tests) they are read on `db` after.
   */
  readonly side?: Database
}

/** The closed periods a what-if runs over and the records it reads for them. */
export interface WhatIfWindow {
  /** The closed periods compared, oldest first. */
  readonly keys: readonly string[]
  /** Every period from the first to the last (a reopened one in between is run too). */
  readonly allKeys: readonly string[]
  readonly from: number
  readonly to: number
  readonly on: string
  readonly range: LoadRange
}

export type WhatIfResult =
  | { readonly ok: false; readonly issues: readonly PlanIssue[] }
  | ({ readonly ok: true; readonly issues: readonly [] } & WhatIfComparison)

/**
 * Runs a draft plan with the one engine over the last `months` closed periods of its kind, for the
 * reps of the published plan it stands in for (its own id, or `replaces`), and compares per rep
 * and period with what the latest real close of each period stored: payouts (minor units, exact)
 * and the rules that fired. The run starts with empty balances, streaks and coaching at the first
 * period of the window; real results also carry prior-period adjustments. Reads only.
 */
export async function whatIf(db: Queryable, args: WhatIfArgs): Promise<WhatIfResult> {
  const count = args.months ?? 12
  if (!Number.isInteger(count) || count < 1 || count > 60)
    throw new DomainError('whatif.bad_months', 'Run the what-if over 1 to 60 periods.', { months: count })
  const { plan: draft, issues } = parsePlan(args.planText, args.file)
  if (draft === null) return { ok: false, issues }

  const published = await plansOfRecord(db, args.orgId)
  const target = args.replaces ?? draft.id
  const replaced = published.find((p) => p.plan.id === target)
  if (replaced === undefined) {
    throw new DomainError(
      'plan.unknown_plan',
      args.replaces === undefined
        ? `No plan "${draft.id}" is published: name the published plan this draft replaces.`
        : `No plan "${args.replaces}" is published.`,
      { plan: target },
    )
  }
  if (replaced.plan.currency.code !== draft.currency.code) {
    return {
      ok: false,
      issues: [
        positionless(
          args.file,
          `the draft pays in ${draft.currency.code}, but ${target} pays in ${replaced.plan.currency.code}; a what-if compares amounts in one currency`,
        ),
      ],
    }
  }

  const window = await whatIfWindow(db, args.orgId, draft.period, count, countsActivities(draft))
  const { keys } = window
  const actualRead = storedResults(db, args.side, args.orgId, keys, target)
  const loaded = await loadWindow(db, args.orgId, published, window, args.cache)
  if (!loaded.ok)
    throw new DomainError('whatif.bad_data', 'The data in the database does not check.', {
      issues: loaded.issues,
    })
  const { from, to } = window
  // The draft stands in for the published plan: its reps are the draft's reps in this run.
  const reps = loaded.records.reps.map((r) => (r.plan === target ? { ...r, plan: draft.id } : r))
  const run = runEngine([draft], { ...loaded.records, reps }, { from, to })
  const compared = new Set(keys)
  const whatIfByPeriod = new Map<string, RepRun[]>(
    (run.plans[0]?.periods ?? [])
      .filter((p) => compared.has(p.period))
      .map((p) => [p.period, p.reps.map(repRunOfResult)]),
  )

  const actual = await actualRead.rows()
  const actualByPeriod = new Map<string, RepRun[]>()
  for (const row of actual) {
    const rep = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as RepJson
    const list = actualByPeriod.get(row.period) ?? []
    list.push(repRunOfJson(rep))
    actualByPeriod.set(row.period, list)
  }
  const names = new Map(loaded.records.reps.map((r) => [r.id, r.name]))
  return {
    ok: true,
    issues: [],
    ...compareRuns({
      planId: draft.id,
      replaces: target,
      currency: draft.currency.code,
      periods: keys,
      names,
      actual: actualByPeriod,
      whatIf: whatIfByPeriod,
    }),
  }
}

/**
 * The last `count` closed periods of this kind (oldest first) and the records a run over them
 * reads; refused when none is closed.
 */
export async function whatIfWindow(
  db: Queryable,
  orgId: string,
  kind: PeriodKind,
  count: number,
  activities: boolean,
): Promise<WhatIfWindow> {
  const closed = await db.query<{ key: string }>(
    `select key from periods where org_id = $1 and kind = $2 and status = 'closed' order by key desc limit $3`,
    [orgId, kind, count],
  )
  const keys = closed.map((r) => r.key).reverse()
  const indices = keys.map((k) => parsePeriodKey(k)?.index ?? 0)
  const first = indices[0]
  const last = indices[indices.length - 1]
  if (first === undefined || last === undefined) {
    throw new DomainError(
      'whatif.no_closed_periods',
      `No ${kind} has been closed yet: a what-if compares with closed periods.`,
      { period: kind },
    )
  }
  const from = periodStart(kind, first)
  const to = periodEnd(kind, last)
  const allKeys: string[] = []
  for (let p = first; p <= last; p++) allKeys.push(periodKey(kind, p))
  return {
    keys,
    allKeys,
    from,
    to,
    on: formatLocalDate(to),
    range: { from: formatLocalDate(from), to: formatLocalDate(to), periods: allKeys, activities },
  }
}

/** The records of a window for every published plan, from the cache when one is given. */
export function loadWindow(
  db: Queryable,
  orgId: string,
  published: readonly PlanOfRecord[],
  window: WhatIfWindow,
  cache: WhatIfRecordsCache | undefined,
): Promise<LoadResult> {
  if (cache !== undefined) return cache.load(db, orgId, published, window.on, window.range)
  return loadRecords(
    db,
    orgId,
    published.map((p) => p.plan),
    window.on,
    window.range,
  )
}

/**
 * Prepares a what-if of a published plan: its window and how many reps it covers, with the
 * window's records read into the cache (so that the first run of a draft finds them there). No
 * period closed yet: no periods and no reps.
 */
export async function prepareWhatIf(
  db: Queryable,
  args: { orgId: string; planId: string; months?: number; cache: WhatIfRecordsCache },
): Promise<{ planId: string; periods: readonly string[]; reps: number }> {
  const published = await plansOfRecord(db, args.orgId)
  const target = published.find((p) => p.plan.id === args.planId)
  if (target === undefined)
    throw new DomainError('plan.unknown_plan', `No plan "${args.planId}" is published.`, {
      plan: args.planId,
    })
  const months = args.months ?? 12
  let window: WhatIfWindow
  try {
    window = await whatIfWindow(
      db,
      args.orgId,
      target.plan.period,
      months,
      published.some((p) => countsActivities(p.plan)),
    )
  } catch (error) {
    // Nothing closed yet is an answer here (the page says so), not a refusal.
    if (error instanceof DomainError && error.code === 'whatif.no_closed_periods')
      return { planId: target.plan.id, periods: [], reps: 0 }
    throw error
  }
  const loaded = await loadWindow(db, args.orgId, published, window, args.cache)
  if (!loaded.ok)
    throw new DomainError('whatif.bad_data', 'The data in the database does not check.', {
      issues: loaded.issues,
    })
  return {
    planId: target.plan.id,
    periods: window.keys,
    reps: loaded.records.reps.filter((r) => r.plan === target.plan.id).length,
  }
}

/** Only what the comparison reads of each stored result: its payout, lines and outcomes. */
const STORED_RESULTS_SQL = `select r.rep_id, r.period,
            jsonb_build_object('rep', r.rep_id, 'payout', r.result -> 'payout', 'lines', r.result -> 'lines',
                               'outcomes', r.result -> 'outcomes') as result
       from results r
       join (select distinct on (period) id from close_runs
              where org_id = $1 and period = any($2::text[]) and not dry_run and status = 'done'
              order by period, started_at desc) c on c.id = r.close_id
      where r.org_id = $1 and r.plan_id = $3`

interface StoredResultRow {
  rep_id: string
  period: string
  result: unknown
}

/**
 * The stored results of the latest real close of each period, for the plan's reps. With `side`,
 * the read starts now on a second connection of its pool (its own transaction, scoped to the
 * organization as every request's), so that it runs while the records are read on `db`. The
 * request already holds a connection of that pool: when `rows()` is asked before the side read got
 * one (every connection busy), the side read is dropped and the results are read on `db`, so
 * that requests holding a connection never wait for one another.
 */
function storedResults(
  db: Queryable,
  side: Database | undefined,
  orgId: string,
  keys: readonly string[],
  plan: string,
): { rows: () => Promise<StoredResultRow[]> } {
  const params = [orgId, keys, plan]
  const here = () => db.query<StoredResultRow>(STORED_RESULTS_SQL, params)
  if (side === undefined) return { rows: here }
  let started = false
  let dropped = false
  const read = withOrgScope(side, orgId, (tx) => {
    if (dropped) return Promise.resolve(null)
    started = true
    return tx.query<StoredResultRow>(STORED_RESULTS_SQL, params)
  })
  // Its error is the answer's when asked for; until then (or when never asked) it is not unhandled.
  read.catch(() => undefined)
  return {
    rows: async () => {
      if (!started) {
        dropped = true
        return here()
      }
      return (await read) ?? here()
    },
  }
}

function countsActivities(plan: Plan): boolean {
  return plan.metrics.some((m) => m.source.kind === 'count' && m.source.of === 'activities')
}

function positionless(file: string, message: string): PlanIssue {
  return { file, line: 1, column: 1, message }
}
