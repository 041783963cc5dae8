import { z } from 'zod'
import { orgTx, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, isoOf } from '../schemas.ts'

const entry = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEntry' })

/** The audit log, newest first, filtered by actor, action, subject and time. Owner, admin, finance. */
export async function auditRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/audit',
    {
      preHandler: requireRole('owner', 'admin', 'finance'),
      schema: {
        tags: ['audit'],
        summary: 'Every change: who, what, before, after; newest first',
        querystring: z.object({
          ...pageQuery,
          actor: z.string().optional(),
          action: z.string().optional().describe('an action, or a prefix ending in "." (e.g. "plan.")'),
          subject: z.string().optional(),
          from: z.iso.datetime().optional(),
          to: z.iso.datetime().optional(),
        }),
        response: { 200: pageOf(entry), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, actor, action, subject, from, to } = request.query
      const after = decodeCursor(cursor, 1)
      const rows = await orgTx(request, deps, (tx, principal) =>
        tx.query<{
          id: string | number | bigint
          at: unknown
          actor: string
          action: string
          subject: string
          before: unknown
          after: unknown
        }>(
          `select * from audit_log
            where org_id = $1 and ($2::text is null or actor = $2)
              and ($3::text is null or action = $3 or (right($3, 1) = '.' and starts_with(action, $3)))
              and ($4::text is null or subject = $4)
              and ($5::timestamptz is null or at >= $5) and ($6::timestamptz is null or at <= $6)
              and ($7::bigint is null or id < $7)
            order by id desc limit $8`,
          [
            principal.orgId,
            actor ?? null,
            action ?? null,
            subject ?? null,
            from ?? null,
            to ?? null,
            after?.[0] ?? null,
            limit + 1,
          ],
        ),
      )
      return toPage(
        rows,
        limit,
        (r) => [Number(r.id)],
        (r) => ({
          id: Number(r.id),
          at: isoOf(r.at),
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          before: r.before,
          after: r.after,
        }),
      )
    },
  )
}
