import type { Queryable } from '../ports/sql.ts'

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'outboxed'

/** One email of the outbox, as people read it. */
export interface OutboxMessage {
  readonly id: string
  readonly kind: string
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly status: OutboxStatus
  readonly attempts: number
  readonly lastError: string | null
  readonly createdAt: string
  readonly sentAt: string | null
  readonly nextAttemptAt: string | null
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString()

/** The outbox, newest first; `unsent`: only what has not reached an SMTP server (queued, sending, failed, outboxed). */
export async function listOutbox(
  db: Queryable,
  args: { orgId: string; unsent?: boolean; limit?: number },
): Promise<OutboxMessage[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select id, kind, recipient, subject, text_body, status, attempts, last_error, created_at, sent_at, next_attempt_at
       from outbox where org_id = $1 ${args.unsent === true ? "and status <> 'sent'" : ''}
      order by created_at desc, id limit $2`,
    [args.orgId, args.limit ?? 1000],
  )
  return rows.map((r) => ({
    id: String(r.id),
    kind: String(r.kind),
    to: String(r.recipient),
    subject: String(r.subject),
    text: String(r.text_body),
    status: String(r.status) as OutboxStatus,
    attempts: Number(r.attempts),
    lastError: r.last_error === null ? null : String(r.last_error),
    createdAt: iso(r.created_at) ?? '',
    sentAt: iso(r.sent_at),
    nextAttemptAt: iso(r.next_attempt_at),
  }))
}
