import { loadRecords, type LoadRange, type LoadResult } from '../close/load-records.ts'
import type { PlanOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'
import { windowChanges } from './window-changes.ts'

/** How long loaded records stay in memory without a what-if asking for them. */
const IDLE_MS = 10 * 60_000
/** The audit ids below the top that the version counts (an entry committed late still moves it). */
const FLOOR_MARGIN = 500n
/** Organizations kept at most: the one used least recently goes first. */
const MAX_ORGS = 32

interface Entry {
  /** The data version the records hold for: the last audit id and the entries above `floor`. */
  readonly top: bigint
  readonly floor: bigint
  /** The ids of the audit entries above `floor` (what a next version adds is the rest). */
  readonly seen: ReadonlySet<string>
  /** Plans (id, version, hash), the date of assignments and the range: what was read. */
  readonly key: string
  readonly range: LoadRange
  readonly records: Promise<LoadResult>
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * The records a what-if reads (the last closed periods of an organization), kept in the server's
 * memory per organization, so that running a second draft, or a draft after the page prepared its
 * window, does not read 200,000 deals again (ADR 0012).
 *
 * The version is the audit log, as for live progress (ADR 0007): every change that can move the
 * records (imports, webhooks, reps, quotas, plans and assignments, closes, reopens) writes an audit
 * entry in its own transaction. The last id and the count of entries above a floor below it are
 * read on every use. When they moved, the new entries decide (`windowChanges`): deals and
 * activities that arrived, before and after, all outside the window's dates (with loadRecords' day
 * of slack) keep the records for the new version; anything else reads them again. One entry per
 * organization, at most MAX_ORGS, dropped after ten idle minutes. Concurrent uses of one version
 * wait for the same read.
 */
export class WhatIfRecordsCache {
  private readonly orgs = new Map<string, Entry>()
  /** How many times records were read from the database (not served from memory). */
  reads = 0
  /** How many times a new data version kept the records read for an earlier one. */
  kept = 0

  async load(
    db: Queryable,
    orgId: string,
    plans: readonly PlanOfRecord[],
    on: string,
    range: LoadRange,
  ): Promise<LoadResult> {
    const key = JSON.stringify([
      plans.map((p) => [p.plan.id, p.version, p.hash]),
      on,
      range.from,
      range.to,
      range.periods,
    ])
    const known = this.orgs.get(orgId)
    // Without an entry, the floor is set below the top in the same query.
    const [row] = await db.query<{ top: string; above: string; floor: string }>(
      `with t as (select coalesce(max(id), 0) as top from audit_log where org_id = $1),
            f as (select coalesce($2::bigint, greatest(t.top - $3::bigint, 0)) as floor, t.top from t)
       select f.top::text as top, f.floor::text as floor,
              (select count(*) from audit_log where org_id = $1 and id > f.floor)::text as above
         from f`,
      [orgId, known === undefined ? null : known.floor.toString(), FLOOR_MARGIN.toString()],
    )
    const top = BigInt(row?.top ?? '0')
    const floor = BigInt(row?.floor ?? '0')
    // Records of this key and range, unless they lack the activities asked for.
    const same = known !== undefined && known.key === key && (known.range.activities || !range.activities)
    if (same && known.top === top && known.seen.size === Number(row?.above ?? '0')) {
      this.touch(orgId, known)
      return known.records
    }
    const changes = await windowChanges(db, {
      orgId,
      floor,
      seen: same ? known.seen : new Set(),
      range: same ? known.range : null,
    })
    // The floor moves up when the top went far above it (the ids above it are all at hand).
    const last = changes.ids.reduce((m, id) => (id > m ? id : m), top)
    const nextFloor = last - floor > 4n * FLOOR_MARGIN ? last - FLOOR_MARGIN : floor
    const seen = new Set(changes.ids.filter((id) => id > nextFloor).map(String))
    let records: Promise<LoadResult>
    if (same && changes.outside) {
      this.kept += 1
      records = known.records
    } else {
      this.reads += 1
      records = loadRecords(
        db,
        orgId,
        plans.map((p) => p.plan),
        on,
        range,
      )
    }
    const entry: Entry = {
      top: last,
      floor: nextFloor,
      seen,
      key,
      range: same && changes.outside ? known.range : range,
      records,
      timer: undefined,
    }
    if (known !== undefined) clearTimeout(known.timer)
    this.orgs.set(orgId, entry)
    this.touch(orgId, entry)
    // A failed read is not kept: the next what-if reads again.
    entry.records.then(
      (loaded) => {
        if (!loaded.ok) this.forget(orgId, entry)
      },
      () => this.forget(orgId, entry),
    )
    return entry.records
  }

  /** How many organizations have records kept. */
  get size(): number {
    return this.orgs.size
  }

  /** Forgets everything kept (tests; a process that changed data outside the audit log). */
  clear(): void {
    for (const entry of this.orgs.values()) clearTimeout(entry.timer)
    this.orgs.clear()
  }

  /** Marks an entry used now: its idle drop starts again, and it goes last in the order of use. */
  private touch(orgId: string, entry: Entry): void {
    clearTimeout(entry.timer)
    entry.timer = setTimeout(() => this.forget(orgId, entry), IDLE_MS)
    entry.timer.unref?.()
    if (this.orgs.get(orgId) !== entry) return
    this.orgs.delete(orgId)
    this.orgs.set(orgId, entry)
    for (const [id, oldest] of this.orgs) {
      if (this.orgs.size <= MAX_ORGS) break
      this.forget(id, oldest)
    }
  }

  private forget(orgId: string, entry: Entry): void {
    clearTimeout(entry.timer)
    if (this.orgs.get(orgId) === entry) this.orgs.delete(orgId)
  }
}

const caches = new WeakMap<object, WhatIfRecordsCache>()

/** The one cache of a server's database (every request of the process shares it). */
export function whatIfRecordsCacheOf(db: object): WhatIfRecordsCache {
  let cache = caches.get(db)
  if (cache === undefined) {
    cache = new WhatIfRecordsCache()
    caches.set(db, cache)
  }
  return cache
}
