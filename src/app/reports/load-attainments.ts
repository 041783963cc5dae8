import { primaryMetric } from '../../core/followthrough/primary-metric.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'

/** A computed rep's attainment of the plan's primary metric in a closed period, with team and manager. */
export interface ClosedAttainment {
  readonly plan: string
  readonly period: string
  readonly rep: string
  readonly team: string
  readonly manager: string | null
  /** A factor (1 = 100%), from the close's result (6 decimals). */
  readonly attainment: number
}

/**
 * The attainments of every closed period, from the results of the period's latest close: per
 * computed rep, the attainment of the primary metric of the rep's plan (see `primaryMetric`);
 * reps without a quota for it are left out. Also each plan's closed periods, in order.
 */
export async function loadAttainments(
  db: Queryable,
  orgId: string,
): Promise<{ attainments: ClosedAttainment[]; periods: Map<string, string[]> }> {
  const primary = new Map((await plansOfRecord(db, orgId)).map((p) => [p.plan.id, primaryMetric(p.plan)]))
  const rows = await db.query<{
    plan_id: string
    period: string
    rep_id: string
    team: string | null
    manager: string | null
    metrics: unknown
  }>(
    `select res.plan_id, res.period, res.rep_id, r.team, r.manager, res.result -> 'metrics' as metrics
       from results res
       join periods p on p.org_id = res.org_id and p.key = res.period and p.status = 'closed'
       left join reps r on r.org_id = res.org_id and r.id = res.rep_id
      where res.org_id = $1 and res.computed
        and res.close_id = (select c.id from close_runs c
                             where c.org_id = res.org_id and c.period = res.period and not c.dry_run
                               and exists (select 1 from results x where x.org_id = c.org_id and x.close_id = c.id)
                             order by c.started_at desc limit 1)
      order by res.plan_id, res.period, res.rep_id`,
    [orgId],
  )
  const attainments: ClosedAttainment[] = []
  const periods = new Map<string, string[]>()
  for (const row of rows) {
    const list = periods.get(row.plan_id) ?? []
    if (!list.includes(row.period)) list.push(row.period)
    periods.set(row.plan_id, list)
    const metric = primary.get(row.plan_id)
    if (metric === null || metric === undefined) continue
    const metrics = (typeof row.metrics === 'string' ? JSON.parse(row.metrics) : row.metrics) as Record<
      string,
      { attainment: string | null } | undefined
    > | null
    const text = metrics?.[metric]?.attainment
    if (text === null || text === undefined) continue
    attainments.push({
      plan: row.plan_id,
      period: row.period,
      rep: row.rep_id,
      team: row.team ?? '',
      manager: row.manager,
      attainment: Number(text),
    })
  }
  return { attainments, periods }
}
