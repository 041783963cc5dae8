import { z } from 'zod'
import { setQuota } from '../../../app/quotas/set-quota.ts'
import { orgTx, principalOf, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { orgDatabase } from '../org-database.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, periodKey } from '../schemas.ts'
import { visibleReps } from '../scope.ts'
import { quotaGridRoute } from './quota-grid.ts'

const quota = z
  .object({
    repId: z.string(),
    period: z.string(),
    metric: z.string(),
    amount: z.string().describe('exact decimal text: money metrics in currency units ("4500.00")'),
  })
  .meta({ id: 'Quota' })

const quotaChange = z
  .object({
    repId: z.string(),
    period: z.string(),
    metric: z.string(),
    planId: z.string(),
    before: z.string().nullable(),
    after: z.string().nullable(),
    planDefault: z.string().nullable().describe("the plan's default quota for the metric, before ramp"),
  })
  .meta({ id: 'QuotaChange' })

const cellParams = z.object({
  repId: z.string().min(1).max(200),
  period: periodKey,
  metric: z.string().min(1).max(200),
})

/** Quota overrides by rep, period and metric; within what the principal sees. Owner and admin edit them. */
export async function quotaRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const editors = requireRole('owner', 'admin')
  const change = (
    repId: string,
    period: string,
    metric: string,
    amount: string | null,
    actor: string,
    orgId: string,
  ) => setQuota(orgDatabase(deps.db, orgId), { orgId, actor, now: deps.now(), repId, period, metric, amount })

  app.put(
    '/quotas/:repId/:period/:metric',
    {
      preHandler: editors,
      schema: {
        tags: ['quotas'],
        summary: "Set a rep's quota for a period and metric (not in a closed period)",
        params: cellParams,
        body: z.object({
          amount: z
            .string()
            .max(40)
            .describe('a decimal ≥ 0; money metrics in currency units with at most its digits'),
        }),
        response: { 200: quotaChange, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const { repId, period, metric } = request.params
      return change(repId, period, metric, request.body.amount.trim(), principal.personId, principal.orgId)
    },
  )

  app.delete(
    '/quotas/:repId/:period/:metric',
    {
      preHandler: editors,
      schema: {
        tags: ['quotas'],
        summary: "Remove a rep's quota override: the plan's default applies again (not in a closed period)",
        params: cellParams,
        response: { 200: quotaChange, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      const { repId, period, metric } = request.params
      return change(repId, period, metric, null, principal.personId, principal.orgId)
    },
  )

  await quotaGridRoute(app, deps)

  app.get(
    '/quotas',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['quotas'],
        summary: 'Quotas by rep, period and metric',
        querystring: z.object({
          ...pageQuery,
          repId: z.string().optional(),
          period: periodKey.optional(),
          metric: z.string().optional(),
        }),
        response: { 200: pageOf(quota), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, repId, period, metric } = request.query
      const after = decodeCursor(cursor, 3)
      const rows = await orgTx(request, deps, async (tx, principal) =>
        tx.query<{ rep_id: string; period: string; metric: string; amount: string }>(
          `select rep_id, period, metric, amount::text as amount from quotas
            where org_id = $1 and ($2::text[] is null or rep_id = any($2))
              and ($3::text is null or rep_id = $3) and ($4::text is null or period = $4) and ($5::text is null or metric = $5)
              and ($6::text is null or (rep_id, period, metric) > ($6, $7::text, $8::text))
            order by rep_id, period, metric limit $9`,
          [
            principal.orgId,
            await visibleReps(tx, principal),
            repId ?? null,
            period ?? null,
            metric ?? null,
            after?.[0] ?? null,
            after?.[1] ?? null,
            after?.[2] ?? null,
            limit + 1,
          ],
        ),
      )
      return toPage(
        rows,
        limit,
        (r) => [r.rep_id, r.period, r.metric],
        (r) => ({ repId: r.rep_id, period: r.period, metric: r.metric, amount: r.amount }),
      )
    },
  )
}
