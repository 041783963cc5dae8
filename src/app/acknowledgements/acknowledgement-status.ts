import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodStart } from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import { planForRepOn } from '../plans/plan-store.ts'
import type { Queryable } from '../ports/sql.ts'
import { type Acknowledgement, findAcknowledgement } from './acknowledge-plan.ts'
import { isoOf } from './actor.ts'

/** The plan version in force for a rep in a period, and the rep's acknowledgement of it (or null). */
export interface AcknowledgementStatus {
  readonly repId: string
  readonly period: string
  readonly planId: string
  readonly version: number
  readonly hash: string
  /** When the period's latest close ran (null: not closed). */
  readonly closedAt: string | null
  readonly acknowledgement: Acknowledgement | null
}

/**
 * Whether a rep acknowledged the plan version in force for a period: for a closed period the
 * version its latest close computed the rep with, else the version that applies on the period's
 * first day. Null when the rep is on no plan then. Refuses a bad period key (`acknowledgement.bad_period`).
 */
export async function acknowledgementStatus(
  db: Queryable,
  args: { orgId: string; repId: string; period: string },
): Promise<AcknowledgementStatus | null> {
  const key = parsePeriodKey(args.period)
  if (key === null)
    throw new DomainError(
      'acknowledgement.bad_period',
      `"${args.period}" is not a period (2026-01, 2026-Q1 or 2026).`,
    )
  const [closed] = await db.query<{
    plan_id: string
    plan_version: number
    hash: string
    started_at: unknown
  }>(
    `select r.plan_id, r.plan_version, v.hash, c.started_at
       from results r
       join close_runs c on c.org_id = r.org_id and c.id = r.close_id
       join plan_versions v on v.org_id = r.org_id and v.plan_id = r.plan_id and v.version = r.plan_version
      where r.org_id = $1 and r.rep_id = $2 and r.period = $3 and not c.dry_run and c.status = 'done'
        and exists (select 1 from periods p where p.org_id = r.org_id and p.key = r.period and p.status = 'closed')
      order by c.started_at desc, r.plan_id limit 1`,
    [args.orgId, args.repId, args.period],
  )
  let found: { planId: string; version: number; hash: string; closedAt: string | null } | null = null
  if (closed !== undefined) {
    found = {
      planId: closed.plan_id,
      version: Number(closed.plan_version),
      hash: closed.hash,
      closedAt: isoOf(closed.started_at),
    }
  } else {
    const first = formatLocalDate(periodStart(key.kind, key.index))
    const on = await planForRepOn(db, args.orgId, args.repId, first)
    if (on?.version != null)
      found = {
        planId: on.version.planId,
        version: on.version.version,
        hash: on.version.hash,
        closedAt: null,
      }
  }
  if (found === null) return null
  return {
    repId: args.repId,
    period: args.period,
    ...found,
    acknowledgement: await findAcknowledgement(db, args.orgId, args.repId, found.planId, found.version),
  }
}
