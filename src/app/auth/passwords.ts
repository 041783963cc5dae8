import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { DomainError } from '../../core/domain-error.ts'

/** scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds), a 32-byte key. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 }

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10

function derive(password: string, salt: Buffer, params: typeof PARAMS): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, params.keyLength, options, (error, key) => {
      if (error === null) resolve(key)
      else reject(error)
    })
  })
}

/** Refuses a password too short to keep. */
export function checkPasswordStrength(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new DomainError(
      'auth.weak_password',
      `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
      {
        minLength: MIN_PASSWORD_LENGTH,
      },
    )
  }
}

/** `scrypt$N$r$p$salt$key` (base64url): a per-user random salt, the parameters kept with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  )
}

/** Whether the password matches the stored hash, compared in constant time. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time as a real check, so that an unknown email is not told apart by timing.
    await derive(password, Buffer.alloc(16), PARAMS)
    return false
  }
  const [, n, r, p, salt, key] = parts as [string, string, string, string, string, string]
  const expected = Buffer.from(key, 'base64url')
  const params = { N: Number(n), r: Number(r), p: Number(p), keyLength: expected.length }
  const actual = await derive(password, Buffer.from(salt, 'base64url'), params)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
