import { createHash, randomBytes, randomUUID } from 'node:crypto'

/** A new secret for a session, token or link: 32 random bytes, base64url (43 characters). */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

/** A new id for a stored row. */
export function newId(): string {
  return randomUUID()
}

/** The SHA-256 of a secret, hex: what the database keeps instead of the secret. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
