import { z } from 'zod'
import { pendingMigrations } from '../../db/migrate.ts'
import type { ServerDeps, ZodApp } from '../context.ts'

const readiness = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.enum(['ok', 'unreachable']),
  pendingMigrations: z.array(z.string()),
})

/** GET /health (the process is up) and GET /ready (the database answers, migrations current). */
export async function healthRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'The process is up',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'The database answers and its migrations are current',
        security: [],
        response: { 200: readiness, 503: readiness },
      },
    },
    async (request, reply) => {
      try {
        await deps.db.query('select 1')
        const pending = await pendingMigrations(deps.db)
        if (pending.length > 0)
          return reply.code(503).send({ status: 'not_ready', database: 'ok', pendingMigrations: pending })
        return { status: 'ready' as const, database: 'ok' as const, pendingMigrations: [] }
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed')
        return reply.code(503).send({ status: 'not_ready', database: 'unreachable', pendingMigrations: [] })
      }
    },
  )
}
