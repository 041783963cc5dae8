import { DomainError } from '../../core/domain-error.ts'

/** How to reach the SMTP server, read from the environment (see docs/notifications.md). */
export interface SmtpConfig {
  readonly host: string
  readonly port: number
  /** TLS from the first byte (port 465 usually); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean
  readonly user: string | null
  readonly password: string | null
  /** The sender, e.g. `Followthrough <followthrough@example.com>`. */
  readonly from: string
  /** Connection, greeting and socket time-outs. */
  readonly timeoutMs: number
}

export const DEFAULT_FROM = 'Followthrough <followthrough@localhost>'
const DEFAULT_TIMEOUT_MS = 15_000

type Env = Readonly<Record<string, string | undefined>>

const invalid = (variable: string, message: string): DomainError =>
  new DomainError('mail.config_invalid', `${variable}: ${message}`, { variable })

function flag(env: Env, name: string): boolean | null {
  const v = env[name]?.trim().toLowerCase()
  if (v === undefined || v === '') return null
  if (['1', 'true', 'yes', 'on'].includes(v)) return true
  if (['0', 'false', 'no', 'off'].includes(v)) return false
  throw invalid(name, `"${env[name]}" is not true or false.`)
}

function port(text: string, name: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw invalid(name, `"${text}" is not a port (1-65535).`)
  return n
}

const nonEmpty = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v)

/**
 * The SMTP settings of the environment: SMTP_URL (`smtp://user:password@host:587`, or `smtps://`
 * for TLS from the start), else SMTP_HOST with SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_SECURE;
 * MAIL_FROM the sender; SMTP_TIMEOUT_MS the time-outs. Null when neither SMTP_URL nor SMTP_HOST
 * is set: email then stays in the outbox. Refuses settings that cannot work (`mail.config_invalid`).
 */
export function smtpConfigFromEnv(env: Env = process.env): SmtpConfig | null {
  const from = nonEmpty(env.MAIL_FROM?.trim()) ?? DEFAULT_FROM
  const timeoutText = nonEmpty(env.SMTP_TIMEOUT_MS?.trim())
  const timeoutMs = timeoutText === null ? DEFAULT_TIMEOUT_MS : Number(timeoutText)
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw invalid('SMTP_TIMEOUT_MS', `"${timeoutText}" is not a number of milliseconds.`)
  const url = nonEmpty(env.SMTP_URL?.trim())
  if (url !== null) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw invalid('SMTP_URL', 'not a URL (smtp://user:password@host:587 or smtps://host:465).')
    }
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
      throw invalid('SMTP_URL', `the scheme must be smtp: or smtps:, not ${parsed.protocol}`)
    if (parsed.hostname === '') throw invalid('SMTP_URL', 'names no host.')
    const secure = flag(env, 'SMTP_SECURE') ?? parsed.protocol === 'smtps:'
    return {
      host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: parsed.port === '' ? (secure ? 465 : 587) : port(parsed.port, 'SMTP_URL'),
      secure,
      user: nonEmpty(decodeURIComponent(parsed.username)),
      password: nonEmpty(decodeURIComponent(parsed.password)),
      from,
      timeoutMs,
    }
  }
  const host = nonEmpty(env.SMTP_HOST?.trim())
  if (host === null) {
    for (const name of ['SMTP_PORT', 'SMTP_USER', 'SMTP_PASSWORD'])
      if (nonEmpty(env[name]) !== null) throw invalid(name, 'is set but SMTP_HOST (or SMTP_URL) is not.')
    return null
  }
  const secure = flag(env, 'SMTP_SECURE') ?? false
  const portText = nonEmpty(env.SMTP_PORT?.trim())
  const user = nonEmpty(env.SMTP_USER)
  const password = nonEmpty(env.SMTP_PASSWORD)
  if (password !== null && user === null) throw invalid('SMTP_PASSWORD', 'is set but SMTP_USER is not.')
  return {
    host,
    port: portText === null ? (secure ? 465 : 587) : port(portText, 'SMTP_PORT'),
    secure,
    user,
    password,
    from,
    timeoutMs,
  }
}
