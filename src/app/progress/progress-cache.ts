import { parseLocalDate } from '../../core/calendar/civil.ts'
import { ZoneCalendar } from '../../core/calendar/instant.ts'
import { DomainError } from '../../core/domain-error.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import { readInOrgScope, readInOrgScopeOf } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { changedReps } from './progress-changes.ts'
import { progressReport, type RepProgress, type RepSubset } from './progress.ts'

/**
 * The floor of a version lies FLOOR_MARGIN below the last audit id rounded down to a multiple of
 * FLOOR_SPAN (derived from the last id alone, in SQL, so a read needs no state of the organization
 * before it knows which organization it is: `peekAs`). The margin keeps entries that commit out of
 * id order counted; the floor moves up (a full recompute) once every FLOOR_SPAN ids.
 */
const FLOOR_SPAN = 2_000
const FLOOR_MARGIN = 500
/** As-of days kept per organization and version (a request without a date is one of them). */
const DAYS_KEPT = 16

/** The progress of every rep of an organization on one as-of day, as `progressReport` gives it. */
export interface CachedProgress {
  readonly reps: readonly RepProgress[]
  /** Every rep of the organization (progress or not): an unknown rep is refused as a fresh report would. */
  readonly repIds: ReadonlySet<string>
}

interface OrgState {
  /** The data version: its floor, the last audit id and how many entries lie above the floor. */
  version: string
  floor: bigint
  /** The ids of the entries above the floor (what the next version adds is the rest). */
  seen: ReadonlySet<string>
  /** The plans of record (their time zones give the default as-of day, "today" in each). */
  plans: Promise<Plan[]>
  days: Map<string, Promise<CachedProgress>>
  /** The previous version's days and the reps that moved since: days are updated from them. */
  base?: { days: Map<string, Promise<CachedProgress>>; subset: Promise<RepSubset | null> }
}

interface AuditRow {
  id: string
  action: string
  at: string
  kind: string | null
  import_id: string | null
}

/**
 * Computed progress per organization and as-of day, kept in the server's memory and served while
 * the organization's data version is unchanged. Every change that can move progress (an import or
 * webhook delivery of deals, activities, reps or quotas, a close, a reopen, a plan published or
 * assigned) writes an audit entry in the same transaction, so the version is read with one
 * indexed query: the organization's last audit id, and the count of its entries above a floor
 * (an entry committed late with a lower id still changes the count).
 *
 * When the version moved because deals or activities arrived, only the reps they moved and their
 * managers up the chain are run again by the one engine (`changedReps`), on those reps' records;
 * their answers replace theirs in the previous version's list. Any other change computes the whole
 * organization once. Concurrent requests of a version wait for the same computation, so the next
 * request after a change is current.
 */
export class ProgressCache {
  private readonly orgs = new Map<string, OrgState>()

  async report(db: Queryable, args: { orgId: string; now: Date; asOf?: string }): Promise<CachedProgress> {
    return (await this.lookUp(db, { ...args, treeOf: null })).progress()
  }

  /**
   * The organization's progress as `report` gives it, and, when `treeOf` names a rep, the reps whose
   * manager chain leads to it (that rep included, sorted: what a manager may see) read in the same
   * statement as the data version. The progress is awaited after the caller has checked what it
   * may see: an answer the request may not have is not computed for it.
   */
  async lookUp(
    db: Queryable,
    args: { orgId: string; now: Date; asOf?: string; treeOf: string | null },
  ): Promise<Peeked> {
    if (args.asOf !== undefined && parseLocalDate(args.asOf) === null)
      throw new DomainError('report.bad_date', `"${args.asOf}" is not a date (YYYY-MM-DD).`, {
        asOf: args.asOf,
      })
    const { state, tree } = await this.current(db, args.orgId, args.treeOf)
    const { treeOf: _, ...report } = args
    return { tree, progress: () => this.dayOf(db, state, report) }
  }

  /**
   * `lookUp` without a transaction, when nothing must be computed: the data version (and the tree)
   * read in one statement of the organization's scope (`readInOrgScope`: one round trip on
   * PostgreSQL), and the progress kept for it. Undefined when the version moved or the day is not
   * kept: then `lookUp` in a transaction reads, computes and keeps it.
   */
  async peek(
    db: Database,
    args: { orgId: string; now: Date; asOf?: string; treeOf: string | null },
  ): Promise<Peeked | undefined> {
    const known = this.orgs.get(args.orgId)
    if (known === undefined || (args.asOf !== undefined && parseLocalDate(args.asOf) === null))
      return undefined
    const [row] = await readInOrgScope<VersionRow>(
      db,
      args.orgId,
      args.treeOf === null ? VERSION_SQL : VERSION_AND_TREE_SQL,
      args.treeOf === null ? [args.orgId] : [args.orgId, args.treeOf],
    )
    return row === undefined ? undefined : this.kept(known, row, args)
  }

