import nodemailer from 'nodemailer'
import type { Mailer, MailMessage } from '../../app/ports/mailer.ts'
import type { SmtpConfig } from './mail-config.ts'

/** A Mailer over SMTP (nodemailer) that keeps its connection for the next message; close() ends it. */
export interface SmtpMailer extends Mailer {
  close(): void
}

/** Sends through the SMTP server of `config`; rejects with the server's or the network's error. */
export function createSmtpMailer(config: SmtpConfig): SmtpMailer {
  const transport = nodemailer.createTransport({
    // One pooled connection, reused message after message (a new connection costs ~0.1 s each).
    pool: true,
    maxConnections: 1,
    host: config.host,
    port: config.port,
    secure: config.secure,
    ...(config.user === null ? {} : { auth: { user: config.user, pass: config.password ?? '' } }),
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
  })
  return {
    async send(message: MailMessage): Promise<{ id: string }> {
      const info = await transport.sendMail({
        from: config.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
      })
      const rejected = info.rejected.map(String)
      if (rejected.length > 0) throw new Error(`The server refused ${rejected.join(', ')}: ${info.response}`)
      return { id: info.messageId }
    },
    close: () => transport.close(),
  }
}
