import { createHmac, timingSafeEqual } from 'node:crypto'
import { DomainError } from '../../core/domain-error.ts'

/** How far a delivery's timestamp may be from the server's clock, either way. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000

/** The signature header's value for a body: `sha256=` and the HMAC-SHA256 (hex) of `timestamp.body`. */
export function signWebhook(secret: string, timestamp: string, rawBody: Uint8Array | string): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody)
  return `sha256=${hmac.digest('hex')}`
}

export interface SignedRequest {
  /** Unix seconds, as sent in x-followthrough-timestamp. */
  readonly timestamp: string | undefined
  /** `sha256=<hex>`, as sent in x-followthrough-signature. */
  readonly signature: string | undefined
  readonly rawBody: Uint8Array
}

/**
 * Accepts a delivery signed with any of `secrets` (the current one and, after a rotation, the
 * previous one for a while) whose timestamp is within the replay window of `now`; otherwise throws
 * `webhook.unsigned`, `webhook.bad_signature` or `webhook.stale`. Signatures are compared in
 * constant time.
 */
export function verifySignature(req: SignedRequest, secrets: readonly string[], now: Date): void {
  if (req.timestamp === undefined || req.signature === undefined) {
    throw new DomainError(
      'webhook.unsigned',
      'A delivery needs the x-followthrough-timestamp and x-followthrough-signature headers.',
    )
  }
  if (!/^\d{1,12}$/.test(req.timestamp)) {
    throw new DomainError('webhook.stale', 'x-followthrough-timestamp must be Unix seconds.')
  }
  const skewMs = Math.abs(now.getTime() - Number(req.timestamp) * 1000)
  if (skewMs > REPLAY_WINDOW_MS) {
    throw new DomainError(
      'webhook.stale',
      `The delivery's timestamp is ${Math.round(skewMs / 1000)} s from the server's clock; at most ${REPLAY_WINDOW_MS / 1000} s are accepted.`,
    )
  }
  const given = Buffer.from(req.signature, 'utf8')
  const ok = secrets.some((secret) => {
    const expected = Buffer.from(signWebhook(secret, req.timestamp ?? '', req.rawBody), 'utf8')
    return expected.length === given.length && timingSafeEqual(expected, given)
  })
  if (!ok) throw new DomainError('webhook.bad_signature', 'The signature does not match the body.')
}