  /**
   * `peek` for a request whose organization is not known yet: `scope.row` selects one row that
   * names it and who asks (`org_id`, `role`, `rep_id`: a session's, `sessionReadSql`), `scope.orgOf`
   * is a scalar subquery giving the organization to read in (null: none). The row, the data version
   * and, when the row's role is `manager`, the tree under its rep are read in one statement
   * (`readInOrgScopeOf`: one round trip on PostgreSQL). Gives the row as read (undefined: none),
   * and the kept progress when the scope was the row's organization and the version is the kept
   * one. The caller decides whether the row may see anything before using either.
   */
  async peekAs<R extends { org_id: string; role: string; rep_id: string | null }>(
    db: Database,
    scope: { row: string; orgOf: string },
    args: { now: Date; asOf?: string },
  ): Promise<{ row: R | undefined; peeked: Peeked | undefined }> {
    const [found] = await readInOrgScopeOf<R & VersionRow & { scope_org: string }>(
      db,
      scope.orgOf,
      versionAsSql(scope.row),
    )
    if (found === undefined) return { row: undefined, peeked: undefined }
    const { scope_org: scopeOrg, top, floor, above, tree, ...row } = found
    const known = this.orgs.get(found.org_id)
    const peeked =
      known === undefined ||
      scopeOrg !== found.org_id ||
      (args.asOf !== undefined && parseLocalDate(args.asOf) === null)
        ? undefined
        : await this.kept(known, { top, floor, above, tree: tree ?? [] }, args)
    return { row: row as unknown as R, peeked }
  }

  /** The progress kept for the version read and the request's day, if any. */
  private async kept(
    known: OrgState,
    row: VersionRow,
    args: { now: Date; asOf?: string },
  ): Promise<Peeked | undefined> {
    if (known.version !== versionOf(row)) return undefined
    const kept = known.days.get(await dayKey(known, args))
    if (kept === undefined) return undefined
    return { tree: row.tree ?? [], progress: () => kept }
  }

  private async dayOf(
    db: Queryable,
    state: OrgState,
    args: { orgId: string; now: Date; asOf?: string },
  ): Promise<CachedProgress> {
    const day = await dayKey(state, args)
    let found = state.days.get(day)
    if (found === undefined) {
      const prior = state.base?.days.get(day)
      found =
        prior === undefined || state.base === undefined
          ? compute(db, args)
          : update(db, args, prior, state.base.subset)
      state.days.set(day, found)
      if (state.days.size > DAYS_KEPT) state.days.delete(state.days.keys().next().value as string)
      // A failure is not kept: the next request tries again.
      found.catch(() => {
        if (state.days.get(day) === found) state.days.delete(day)
      })
    }
    return found
  }

  /** The organization's state at its current data version (a new one when it moved). */
  private async current(
    db: Queryable,
    orgId: string,
    treeOf: string | null,
  ): Promise<{ state: OrgState; tree: readonly string[] }> {
    const known = this.orgs.get(orgId)
    const [row] = await db.query<VersionRow>(
      treeOf === null ? VERSION_SQL : VERSION_AND_TREE_SQL,
      treeOf === null ? [orgId] : [orgId, treeOf],
    )
    const tree = row?.tree ?? []
    if (row !== undefined && known !== undefined && known.version === versionOf(row))
      return { state: known, tree }
    const top = BigInt(row?.top ?? '0')
    const floor = BigInt(row?.floor ?? '0')
    return { state: await this.next(db, orgId, known, top, floor), tree }
  }

  /**
   * The state of a new data version (`top` its last audit id, `floor` the one the version read
   * derived from it), built on the known one when the floor is the same.
   */
  private async next(
    db: Queryable,
    orgId: string,
    known: OrgState | undefined,
    top: bigint,
    floor: bigint,
  ): Promise<OrgState> {
    const fresh = known === undefined || known.floor !== floor
    const entries = await db.query<AuditRow>(
      `select id::text as id, action, at::text as at, after->>'kind' as kind, after->>'import_id' as import_id
         from audit_log where org_id = $1 and id > $2`,
      [orgId, floor.toString()],
    )
    const last = entries.reduce((m, e) => (BigInt(e.id) > m ? BigInt(e.id) : m), top)
    const state: OrgState = {
      version: `${floor}:${last}:${entries.length}`,
      floor,
      seen: new Set(entries.map((e) => e.id)),
      plans: Promise.resolve([]),
      days: new Map(),
    }
    if (fresh) state.plans = plansOf(db, orgId)
    else {
      const added = entries
        .filter((e) => !known.seen.has(e.id))
        .map((e) => ({ action: e.action, at: e.at, kind: e.kind, importId: e.import_id }))
      const subset = known.plans.then((plans) => changedReps(db, orgId, plans, added))
      state.base = { days: known.days, subset }
      // Only imports of deals and activities keep the plans as they were.
      state.plans = subset.then((s) => (s === null ? plansOf(db, orgId) : known.plans))
    }
    state.plans.catch(() => {
      if (this.orgs.get(orgId) === state) this.orgs.delete(orgId)
    })
    this.orgs.set(orgId, state)
    return state
  }

  /** Forgets everything kept (tests; a process that changed data outside the audit log). */
  clear(): void {
    this.orgs.clear()
  }
}

