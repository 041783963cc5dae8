import type { Queryable } from '../ports/sql.ts'

/** One entry of the audit log: who did what to which subject, with before and after. */
export interface AuditEntry {
  orgId: string
  actor: string
  action: string
  subject: string
  before?: unknown
  after?: unknown
  at: Date
}

/** Appends an entry to the audit log (in the caller's transaction). */
export async function recordAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query(
    'insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, $4, $5, $6, $7)',
    [
      entry.orgId,
      entry.at.toISOString(),
      entry.actor,
      entry.action,
      entry.subject,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
    ],
  )
}
