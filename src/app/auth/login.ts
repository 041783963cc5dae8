import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { verifyPassword } from './passwords.ts'
import { createSession, type SessionPerson } from './sessions.ts'

/** Failed sign-ins are counted over this window… */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000
/** …and refused past this many for one email (since its last success)… */
export const MAX_FAILURES_PER_EMAIL = 5
/** …or this many from one address. */
export const MAX_FAILURES_PER_IP = 30

const toMs = (value: unknown): number => (value instanceof Date ? value : new Date(String(value))).getTime()

/** Refuses with `auth.throttled` (429) when the email or the address failed too often lately. */
async function checkThrottle(db: Database, email: string, ip: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString()
  const [byEmail] = await db.query<{ n: number; oldest: unknown }>(
    `select count(*)::int as n, min(at) as oldest from login_attempts a
      where lower(a.email) = lower($1) and not a.ok and a.at > $2
        and a.at > coalesce((select max(at) from login_attempts s where lower(s.email) = lower($1) and s.ok), '-infinity')`,
    [email, since],
  )
  const [byIp] = await db.query<{ n: number; oldest: unknown }>(
    `select count(*)::int as n, min(at) as oldest from login_attempts where ip = $1 and not ok and at > $2`,
    [ip, since],
  )
  for (const [count, limit, what] of [
    [byEmail, MAX_FAILURES_PER_EMAIL, 'this email'],
    [byIp, MAX_FAILURES_PER_IP, 'this address'],
  ] as const) {
    if (count !== undefined && count.n >= limit) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((toMs(count.oldest) + THROTTLE_WINDOW_MS - now.getTime()) / 1000),
      )
      throw new DomainError(
        'auth.throttled',
        `Too many failed sign-ins for ${what}: try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
        { retryAfterSeconds },
      )
    }
  }
}

/**
 * Signs in with email and password: throttled per email and per address, every attempt recorded;
 * a wrong password and an unknown email get the same refusal. `orgId` chooses among organizations
 * where one email has several logins.
 */
export async function login(
  db: Database,
  args: { email: string; password: string; orgId?: string; ip: string; userAgent?: string; now: Date },
): Promise<{ token: string; expiresAt: Date; person: SessionPerson }> {
  const email = args.email.trim()
  await checkThrottle(db, email, args.ip, args.now)
  const candidates = (
    await db.query<{
      org_id: string
      id: string
      role: string
      rep_id: string | null
      password_hash: string | null
      disabled: boolean
    }>('select * from auth_people_by_email($1)', [email])
  ).filter((p) => !p.disabled && (args.orgId === undefined || p.org_id === args.orgId))
  let match: (typeof candidates)[number] | undefined
  if (candidates.length === 0) await verifyPassword(args.password, null)
  for (const candidate of candidates) {
    if (await verifyPassword(args.password, candidate.password_hash)) {
      match = candidate
      break
    }
  }
  await db.query('insert into login_attempts (org_id, at, email, ip, ok) values ($1, $2, $3, $4, $5)', [
    match?.org_id ?? (candidates.length === 1 ? candidates[0]?.org_id : null) ?? null,
    args.now.toISOString(),
    email,
    args.ip,
    match !== undefined,
  ])
  if (match === undefined)
    throw new DomainError('auth.bad_credentials', 'The email or the password is not right.')
  // Attempts older than the window count no more: a success prunes those of its email and address.
  const since = new Date(args.now.getTime() - THROTTLE_WINDOW_MS).toISOString()
  await db.query('delete from login_attempts where lower(email) = lower($1) and at < $2', [email, since])
  await db.query('delete from login_attempts where ip = $1 and at < $2', [args.ip, since])
  const session = await createSession(db, {
    orgId: match.org_id,
    personId: match.id,
    now: args.now,
    ip: args.ip,
    ...(args.userAgent === undefined ? {} : { userAgent: args.userAgent }),
  })
  return {
    ...session,
    person: { orgId: match.org_id, personId: match.id, role: match.role, repId: match.rep_id },
  }
}
