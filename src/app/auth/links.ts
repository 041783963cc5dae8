import { DomainError } from '../../core/domain-error.ts'
import { withOrgScope } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { recordAudit } from './audit.ts'
import { checkPasswordStrength, hashPassword } from './passwords.ts'
import { insertPerson, type PersonRole } from './people.ts'
import { newSecret, sha256Hex } from './secrets.ts'
import { revokeAllSessions } from './sessions.ts'

/** A password reset link works once, within this time… */
export const RESET_TTL_MS = 60 * 60 * 1000
/** …an invitation within a week. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000

interface LinkRow {
  org_id: string
  kind: 'reset' | 'invite'
  email: string
  person_id: string | null
  role: PersonRole | null
  rep_id: string | null
  name: string
  expires_at: unknown
  used_at: unknown
}

async function insertLink(
  tx: Queryable,
  link: {
    orgId: string
    kind: 'reset' | 'invite'
    email: string
    personId?: string
    role?: PersonRole
    repId?: string | null
    name?: string
    by: string
    now: Date
    ttlMs: number
  },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret()
  const expiresAt = new Date(link.now.getTime() + link.ttlMs)
  await tx.query(
    `insert into auth_links (org_id, token_hash, kind, email, person_id, role, rep_id, name, created_by, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      link.orgId,
      sha256Hex(token),
      link.kind,
      link.email,
      link.personId ?? null,
      link.role ?? null,
      link.repId ?? null,
      link.name ?? '',
      link.by,
      link.now.toISOString(),
      expiresAt.toISOString(),
    ],
  )
  return { token, expiresAt }
}

/** Uses a link once: refused when unknown, used already or expired; fn runs in the same transaction. */
async function consumeLink<T>(
  db: Database,
  token: string,
  kind: 'reset' | 'invite',
  now: Date,
  fn: (tx: Queryable, link: LinkRow) => Promise<T>,
): Promise<T> {
  const hash = sha256Hex(token)
  const [found] = await db.query<{ org: string | null }>('select auth_link_org($1) as org', [hash])
  if (found?.org == null) throw new DomainError('auth.bad_link', 'This link is not valid.')
  return withOrgScope(db, found.org, async (tx) => {
    const [link] = await tx.query<LinkRow>(
      'select * from auth_links where org_id = $1 and token_hash = $2 for update',
      [found.org, hash],
    )
    if (link === undefined || link.kind !== kind)
      throw new DomainError('auth.bad_link', 'This link is not valid.')
    if (link.used_at !== null) throw new DomainError('auth.link_used', 'This link was used already.')
    const expiresAt = link.expires_at instanceof Date ? link.expires_at : new Date(String(link.expires_at))
    if (now.getTime() >= expiresAt.getTime())
      throw new DomainError('auth.link_expired', 'This link has expired.')
    await tx.query('update auth_links set used_at = $3 where org_id = $1 and token_hash = $2', [
      found.org,
      hash,
      now.toISOString(),
    ])
    return fn(tx, link)
  })
}

/**
 * A password reset link for every login of the email (one per organization); none for an unknown
 * email, which the caller must not reveal.
 */
export async function requestPasswordReset(
  db: Database,
  args: { email: string; now: Date },
): Promise<{ orgId: string; email: string; token: string; expiresAt: Date }[]> {
  const people = await db.query<{ org_id: string; id: string; disabled: boolean }>(
    'select org_id, id, disabled from auth_people_by_email($1)',
    [args.email.trim()],
  )
  const links = []
  for (const person of people.filter((p) => !p.disabled)) {
    const link = await withOrgScope(db, person.org_id, (tx) =>
      insertLink(tx, {
        orgId: person.org_id,
        kind: 'reset',
        email: args.email.trim(),
        personId: person.id,
        by: person.id,
        now: args.now,
        ttlMs: RESET_TTL_MS,
      }),
    )
    links.push({ orgId: person.org_id, email: args.email.trim(), ...link })
  }
  return links
}

/** Sets a new password through a reset link (once) and ends every session of the person. */
export async function confirmPasswordReset(
  db: Database,
  args: { token: string; password: string; now: Date },
): Promise<{ orgId: string; personId: string }> {
  checkPasswordStrength(args.password)
  const hash = await hashPassword(args.password)
  return consumeLink(db, args.token, 'reset', args.now, async (tx, link) => {
    const personId = link.person_id ?? ''
    await tx.query('update people set password_hash = $3 where org_id = $1 and id = $2', [
      link.org_id,
      personId,
      hash,
    ])
    await revokeAllSessions(tx, link.org_id, personId, args.now)
    await recordAudit(tx, {
      orgId: link.org_id,
      actor: personId,
      action: 'password.reset',
      subject: `person:${personId}`,
      at: args.now,
    })
    return { orgId: link.org_id, personId }
  })
}

