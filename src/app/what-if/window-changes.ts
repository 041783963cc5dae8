import { type LoadRange, storedDateBounds } from '../close/load-records.ts'
import type { Queryable } from '../ports/sql.ts'

export interface WindowChanges {
  /** Every audit id of the organization above the floor (the new version's). */
  readonly ids: readonly bigint[]
  /**
   * True when every entry above the floor not in `seen` is an import (or webhook delivery) of
   * deals or activities, and every deal and activity they stored lies outside the range's dates
   * before and after: the records read for the range still hold. False when unsure.
   */
  readonly outside: boolean
}

/**
 * The audit entries above `floor` and whether those not in `seen` leave the records of `range`
 * as they were (null range: only the ids). Read in one statement, so the entries and the rows they
 * stored are one snapshot: rows written by an import whose entry is not read yet cannot be seen.
 *
 * The deals an import stored (added or changed) carry its instant in `updated_at`, their earlier
 * values are in `deal_history` at that instant (the same rule as live progress's `changedReps`);
 * likewise activities. A row counts as inside when its date (now or before) falls where
 * `loadRecords` reads: from the day before the range to the second day after it, compared as
 * text (a date-time with an offset starts with its date). Activities count only when the range
 * reads them. A range narrowed to some reps or reading cancelled deals is never kept.
 */
export async function windowChanges(
  db: Queryable,
  args: { orgId: string; floor: bigint; seen: ReadonlySet<string>; range: LoadRange | null },
): Promise<WindowChanges> {
  const { range } = args
  if (range === null || range.creditedTo !== undefined || range.cancelledSince !== undefined) {
    const rows = await db.query<{ id: string }>(
      'select id::text as id from audit_log where org_id = $1 and id > $2::bigint',
      [args.orgId, args.floor.toString()],
    )
    return { ids: rows.map((r) => BigInt(r.id)), outside: false }
  }
  const { lo, hi } = storedDateBounds(range)
  const [row] = await db.query<{ ids: string[] | null; outside: boolean | null }>(CHANGES_SQL, [
    args.orgId,
    args.floor.toString(),
    [...args.seen],
    lo,
    hi,
    range.activities,
  ])
  return { ids: (row?.ids ?? []).map((id) => BigInt(id)), outside: row?.outside === true }
}

/** $1 org, $2 floor, $3 the ids seen (text), $4 and $5 the dates read (from, before), $6 activities. */
const CHANGES_SQL = `with e as (
    select id, action, at, after->>'kind' as kind from audit_log where org_id = $1 and id > $2::bigint
  ),
  n as (select action, at, kind from e where not (id::text = any($3::text[]))),
  k as (
    select coalesce(bool_and(action = 'import' and kind in ('deals', 'activities')), true) as plain,
           coalesce(array_agg(at) filter (where kind = 'deals'), '{}') as deal_ats,
           coalesce(array_agg(at) filter (where kind = 'activities' and $6::boolean), '{}') as activity_ats
      from n
  ),
  d as (select x.id, x.closed_on from deals x, k where k.plain and x.org_id = $1 and x.updated_at = any(k.deal_ats)),
  a as (
    select x.id, x.occurred_on from activities x, k
     where k.plain and x.org_id = $1 and x.updated_at = any(k.activity_ats)
  )
  select array(select id::text from e order by id) as ids,
         (select plain from k) and not (
           exists (select 1 from d where d.closed_on >= $4 and d.closed_on < $5)
           or exists (select 1 from deal_history h join d on h.deal_id = d.id, k
                       where h.org_id = $1 and h.changed_at = any(k.deal_ats)
                         and h.before->>'closed_on' >= $4 and h.before->>'closed_on' < $5)
           or exists (select 1 from a where a.occurred_on >= $4 and a.occurred_on < $5)
           or exists (select 1 from activity_history h join a on h.activity_id = a.id, k
                       where h.org_id = $1 and h.changed_at = any(k.activity_ats)
                         and h.before->>'occurred_on' >= $4 and h.before->>'occurred_on' < $5)
         ) as outside`
