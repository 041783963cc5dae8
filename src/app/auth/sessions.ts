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

/** A row of `auth_session` (migration 0005): the session and its person, whatever its state. */
export interface SessionRow {
  org_id: string
  person_id: string
  role: string
  rep_id: string | null
  last_seen_at: unknown
  expires_at: unknown
  revoked_at: unknown
  disabled: boolean
}

/** What a session cookie gives: its person, or why there is none. */
export type SessionResult = { ok: true; person: SessionPerson } | { ok: false; reason: 'unknown' | 'expired' }

/**
 * The person of a session cookie, or why there is none: unknown, revoked, idle too long or past its
 * absolute end. A live session's last_seen_at moves forward.
 */
export async function resolveSession(db: Database, token: string, now: Date): Promise<SessionResult> {
  const id = sha256Hex(token)
  return judgeSession(db, id, await sessionRowOf(db, id), now)
}

/** A session's row by its id (the cookie's SHA-256), whatever its state (`auth_session`). */
export async function sessionRowOf(db: Database, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.query<SessionRow>('select * from auth_session($1)', [id])
  return row
}

/**
 * The rules of a session's row, wherever it was read (`resolveSession`, or a read that brought the
 * row along with its own: `sessionReadSql`): no row, revoked or a disabled person is unknown; idle
 * too long or past its absolute end is expired; a live one has its last_seen_at moved forward (at
 * most once a minute, requests in flight sharing the write).
 */
export async function judgeSession(
  db: Database,
  id: string,
  row: SessionRow | undefined,
  now: Date,
): Promise<SessionResult> {
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

/** An instant as written into SQL text: only the shape `toISOString` gives. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * A session cookie's look-up as SQL text, for a read that brings the session's row along with its
 * own data in one statement (the progress route: docs/adr/0011-progress-under-load.md). Only
 * literals this function made go into the text: the cookie's SHA-256 (hex) and instants.
 * - `id`: the session's id (what `judgeSession` takes);
 * - `liveOrg`: a scalar subquery, the organization of the session when it is live at `now` (not
 *   revoked, its person not disabled, neither idle too long nor past its end), else null: the scope
 *   a read runs in, so that no other session's read sees any organization's rows;
 * - `row`: a select of the session's row as `auth_session` has it, read in that scope (row-level
 *   security applies): none when the session is not live (or unknown); `sessionRowOf` then reads
 *   it whatever its state, so that `judgeSession` can say why (the rare case: one more read).
 * A row read must still be judged by `judgeSession` (the rules, the touch).
 */
export function sessionReadSql(token: string, now: Date): { id: string; row: string; liveOrg: string } {
  const id = sha256Hex(token)
  const at = now.toISOString()
  const idleEdge = new Date(now.getTime() - SESSION_IDLE_MS).toISOString()
  if (!/^[0-9a-f]{64}$/.test(id) || !ISO_INSTANT.test(at) || !ISO_INSTANT.test(idleEdge))
    throw new Error('A session look-up takes a SHA-256 and instants as toISOString writes them.')
  const row = `select s.org_id, s.person_id, p.role, p.rep_id, s.created_at, s.last_seen_at, s.expires_at,
      s.revoked_at, p.disabled_at is not null as disabled
    from sessions s join people p on p.org_id = s.org_id and p.id = s.person_id
    where s.org_id = current_setting('app.org_id', true) and s.id = '${id}'`
  const liveOrg = `(select org_id from auth_session('${id}') where revoked_at is null and not disabled
    and expires_at > '${at}'::timestamptz and last_seen_at > '${idleEdge}'::timestamptz)`
  return { id, row, liveOrg }
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