/** A previous version's answer with the reps that moved run again (the whole when it cannot be). */
async function update(
  db: Queryable,
  args: { orgId: string; now: Date; asOf?: string },
  prior: Promise<CachedProgress>,
  subset: Promise<RepSubset | null>,
): Promise<CachedProgress> {
  const moved = await subset
  if (moved === null) return compute(db, args)
  let before: CachedProgress
  try {
    before = await prior
  } catch {
    return compute(db, args)
  }
  if (moved.reps.size === 0) return before
  const part = await progressReport(db, { ...args, subset: moved })
  const reps = [...before.reps.filter((r) => !moved.reps.has(r.rep)), ...part.reps].sort((a, b) =>
    a.rep < b.rep ? -1 : a.rep > b.rep ? 1 : a.plan < b.plan ? -1 : 1,
  )
  return { reps, repIds: before.repIds }
}

async function compute(
  db: Queryable,
  args: { orgId: string; now: Date; asOf?: string },
): Promise<CachedProgress> {
  const report = await progressReport(db, args)
  const ids = await db.query<{ id: string }>('select id from reps where org_id = $1', [args.orgId])
  return { reps: report.reps, repIds: new Set(ids.map((r) => r.id)) }
}

async function plansOf(db: Queryable, orgId: string): Promise<Plan[]> {
  return (await plansOfRecord(db, orgId)).map((p) => p.plan)
}

/** The as-of day a request names, or "today" in each plan's time zone. */
async function dayKey(state: OrgState, args: { now: Date; asOf?: string }): Promise<string> {
  if (args.asOf !== undefined) return args.asOf
  const zones = [...new Set((await state.plans).map((p) => p.timezone))].sort()
  return zones.map((z) => calendarOf(z).localDay(args.now.getTime())).join(',')
}

/** One calendar per time zone: it keeps each UTC day's offset, so "today" costs no Temporal call. */
const calendars = new Map<string, ZoneCalendar>()
function calendarOf(zone: string): ZoneCalendar {
  let calendar = calendars.get(zone)
  if (calendar === undefined) {
    calendar = new ZoneCalendar(zone)
    calendars.set(zone, calendar)
  }
  return calendar
}

interface VersionRow {
  top: string | null
  floor: string | null
  above: string | null
  tree?: string[]
}

/** What a peek and a version's state compare. */
export interface Peeked {
  tree: readonly string[]
  progress: () => Promise<CachedProgress>
}

const versionOf = (row: VersionRow): string => `${row.floor ?? ''}:${row.top ?? ''}:${row.above ?? ''}`

/** The version's columns (`top`, `floor`, `above`) over `versionFrom(org)`. */
const versionColumns = (org: string): string => `v.top::text as top, v.floor::text as floor,
  (select count(*) from audit_log a where a.org_id = ${org} and a.id > v.floor)::text as above`
/** The organization's last audit id and the floor derived from it. */
const versionFrom = (org: string): string => `(select t.top,
    greatest(t.top - t.top % ${FLOOR_SPAN} - ${FLOOR_MARGIN}, 0) as floor
    from (select coalesce(max(id), 0) as top from audit_log where org_id = ${org}) t) v`

/** The data version: the organization's last audit id, its floor and how many entries lie above it. */
const VERSION_SQL = `select ${versionColumns('$1')} from ${versionFrom('$1')}`

/** The tree of reps under one (src/adapters/http/scope.ts visibleReps's), from `start`. */
const treeCte = (org: string, start: string): string => `tree (id) as (
    ${start}
    union
    select r.id from reps r join tree t on r.manager = t.id where r.org_id = ${org}
  )`

/** The data version and the tree of reps under $2. */
const VERSION_AND_TREE_SQL = `with recursive ${treeCte('$1', 'select id from reps where org_id = $1 and id = $2')}
  select ${versionColumns('$1')}, array(select id from tree order by id) as tree from ${versionFrom('$1')}`

/**
 * `peekAs`'s read: the row `rowSql` selects (`who`), the scope's organization, the data version and
 * the tree under `who.rep_id` when `who.role` is `manager`, in the organization the scope set.
 */
function versionAsSql(rowSql: string): string {
  const org = `current_setting('app.org_id', true)`
  const start = `select id from reps where org_id = ${org} and id = (select rep_id from who where role = 'manager')`
  return `with recursive who as (${rowSql}), ${treeCte(org, start)}
  select who.*, ${org} as scope_org, ${versionColumns(org)}, array(select id from tree order by id) as tree
    from who, ${versionFrom(org)}`
}

const caches = new WeakMap<object, ProgressCache>()

/** The one cache of a server's database (every request of the process shares it). */
export function progressCacheOf(db: object): ProgressCache {
  let cache = caches.get(db)
  if (cache === undefined) {
    cache = new ProgressCache()
    caches.set(db, cache)
  }
  return cache
}

/** The cached progress of one rep, or every rep; an unknown rep is refused. */
export function progressOf(cached: CachedProgress, rep: string | undefined): RepProgress[] {
  if (rep === undefined) return [...cached.reps]
  if (!cached.repIds.has(rep))
    throw new DomainError('progress.unknown_rep', `There is no rep "${rep}".`, { rep })
  return cached.reps.filter((r) => r.rep === rep)
}
