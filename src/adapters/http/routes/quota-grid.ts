import { z } from 'zod'
import { periodKey as keyOf, type PeriodKind } from '../../../core/calendar/period.ts'
import { formatExact } from '../../../core/money/rational.ts'
import { plansOfRecord } from '../../../app/close/plans-of-record.ts'
import { orgTx, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { errors } from '../schemas.ts'
import { visibleReps } from '../scope.ts'

const gridRow = z.object({
  repId: z.string(),
  name: z.string(),
  team: z.string(),
  planId: z.string(),
  kind: z.enum(['month', 'quarter', 'year']),
  money: z.boolean(),
  planDefault: z.string().nullable(),
  cells: z.record(z.string(), z.string()).describe('period key → the override (currency units for money)'),
})

/** The periods of a kind in a year, by key. */
function periodsOf(kind: PeriodKind, year: number): string[] {
  if (kind === 'year') return [String(year)]
  const count = kind === 'month' ? 12 : 4
  return Array.from({ length: count }, (_, i) => keyOf(kind, year * count + i))
}

/**
 * The quota grid of a year for one metric: each visible rep whose plan measures it, the plan's
 * default quota (its latest version, before ramp and proration), and the overrides by period; with
 * the periods of each kind and which of them are closed.
 */
export async function quotaGridRoute(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/quotas/grid',
    {
      preHandler: requireRole('owner', 'admin', 'finance', 'manager'),
      schema: {
        tags: ['quotas'],
        summary: 'Quota overrides of a year for a metric, rep by period, with the plan defaults',
        querystring: z.object({
          year: z.coerce.number().int().min(1970).max(9999),
          metric: z.string().max(200).optional().describe('default: the first metric of the first plan'),
        }),
        response: {
          200: z.object({
            year: z.number(),
            metric: z.string().nullable(),
            metrics: z.array(z.string()),
            periods: z.record(z.string(), z.array(z.string())),
            closed: z.array(z.string()),
            rows: z.array(gridRow),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const { year } = request.query
        const visible = await visibleReps(tx, principal)
        // Each rep's plan in the year: the latest assignment overlapping it, else (no assignment
        // at all) the rep's plan column.
        const reps = await tx.query<{ id: string; name: string; team: string; plan: string | null }>(
          `select r.id, r.name, r.team,
                  coalesce((select a.plan_id from plan_assignments a
                             where a.org_id = r.org_id and a.rep_id = r.id
                               and a.valid_from <= $4::date and (a.valid_to is null or a.valid_to >= $3::date)
                             order by a.valid_from desc limit 1),
                           case when not exists (select 1 from plan_assignments b where b.org_id = r.org_id and b.rep_id = r.id)
                                then r.plan end) as plan
             from reps r
            where r.org_id = $1 and ($2::text[] is null or r.id = any($2))
              and (r.left_on is null or r.left_on >= $3::date) and (r.hired_on is null or r.hired_on <= $4::date)
            order by r.team, r.id`,
          [principal.orgId, visible, `${year}-01-01`, `${year}-12-31`],
        )
        const plans = new Map((await plansOfRecord(tx, principal.orgId)).map((p) => [p.plan.id, p.plan]))
        const used = [...new Set(reps.map((r) => r.plan))].flatMap((id) => {
          const plan = id === null ? undefined : plans.get(id)
          return plan === undefined ? [] : [plan]
        })
        const metrics = [...new Set(used.flatMap((p) => p.metrics.map((m) => m.id)))]
        const metric = request.query.metric ?? metrics[0] ?? null
        const rows = reps.flatMap((r) => {
          const plan = r.plan === null ? undefined : plans.get(r.plan)
          const m = plan?.metrics.find((x) => x.id === metric)
          if (plan === undefined || m === undefined) return []
          const fallback = plan.quotas.get(m.id)
          return [
            {
              repId: r.id,
              name: r.name,
              team: r.team,
              planId: plan.id,
              kind: plan.period,
              money: m.money,
              planDefault: fallback === undefined ? null : formatExact(fallback),
              cells: {} as Record<string, string>,
            },
          ]
        })
        const kinds = [...new Set(rows.map((r) => r.kind))]
        const periods = Object.fromEntries(kinds.map((k) => [k, periodsOf(k, year)]))
        const keys = Object.values(periods).flat()
        const byRep = new Map(rows.map((r) => [r.repId, r]))
        if (metric !== null && rows.length > 0) {
          const stored = await tx.query<{ rep_id: string; period: string; amount: string }>(
            `select rep_id, period, trim_scale(amount)::text as amount from quotas
              where org_id = $1 and metric = $2 and rep_id = any($3) and period = any($4)`,
            [principal.orgId, metric, [...byRep.keys()], keys],
          )
          for (const q of stored) {
            const row = byRep.get(q.rep_id)
            if (row !== undefined) row.cells[q.period] = q.amount
          }
        }
        const closed = await tx.query<{ key: string }>(
          `select key from periods where org_id = $1 and status = 'closed' and key = any($2) order by key`,
          [principal.orgId, keys],
        )
        return { year, metric, metrics, periods, closed: closed.map((c) => c.key), rows }
      }),
  )
}