/** Invites someone to sign in with a role (and, for a manager or rep, the rep they are). */
export async function createInvitation(
  tx: Queryable,
  args: {
    orgId: string
    email: string
    name: string
    role: PersonRole
    repId: string | null
    by: string
    now: Date
  },
): Promise<{ token: string; expiresAt: Date }> {
  const email = args.email.trim()
  const [taken] = await tx.query('select 1 from people where org_id = $1 and lower(email) = lower($2)', [
    args.orgId,
    email,
  ])
  if (taken !== undefined)
    throw new DomainError('auth.email_taken', `${email} already has a login.`, { email })
  if ((args.role === 'manager' || args.role === 'rep') && args.repId === null) {
    throw new DomainError('auth.rep_required', `A ${args.role} login is bound to a rep: give repId.`)
  }
  if (args.repId !== null) {
    const [rep] = await tx.query('select 1 from reps where org_id = $1 and id = $2', [args.orgId, args.repId])
    if (rep === undefined)
      throw new DomainError('rep.not_found', `There is no rep "${args.repId}".`, { repId: args.repId })
  }
  const link = await insertLink(tx, { ...args, email, kind: 'invite', ttlMs: INVITE_TTL_MS })
  await recordAudit(tx, {
    orgId: args.orgId,
    actor: args.by,
    action: 'invitation.create',
    subject: `email:${email}`,
    after: { email, role: args.role, repId: args.repId },
    at: args.now,
  })
  return link
}

/** Accepts an invitation (once): the person is created with the invited role and the password. */
export async function acceptInvitation(
  db: Database,
  args: { token: string; password: string; name?: string; now: Date },
): Promise<{ orgId: string; personId: string }> {
  checkPasswordStrength(args.password)
  return consumeLink(db, args.token, 'invite', args.now, async (tx, link) => {
    const { personId } = await insertPerson(tx, {
      orgId: link.org_id,
      email: link.email,
      name: args.name ?? link.name,
      role: link.role ?? 'rep',
      repId: link.rep_id,
      password: args.password,
      now: args.now,
    })
    await recordAudit(tx, {
      orgId: link.org_id,
      actor: personId,
      action: 'invitation.accept',
      subject: `person:${personId}`,
      after: { email: link.email, role: link.role, repId: link.rep_id },
      at: args.now,
    })
    return { orgId: link.org_id, personId }
  })
}

/** An invitation not yet accepted; `id` is the SHA-256 of its secret (the secret itself is not kept). */
export interface PendingInvitation {
  id: string
  email: string
  name: string
  role: PersonRole
  repId: string | null
  createdBy: string
  createdAt: Date
  expiresAt: Date
}

const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)))

/** The invitations still open (neither accepted nor expired nor revoked), newest first. */
export async function listPendingInvitations(
  tx: Queryable,
  orgId: string,
  now: Date,
): Promise<PendingInvitation[]> {
  const rows = await tx.query<{
    token_hash: string
    email: string
    name: string
    role: PersonRole
    rep_id: string | null
    created_by: string
    created_at: unknown
    expires_at: unknown
  }>(
    `select * from auth_links where org_id = $1 and kind = 'invite' and used_at is null and expires_at > $2
      order by created_at desc, token_hash`,
    [orgId, now.toISOString()],
  )
  return rows.map((r) => ({
    id: r.token_hash,
    email: r.email,
    name: r.name,
    role: r.role,
    repId: r.rep_id,
    createdBy: r.created_by,
    createdAt: asDate(r.created_at),
    expiresAt: asDate(r.expires_at),
  }))
}

/** Withdraws an open invitation: its link stops working (as if used). */
export async function revokeInvitation(
  tx: Queryable,
  args: { orgId: string; id: string; by: string; now: Date },
): Promise<void> {
  const rows = await tx.query<{ email: string }>(
    `update auth_links set used_at = $3 where org_id = $1 and token_hash = $2 and kind = 'invite' and used_at is null
     returning email`,
    [args.orgId, args.id, args.now.toISOString()],
  )
  const revoked = rows[0]
  if (revoked === undefined)
    throw new DomainError('invitation.not_found', 'There is no open invitation with this id.')
  await recordAudit(tx, {
    orgId: args.orgId,
    actor: args.by,
    action: 'invitation.revoke',
    subject: `email:${revoked.email}`,
    at: args.now,
  })
}
