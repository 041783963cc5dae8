import { formatLocalDate } from '../../core/calendar/civil.ts'
import { localDayOf } from '../../core/calendar/business-days.ts'
import type { Queryable } from '../ports/sql.ts'
import { type Actor, visibleReps } from './actor.ts'

/** A plan version a rep is (or will be) on and has not acknowledged. */
export interface UnacknowledgedAssignment {
  readonly repId: string
  readonly repName: string
  /** The rep's manager (a rep id), null at the top. */
  readonly manager: string | null
  readonly planId: string
  readonly version: number
  readonly hash: string
  /** 'YYYY-MM-DD': the first day this version applies to the rep. */
  readonly appliesFrom: string
  /** True: the version is in force today; false: it applies from a later day. */
  readonly inForce: boolean
}

interface VersionRow {
  plan_id: string
  version: number
  hash: string
  effective_from: string | null
  effective_to: string | null
}

/**
 * Assignments (current and future) whose plan version in force, or any version published to
 * apply later, has no acknowledgement by the rep; today is `now` in the organization's time zone.
 * A manager sees the reps under them (at any depth), owners, admins and finance every rep, a rep
 * only themselves. Ordered by rep, plan and version.
 */
export async function listUnacknowledged(
  db: Queryable,
  args: { orgId: string; actor: Actor; now: Date },
): Promise<UnacknowledgedAssignment[]> {
  const [org] = await db.query<{ timezone: string }>('select timezone from organizations where id = $1', [
    args.orgId,
  ])
  const today = formatLocalDate(localDayOf(args.now.getTime(), org?.timezone ?? 'UTC'))
  const visible = await visibleReps(db, args.orgId, args.actor)
  const assignments = (
    await db.query<{
      rep_id: string
      plan_id: string
      valid_from: string
      valid_to: string | null
      name: string
      manager: string | null
    }>(
      `select a.rep_id, a.plan_id, a.valid_from, a.valid_to, coalesce(r.name, '') as name, r.manager
         from plan_assignments a left join reps r on r.org_id = a.org_id and r.id = a.rep_id
        where a.org_id = $1 and (a.valid_to is null or a.valid_to >= $2::date)
        order by a.rep_id, a.valid_from`,
      [args.orgId, today],
    )
  ).filter((a) => visible === null || visible.has(a.rep_id))
  const versions = await db.query<VersionRow>(
    `select plan_id, version, hash, effective_from, effective_to from plan_versions where org_id = $1 order by plan_id, version`,
    [args.orgId],
  )
  const acknowledged = new Set(
    (
      await db.query<{ rep_id: string; plan_id: string; plan_version: number }>(
        'select rep_id, plan_id, plan_version from plan_acknowledgements where org_id = $1',
        [args.orgId],
      )
    ).map((a) => `${a.rep_id}\u0000${a.plan_id}\u0000${a.plan_version}`),
  )
  const out: UnacknowledgedAssignment[] = []
  for (const a of assignments) {
    const from = a.valid_from > today ? a.valid_from : today
    const ofPlan = versions.filter((v) => v.plan_id === a.plan_id)
    const due = versionsToAcknowledge(ofPlan, from, a.valid_to)
    for (const { row, appliesFrom } of due) {
      if (acknowledged.has(`${a.rep_id}\u0000${a.plan_id}\u0000${row.version}`)) continue
      out.push({
        repId: a.rep_id,
        repName: a.name,
        manager: a.manager,
        planId: a.plan_id,
        version: Number(row.version),
        hash: row.hash,
        appliesFrom,
        inForce: appliesFrom <= today,
      })
    }
  }
  return out
}

/**
 * The version in force on `from` (the latest whose effective range holds it, as a close picks it)
 * and every version published to apply after `from` (and not after `until`).
 */
function versionsToAcknowledge(
  versions: readonly VersionRow[],
  from: string,
  until: string | null,
): { row: VersionRow; appliesFrom: string }[] {
  const holds = (v: VersionRow, day: string): boolean =>
    (v.effective_from === null || v.effective_from <= day) &&
    (v.effective_to === null || v.effective_to >= day)
  const current = [...versions].reverse().find((v) => holds(v, from))
  const out = current === undefined ? [] : [{ row: current, appliesFrom: from }]
  for (const v of versions) {
    if (v.effective_from === null || v.effective_from <= from) continue
    if (until !== null && v.effective_from > until) continue
    if (current !== undefined && v.version <= current.version) continue
    out.push({ row: v, appliesFrom: v.effective_from })
  }
  return out
}
