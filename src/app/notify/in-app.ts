import type { Queryable } from '../ports/sql.ts'

/** An in-app notification as the app shows it. */
export interface InAppNotification {
  readonly id: string
  readonly kind: string
  readonly subject: string
  readonly body: string
  readonly data: unknown
  readonly createdAt: string
  readonly readAt: string | null
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : (v instanceof Date ? v : new Date(String(v))).toISOString()

/**
 * The notifications of a person (and of the rep bound to their login), newest first;
 * `unread`: only those not read yet.
 */
export async function listNotifications(
  db: Queryable,
  args: { orgId: string; personId: string; repId: string | null; unread?: boolean; limit?: number },
): Promise<InAppNotification[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select id, kind, subject, body, data, created_at, read_at from notifications
      where org_id = $1 and (person_id = $2 or ($3::text is not null and rep_id = $3))
        ${args.unread === true ? 'and read_at is null' : ''}
      order by created_at desc, id limit $4`,
    [args.orgId, args.personId, args.repId, args.limit ?? 100],
  )
  return rows.map((r) => ({
    id: String(r.id),
    kind: String(r.kind),
    subject: String(r.subject),
    body: String(r.body),
    data: typeof r.data === 'string' ? (JSON.parse(r.data) as unknown) : r.data,
    createdAt: iso(r.created_at) ?? '',
    readAt: iso(r.read_at),
  }))
}

/** Marks a person's notification read (once; the first time is kept); false when it is not theirs. */
export async function markNotificationRead(
  db: Queryable,
  args: { orgId: string; personId: string; repId: string | null; id: string; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    `update notifications set read_at = coalesce(read_at, $5)
      where org_id = $1 and id = $4 and (person_id = $2 or ($3::text is not null and rep_id = $3)) returning id`,
    [args.orgId, args.personId, args.repId, args.id, args.now.toISOString()],
  )
  return rows.length > 0
}
