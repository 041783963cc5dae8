import { loadRecords, type LoadRange, type LoadResult } from '../close/load-records.ts'
import type { PlanOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'

/** How long loaded records stay in memory without a what-if asking for them. */
const IDLE_MS = 10 * 60_000
/** The audit ids below the top that the version counts (an entry committed late still moves it). */
const FLOOR_MARGIN = 500n

interface Entry {
  /** The data version when the records were read: the last audit id and the count above `floor`. */
  readonly top: bigint
  readonly above: number
  readonly floor: bigint
  /** Plans (id, version, hash), the date of assignments and the range: what was read. */
  readonly key: string
  readonly activities: boolean
  readonly records: Promise<LoadResult>
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * The records a what-if reads (the last closed periods of an organization), kept in the server's
 * memory per organization while its data version is unchanged, so that running a second draft, or
 * a draft after the page prepared its window, does not read 200,000 deals again (ADR 0012).
 *
 * The version is the audit log, as for live progress (ADR 0007): every change that can move the
 * records (imports, webhooks, reps, quotas, plans and assignments, closes, reopens) writes an audit
 * entry in its own transaction. The last id and the count of entries above a floor below it are
 * read on every use; a different pair reads the records again. One entry per organization, dropped
 * after ten idle minutes. Concurrent uses of one version wait for the same read.
 */
export class WhatIfRecordsCache {
  private readonly orgs = new Map<string, Entry>()
  /** How many times records were read from the database (not served from memory). */
  reads = 0

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
    const above = Number(row?.above ?? '0')
    if (
      known !== undefined &&
      known.top === top &&
      known.above === above &&
      known.key === key &&
      (known.activities || !range.activities)
    ) {
      this.touch(orgId, known)
      return known.records
    }
    // A new entry keeps the floor when it is near the top, else moves it up (one more count).
    let floor = BigInt(row?.floor ?? '0')
    let count = above
    if (top - floor > 4n * FLOOR_MARGIN) {
      floor = top - FLOOR_MARGIN
      const [moved] = await db.query<{ above: string }>(
        'select count(*)::text as above from audit_log where org_id = $1 and id > $2',
        [orgId, floor.toString()],
      )
      count = Number(moved?.above ?? '0')
    }
    this.reads += 1
    const entry: Entry = {
      top,
      above: count,
      floor,
      key,
      activities: range.activities,
      records: loadRecords(
        db,
        orgId,
        plans.map((p) => p.plan),
        on,
        range,
      ),
      timer: undefined,
    }
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

  /** Forgets everything kept (tests; a process that changed data outside the audit log). */
  clear(): void {
    for (const entry of this.orgs.values()) clearTimeout(entry.timer)
    this.orgs.clear()
  }

  private touch(orgId: string, entry: Entry): void {
    clearTimeout(entry.timer)
    entry.timer = setTimeout(() => this.forget(orgId, entry), IDLE_MS)
    entry.timer.unref?.()
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
