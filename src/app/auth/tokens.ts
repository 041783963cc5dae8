import { DomainError } from '../../core/domain-error.ts'
import { withOrgScope } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { recordAudit } from './audit.ts'
import { newId, newSecret, sha256Hex } from './secrets.ts'

/** What a token may do: read (GET), write (changes), webhooks (deliver deals and activities). */
export const TOKEN_SCOPES = ['read', 'write', 'webhooks'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/** An API token as listed: never its secret. */
export interface ApiTokenListing {
  id: string
  name: string
  personId: string
  scopes: string[]
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString()
      : new Date(String(value)).toISOString()

/** Creates a token acting as the person within its scopes; the secret is returned once, stored hashed. */
export async function createApiToken(
  tx: Queryable,
  args: { orgId: string; personId: string; name: string; scopes: readonly TokenScope[]; now: Date },
): Promise<{ id: string; token: string }> {
  const id = newId()
  const token = newSecret('ft_')
  await tx.query(
    `insert into api_tokens (org_id, id, person_id, name, token_hash, scopes, created_at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      args.orgId,
      id,
      args.personId,
      args.name,
      sha256Hex(token),
      JSON.stringify([...new Set(args.scopes)]),
      args.now.toISOString(),
    ],
  )
  await recordAudit(tx, {
    orgId: args.orgId,
    actor: args.personId,
    action: 'token.create',
    subject: `token:${id}`,
    after: { name: args.name, scopes: args.scopes },
    at: args.now,
  })
  return { id, token }
}

/** The organization's tokens, newest first. */
export async function listApiTokens(tx: Queryable, orgId: string): Promise<ApiTokenListing[]> {
  const rows = await tx.query<Record<string, unknown>>(
    'select * from api_tokens where org_id = $1 order by created_at desc, id',
    [orgId],
  )
  return rows.map((r) => ({
    id: String(r.id),
    name: String(r.name),
    personId: String(r.person_id),
    scopes: r.scopes as string[],
    createdAt: iso(r.created_at) ?? '',
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }))
}

/** Revokes a token for good. */
export async function revokeApiToken(
  tx: Queryable,
  args: { orgId: string; id: string; by: string; now: Date },
): Promise<void> {
  const rows = await tx.query(
    'update api_tokens set revoked_at = coalesce(revoked_at, $3) where org_id = $1 and id = $2 returning id',
    [args.orgId, args.id, args.now.toISOString()],
  )
  if (rows.length === 0) throw new DomainError('token.not_found', `There is no token "${args.id}".`)
  await recordAudit(tx, {
    orgId: args.orgId,
    actor: args.by,
    action: 'token.revoke',
    subject: `token:${args.id}`,
    at: args.now,
  })
}

/** The person behind a token secret, or null when it is unknown, revoked or its person disabled. */
export async function resolveApiToken(
  db: Database,
  token: string,
): Promise<{
  orgId: string
  tokenId: string
  personId: string
  role: string
  repId: string | null
  scopes: string[]
} | null> {
  const [row] = await db.query<{
    org_id: string
    id: string
    person_id: string
    role: string
    rep_id: string | null
    scopes: string[]
    revoked_at: unknown
    disabled: boolean
  }>('select * from auth_api_token($1)', [sha256Hex(token)])
  if (row === undefined || row.revoked_at !== null || row.disabled) return null
  return {
    orgId: row.org_id,
    tokenId: row.id,
    personId: row.person_id,
    role: row.role,
    repId: row.rep_id,
    scopes: row.scopes,
  }
}

/** last_used_at is written at most this often per token and process, not on every request. */
const NOTE_USE_EVERY_MS = 60 * 1000
const lastNoted = new Map<string, number>()

/** Records that a token was used (at most once a minute per token in this process). */
export async function noteApiTokenUse(
  db: Database,
  orgId: string,
  tokenId: string,
  now: Date,
): Promise<void> {
  const last = lastNoted.get(tokenId)
  if (last !== undefined && now.getTime() - last < NOTE_USE_EVERY_MS) return
  lastNoted.set(tokenId, now.getTime())
  await withOrgScope(db, orgId, (tx) =>
    tx.query('update api_tokens set last_used_at = $3 where org_id = $1 and id = $2', [
      orgId,
      tokenId,
      now.toISOString(),
    ]),
  )
}
