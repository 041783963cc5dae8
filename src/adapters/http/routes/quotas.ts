import { z } from 'zod'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, periodKey } from '../schemas.ts'
import { visibleReps } from '../scope.ts'

const quota = z
  .object({
    repId: z.string(),
    period: z.string(),
    metric: z.string(),
    amount: z.string().describe('exact decimal text: minor units for money metrics'),
  })
  .meta({ id: 'Quota' })

/** Quota overrides by rep, period and metric; within what the principal sees. */
export async function quotaRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
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
