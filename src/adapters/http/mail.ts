import type { FastifyBaseLogger } from 'fastify'
import type { MailMessage, ServerDeps } from './context.ts'

/** The link people open, under the public address of the server. */
export function linkTo(deps: ServerDeps, path: string, token: string): string {
  const base = (deps.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '')
  return `${base}${path}#token=${encodeURIComponent(token)}`
}

/** Sends a message through deps.sendMail; false when no mail is configured (logged, never the link). */
export async function deliver(
  deps: ServerDeps,
  log: FastifyBaseLogger,
  message: MailMessage,
): Promise<boolean> {
  if (deps.sendMail === undefined) {
    log.warn({ subject: message.subject }, 'no mail configured: the message was not sent')
    return false
  }
  await deps.sendMail(message)
  return true
}
