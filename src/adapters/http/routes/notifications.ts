import { z } from 'zod'
import { listNotifications, markNotificationRead } from '../../../app/notify/in-app.ts'
import { listOutbox } from '../../../app/notify/outbox.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { smtpConfigFromEnv } from '../../mail/mail-config.ts'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, ok } from '../schemas.ts'

/** Whether email goes out over SMTP, as the environment configures it (never its credentials). */
function smtpStatus(): {
  configured: boolean
  host: string | null
  from: string | null
  problem: string | null
} {
  try {
    const config = smtpConfigFromEnv(process.env)
    return config === null
      ? { configured: false, host: null, from: null, problem: null }
      : { configured: true, host: `${config.host}:${config.port}`, from: config.from, problem: null }
  } catch (error) {
    return { configured: false, host: null, from: null, problem: (error as Error).message }
  }
}

/**
 * In-app notifications of the signed-in person (and of the rep their sign-in is bound to), and the
 * organization's email outbox with whether SMTP is configured (owners and admins).
 */
export async function notificationRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/notifications',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['notifications'],
        summary: 'Your in-app notifications, newest first (unread=true: only those not read yet)',
        querystring: z.object({
          unread: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                kind: z.string(),
                subject: z.string(),
                body: z.string(),
                data: z.unknown(),
                createdAt: z.string(),
                readAt: z.string().nullable(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => ({
        items: await listNotifications(tx, {
          orgId: principal.orgId,
          personId: principal.personId,
          repId: principal.repId,
          unread: request.query.unread === 'true',
          limit: request.query.limit,
        }),
      })),
  )

  app.post(
    '/notifications/:id/read',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of your notifications read',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      const marked = await orgTx(request, deps, (tx, principal) =>
        markNotificationRead(tx, {
          orgId: principal.orgId,
          personId: principal.personId,
          repId: principal.repId,
          id: request.params.id,
          now: deps.now(),
        }),
      )
      if (!marked)
        throw new DomainError('notification.not_found', `You have no notification ${request.params.id}.`)
      return { ok: true as const }
    },
  )

  app.get(
    '/outbox',
    {
      preHandler: requireRole('owner', 'admin'),
      schema: {
        tags: ['notifications'],
        summary:
          'The email outbox, newest first (unsent=true: what has not reached an SMTP server), and whether SMTP is configured',
        querystring: z.object({
          unsent: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            smtp: z.object({
              configured: z.boolean(),
              host: z.string().nullable(),
              from: z.string().nullable(),
              problem: z.string().nullable(),
            }),
            items: z.array(
              z.object({
                id: z.string(),
                kind: z.string(),
                to: z.string(),
                subject: z.string(),
                text: z.string(),
                status: z.enum(['queued', 'sending', 'sent', 'failed', 'outboxed']),
                attempts: z.number(),
                lastError: z.string().nullable(),
                createdAt: z.string(),
                sentAt: z.string().nullable(),
                nextAttemptAt: z.string().nullable(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => ({
        smtp: smtpStatus(),
        items: await listOutbox(tx, {
          orgId: principal.orgId,
          unsent: request.query.unsent === 'true',
          limit: request.query.limit,
        }),
      })),
  )
}
