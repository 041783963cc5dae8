import { withOrgScope } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { newSecret, sha256Hex } from './secrets.ts'

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000
/** …and in any case this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000
/** last_seen_at is written at most this often (not on every request). */
const TOUCH_EVERY_MS = 60 * 1000

export interface SessionPerson {
  orgId: string
  personId: string
  role: string
  repId: string | null
}

/** The last_seen_at writes in flight, by session id. */
const touching = new Map<string, Promise<unknown>>()

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)))

/** Starts a session; returns the cookie's secret (only its SHA-256 is stored). */
export async function createSession(
  db: Database,
  args: { orgId: string; personId: string; now: Date; ip?: string; userAgent?: string },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret()
  const expiresAt = new Date(args.now.getTime() + SESSION_ABSOLUTE_MS)
  await withOrgScope(db, args.orgId, (tx) =>
    tx.query(
      `insert into sessions (org_id, id, person_id, created_at, last_seen_at, expires_at, ip, user_agent)
       values ($1, $2, $3, $4, $4, $5, $6, $7)`,
      [
        args.orgId,
        sha256Hex(token),
        args.personId,
        args.now.toISOString(),
        expiresAt.toISOString(),
        args.ip ?? '',
        (args.userAgent ?? '').slice(0, 300),
      ],
    ),
  )
  return { token, expiresAt }
}

/**
 * The person of a session cookie, or why there is none: unknown, revoked, idle too long or past its
 * absolute end. A live session's last_seen_at moves forward.
 */
export async function resolveSession(
  db: Database,
  token: string,
  now: Date,
): Promise<{ ok: true; person: SessionPerson } | { ok: false; reason: 'unknown' | 'expired' }> {
  const id = sha256Hex(token)
  const [row] = await db.query<{
    org_id: string
    person_id: string
    role: string
    rep_id: string | null
    last_seen_at: unknown
    expires_at: unknown
    revoked_at: unknown
    disabled: boolean
  }>('select * from auth_session($1)', [id])
  if (row === undefined || row.revoked_at !== null || row.disabled) return { ok: false, reason: 'unknown' }
  const lastSeen = toDate(row.last_seen_at).getTime()
  if (now.getTime() >= toDate(row.expires_at).getTime() || now.getTime() - lastSeen >= SESSION_IDLE_MS) {
    return { ok: false, reason: 'expired' }
  }
  if (now.getTime() - lastSeen >= TOUCH_EVERY_MS) {
    // Requests of one session in flight together share one write; and a write that waited on
    // another's lock finds the row touched already and writes nothing (docs/adr/0011).
    let touch = touching.get(id)
    if (touch === undefined) {
      touch = withOrgScope(db, row.org_id, (tx) =>
        tx.query(
          'update sessions set last_seen_at = $3 where org_id = $1 and id = $2 and last_seen_at <= $4',
          [row.org_id, id, now.toISOString(), new Date(now.getTime() - TOUCH_EVERY_MS).toISOString()],
        ),
      ).finally(() => touching.delete(id))
      touching.set(id, touch)
    }
    await touch
  }
  return {
    ok: true,
    person: { orgId: row.org_id, personId: row.person_id, role: row.role, repId: row.rep_id },
  }
}

/** Ends one session (sign-out). */
export async function revokeSession(tx: Queryable, orgId: string, token: string, now: Date): Promise<void> {
  await tx.query('update sessions set revoked_at = $3 where org_id = $1 and id = $2 and revoked_at is null', [
    orgId,
    sha256Hex(token),
    now.toISOString(),
  ])
}

/** Ends every session of a person (sign-out everywhere, a password change); returns how many. */
export async function revokeAllSessions(
  tx: Queryable,
  orgId: string,
  personId: string,
  now: Date,
): Promise<number> {
  const rows = await tx.query(
    `update sessions set revoked_at = $3 where org_id = $1 and person_id = $2 and revoked_at is null returning id`,
    [orgId, personId, now.toISOString()],
  )
  return rows.length
}
