import type { FastifyBaseLogger } from 'fastify'
import { newId, sha256Hex } from '../../app/auth/secrets.ts'
import { withOrgScope } from '../../app/ports/org-scope.ts'
import type { MailMessage, ServerDeps } from './context.ts'

/**
 * The link people open, under the public address of the server: a page of the web app, which
 * routes with the URL's fragment (`/#/reset-password?token=…`), so the token never reaches a log.
 */
export function linkTo(deps: ServerDeps, path: string, token: string): string {
  const base = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')
  return `${base}/#${path}?token=${encodeURIComponent(token)}`
}

/**
 * Sends a sign-in message: through deps.sendMail when given, else queued in the organization's
 * outbox (migration 0007), which the mail sender delivers. The log never holds the link.
 */
export async function deliver(
  deps: ServerDeps,
  log: FastifyBaseLogger,
  orgId: string,
  kind: 'auth.reset' | 'auth.invite',
  message: MailMessage,
  now: Date,
): Promise<'sent' | 'queued'> {
  if (deps.sendMail !== undefined) {
    await deps.sendMail(message)
    log.info({ kind, orgId }, 'sign-in mail sent')
    return 'sent'
  }
  await withOrgScope(deps.db, orgId, (tx) =>
    tx.query(
      `insert into outbox (org_id, id, dedupe_key, kind, recipient, subject, text_body, status, created_at, next_attempt_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $8)`,
      [
        orgId,
        newId(),
        `${kind}:${sha256Hex(message.text)}`,
        kind,
        message.to,
        message.subject,
        message.text,
        now.toISOString(),
      ],
    ),
  )
  log.info({ kind, orgId }, 'sign-in mail queued in the outbox')
  return 'queued'
}
