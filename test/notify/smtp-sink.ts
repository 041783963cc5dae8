import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** A message the loopback server accepted: envelope recipients, decoded Subject, the raw text. */
export interface Received {
  readonly from: string
  readonly to: readonly string[]
  readonly subject: string
  /** The text/plain part, decoded (quoted-printable or base64). */
  readonly text: string
  readonly raw: string
}

export interface SmtpSink {
  readonly port: number
  readonly received: Received[]
  /** Messages refused (while `failing`). */
  refused: number
  /** While true, every message is refused with a temporary error (451). */
  failing: boolean
  close(): Promise<void>
}

/** Decodes RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=) of an unfolded header value. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    )
}

function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded.split(/\r?\n/).find((l) => /^subject:/i.test(l)) ?? ''
  return decodeWords(line.replace(/^subject:\s*/i, ''))
}

/** The first text/plain part of a MIME message, its transfer encoding undone. */
function textOf(raw: string): string {
  const m = /Content-Type: text\/plain[^\n]*\r?\n((?:[^\r\n]+\r?\n)*)\r?\n([\s\S]*?)(?:\r?\n--|$)/i.exec(raw)
  if (m === null) return ''
  const headers = m[1] ?? ''
  const body = m[2] ?? ''
  if (/Content-Transfer-Encoding:\s*base64/i.test(headers))
    return Buffer.from(body, 'base64').toString('utf8')
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8')
  return body
}

/** A real SMTP server on 127.0.0.1, on a free port, without TLS or authentication. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sink = {
    port: 0,
    received: [] as Received[],
    refused: 0,
    failing: false,
    close: async () => {},
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (sink.failing) {
          sink.refused++
          const error = Object.assign(new Error('Try again later'), { responseCode: 451 })
          callback(error)
          return
        }
        const raw = Buffer.concat(chunks).toString('utf8')
        const mailFrom = session.envelope.mailFrom
        sink.received.push({
          from: mailFrom === false ? '' : mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: subjectOf(raw),
          text: textOf(raw),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  sink.port = (server.server.address() as AddressInfo).port
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return sink
}
