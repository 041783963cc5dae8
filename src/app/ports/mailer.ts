/** One email: one recipient, a plain-text body and an optional HTML body. */
export interface MailMessage {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html?: string
}

/**
 * The port through which use cases send email (implemented over SMTP in src/adapters/mail). `send`
 * resolves with the server's message id once the server accepted the message, and rejects when it
 * did not (connection refused, authentication, a rejected recipient, a time-out).
 */
export interface Mailer {
  send(message: MailMessage): Promise<{ id: string }>
}
