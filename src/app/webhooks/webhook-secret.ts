import { randomBytes } from 'node:crypto'
import type { Queryable } from '../ports/sql.ts'

/** How long the previous secret still verifies after a rotation, so senders can switch over. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000

export interface SecretChange {
  readonly secret: string
  /** False when the organization already had a secret and it was kept (no --rotate). */
  readonly created: boolean
  readonly rotated: boolean
}

/**
 * The organization's webhook secret: made when there is none; replaced by a new one when `rotate`
 * (the old one still verifies for ROTATION_GRACE_MS); otherwise the current one. Secrets are 32
 * random bytes in hex; they are stored as they are, since verifying an HMAC needs the key.
 */
export async function setWebhookSecret(
  tx: Queryable,
  args: { orgId: string; now: Date; rotate: boolean; actor: string },
): Promise<SecretChange> {
  const [current] = await tx.query<{ secret: string }>(
    'select secret from webhook_secrets where org_id = $1 for update',
    [args.orgId],
  )
  const fresh = randomBytes(32).toString('hex')
  const at = args.now.toISOString()
  if (current === undefined) {
    await tx.query('insert into webhook_secrets (org_id, secret, created_at) values ($1, $2, $3)', [
      args.orgId,
      fresh,
      at,
    ])
  } else if (args.rotate) {
    await tx.query(
      `update webhook_secrets set secret = $2, previous_secret = secret, previous_valid_until = $3, rotated_at = $4
        where org_id = $1`,
      [args.orgId, fresh, new Date(args.now.getTime() + ROTATION_GRACE_MS).toISOString(), at],
    )
  } else {
    return { secret: current.secret, created: false, rotated: false }
  }
  await tx.query(
    `insert into audit_log (org_id, at, actor, action, subject) values ($1, $2, $3, $4, 'webhook secret')`,
    [args.orgId, at, args.actor, current === undefined ? 'webhook.secret.create' : 'webhook.secret.rotate'],
  )
  return { secret: fresh, created: current === undefined, rotated: current !== undefined }
}

/** The secrets a delivery may be signed with now: the current one, and the previous within its grace. */
export async function activeWebhookSecrets(tx: Queryable, orgId: string, now: Date): Promise<string[]> {
  const [row] = await tx.query<{ secret: string; previous: string | null }>(
    `select secret, case when previous_valid_until > $2 then previous_secret end as previous
       from webhook_secrets where org_id = $1`,
    [orgId, now.toISOString()],
  )
  if (row === undefined) return []
  return row.previous === null ? [row.secret] : [row.secret, row.previous]
}
