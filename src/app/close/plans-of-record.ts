import type { PeriodKind } from '../../core/calendar/period.ts'
import { parsePlan } from '../../core/plans/parse-plan.ts'
import type { Plan } from '../../core/plans/plan.ts'
import type { Queryable } from '../ports/sql.ts'

export interface PlanOfRecord {
  readonly plan: Plan
  readonly version: number
  readonly hash: string
}

/** The latest published version of every plan of the organization with periods of this kind. */
export async function plansOfRecord(
  db: Queryable,
  orgId: string,
  kind?: PeriodKind,
): Promise<PlanOfRecord[]> {
  const rows = await db.query<{ plan_id: string; version: number; hash: string; source: string }>(
    `select v.plan_id, v.version, v.hash, v.source
       from plan_versions v
      where v.org_id = $1
        and v.version = (select max(version) from plan_versions w where w.org_id = v.org_id and w.plan_id = v.plan_id)
      order by v.plan_id`,
    [orgId],
  )
  const out: PlanOfRecord[] = []
  for (const row of rows) {
    const { plan, issues } = parsePlan(row.source, `${row.plan_id} v${row.version}`)
    if (plan === null) {
      throw new Error(
        `Stored plan ${row.plan_id} v${row.version} no longer checks: ${issues[0]?.message ?? ''}`,
      )
    }
    if (kind === undefined || plan.period === kind)
      out.push({ plan, version: Number(row.version), hash: row.hash })
  }
  return out
}
