import { smtpConfigFromEnv } from './mail-config.ts'
import { createSmtpMailer, type SmtpMailer } from './smtp-mailer.ts'

/** The SMTP mailer the environment configures, or null (email then stays in the outbox). */
export function openMailer(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SmtpMailer | null {
  const config = smtpConfigFromEnv(env)
  return config === null ? null : createSmtpMailer(config)
}
