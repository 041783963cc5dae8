import type { Mailer } from '../ports/mailer.ts'
import type { Queryable } from '../ports/sql.ts'

/** Attempts before a message is given up (it stays 'failed', shown by `followthrough outbox --unsent`). */
export const MAX_ATTEMPTS = 8
/** A claimed message whose sender died is taken over after this long (it may then arrive twice). */
export const CLAIM_TIMEOUT_MS = 10 * 60_000

/** Wait before attempt n + 1 after n failed attempts: 5 minutes, ×4 each time, at most 12 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(5 * 60_000 * 4 ** Math.max(0, attempts - 1), 12 * 3_600_000)
}

export interface Delivered {
  readonly sent: number
  readonly failed: number
  /** Kept in the outbox because no SMTP server is configured. */
  readonly outboxed: number
}

interface Claimed {
  id: string
  recipient: string
  subject: string
  text_body: string
  html_body: string | null
  attempts: number
}

/**
 * Sends what the outbox holds for sending: queued messages, failed ones whose retry time has come,
 * and claimed ones whose sender died. Each is claimed first (status 'sending', one more attempt),
 * so two senders never take the same message; then 'sent' with the server's id, or 'failed' with
 * the error and the next attempt's time. Without a mailer, queued and due messages become
 * 'outboxed': kept for people to read in the app or with `followthrough outbox`.
 */
export async function deliverOutbox(
  db: Queryable,
  args: { orgId: string; now: Date; mailer: Mailer | null },
): Promise<Delivered> {
  const at = args.now.toISOString()
  const due = `org_id = $1 and (status = 'queued'
      or (status = 'failed' and next_attempt_at is not null and next_attempt_at <= $2)
      or (status = 'sending' and claimed_at <= $3))`
  const stale = new Date(args.now.getTime() - CLAIM_TIMEOUT_MS).toISOString()
  if (args.mailer === null) {
    const rows = await db.query(
      `update outbox set status = 'outboxed', next_attempt_at = null, claimed_at = null
        where ${due} returning id`,
      [args.orgId, at, stale],
    )
    return { sent: 0, failed: 0, outboxed: rows.length }
  }
  const claimed = await db.query<Claimed>(
    `update outbox set status = 'sending', attempts = attempts + 1, claimed_at = $2
      where ${due}
      returning id, recipient, subject, text_body, html_body, attempts`,
    [args.orgId, at, stale],
  )
  let sent = 0
  let failed = 0
  for (const m of claimed.sort((a, b) => (a.id < b.id ? -1 : 1))) {
    try {
      const { id } = await args.mailer.send({
        to: m.recipient,
        subject: m.subject,
        text: m.text_body,
        ...(m.html_body === null ? {} : { html: m.html_body }),
      })
      await db.query(
        `update outbox set status = 'sent', message_id = $3, sent_at = $4, last_error = null,
                next_attempt_at = null, claimed_at = null
          where org_id = $1 and id = $2 and status = 'sending'`,
        [args.orgId, m.id, id, at],
      )
      sent++
    } catch (error) {
      const attempts = Number(m.attempts)
      const next =
        attempts >= MAX_ATTEMPTS ? null : new Date(args.now.getTime() + retryDelayMs(attempts)).toISOString()
      await db.query(
        `update outbox set status = 'failed', last_error = $3, next_attempt_at = $4, claimed_at = null
          where org_id = $1 and id = $2 and status = 'sending'`,
        [args.orgId, m.id, errorText(error), next],
      )
      failed++
    }
  }
  return { sent, failed, outboxed: 0 }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text
}
