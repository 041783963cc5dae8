import { z } from 'zod'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, isoOf, localDate } from '../schemas.ts'
import { visibleReps } from '../scope.ts'

const activity = z
  .object({
    id: z.string(),
    repId: z.string(),
    kind: z.string(),
    occurredOn: z.string(),
    fields: z.record(z.string(), z.unknown()),
    updatedAt: z.string(),
  })
  .meta({ id: 'Activity' })

interface ActivityRow {
  id: string
  rep_id: string
  kind: string
  occurred_on: string
  fields: Record<string, unknown>
  updated_at: unknown
}

/** Activities, newest first, filtered by rep, kind and date; within what the principal sees. */
export async function activityRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/activities',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['activities'],
        summary: 'Activities, newest first',
        querystring: z.object({
          ...pageQuery,
          repId: z.string().optional(),
          kind: z.string().optional(),
          from: localDate.optional(),
          to: localDate.optional(),
        }),
        response: { 200: pageOf(activity), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, repId, kind, from, to } = request.query
      const after = decodeCursor(cursor, 2)
      const rows = await orgTx(request, deps, async (tx, principal) =>
        tx.query<ActivityRow>(
          `select * from activities a
            where a.org_id = $1 and ($2::text[] is null or a.rep_id = any($2))
              and ($3::text is null or a.rep_id = $3) and ($4::text is null or a.kind = $4)
              and ($5::text is null or left(a.occurred_on, 10) >= $5) and ($6::text is null or left(a.occurred_on, 10) <= $6)
              and ($7::text is null or (a.occurred_on, a.id) < ($7, $8::text))
            order by a.occurred_on desc, a.id desc limit $9`,
          [
            principal.orgId,
            await visibleReps(tx, principal),
            repId ?? null,
            kind ?? null,
            from ?? null,
            to ?? null,
            after?.[0] ?? null,
            after?.[1] ?? null,
            limit + 1,
          ],
        ),
      )
      return toPage(
        rows,
        limit,
        (r) => [r.occurred_on, r.id],
        (r) => ({
          id: r.id,
          repId: r.rep_id,
          kind: r.kind,
          occurredOn: r.occurred_on,
          fields: r.fields,
          updatedAt: isoOf(r.updated_at),
        }),
      )
    },
  )
}
