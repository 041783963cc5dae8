import { type Command, Option } from 'commander'
import { listOutbox, type OutboxMessage } from '../../app/notify/outbox.ts'
import type { Posted } from '../../app/notify/post-notifications.ts'
import { runNotifications } from '../../app/notify/run-notifications.ts'
import { appSources } from '../../app/notify/sources.ts'
import { openMailer } from '../mail/open-mailer.ts'
import type { SmtpMailer } from '../mail/smtp-mailer.ts'
import type { Io } from './main.ts'
import { dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

export type OpenMailer = () => SmtpMailer | null

const posted = (p: Posted | null, none: string): string =>
  p === null
    ? none
    : `${p.notifications} ${p.notifications === 1 ? 'notification' : 'notifications'}, ${p.emails} ${p.emails === 1 ? 'email' : 'emails'}`

/** `followthrough notify run [--now ISO]`: one notification run (idempotent), then the outbox delivered. */
export async function notifyRunCommand(
  opts: DbOptions & { now?: string },
  io: Io,
  openDb: OpenDb,
  mailerOf: OpenMailer = () => openMailer(),
): Promise<number> {
  const now = opts.now === undefined ? new Date() : new Date(opts.now)
  if (Number.isNaN(now.getTime())) {
    io.stderr(`--now: "${opts.now}" is not an instant (e.g. 2026-02-04T09:00:00Z)\n`)
    return 2
  }
  return withDb(opts, io, openDb, async (db, orgId) => {
    const mailer = mailerOf()
    try {
      const run = await runNotifications(db, { orgId, now, mailer, sources: appSources })
      const d = run.delivered
      io.stdout(
        [
          `Due outcomes: ${posted(run.due, '')}`,
          `Overdue outcomes: ${posted(run.overdue, '')}`,
          `Pace warnings: ${posted(run.pace, 'no progress available')}`,
          `Weekly digest: ${posted(run.digest, 'not due yet this week')}`,
          mailer === null
            ? `Email: ${d.outboxed} kept in the outbox (no SMTP server configured; see followthrough outbox)`
            : `Email: ${d.sent} sent, ${d.failed} failed`,
        ].join('\n') + '\n',
      )
      if (d.failed > 0)
        io.stderr(
          `${d.failed} ${d.failed === 1 ? 'email' : 'emails'} could not be sent and will be retried by a later run (followthrough outbox --unsent).\n`,
        )
      return 0
    } finally {
      mailer?.close()
    }
  })
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))

function outboxTable(messages: readonly OutboxMessage[]): string {
  const rows = [
    ['created', 'status', 'tries', 'to', 'subject', 'error'],
    ...messages.map((m) => [
      m.createdAt.slice(0, 16).replace('T', ' '),
      m.status,
      String(m.attempts),
      m.to,
      m.subject,
      m.lastError === null
        ? ''
        : `${m.lastError.slice(0, 60)}${m.nextAttemptAt === null ? '' : ` (retry ${m.nextAttemptAt.slice(0, 16).replace('T', ' ')})`}`,
    ]),
  ]
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < 4 ? pad(cell, widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** `followthrough outbox [--unsent] [--show ID] [--format json]`: the email the app has kept and sent. */
export async function outboxCommand(
  opts: DbOptions & { unsent?: boolean; show?: string; format?: string },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    const messages = await listOutbox(db, { orgId, unsent: opts.unsent === true && opts.show === undefined })
    if (opts.show !== undefined) {
      const m = messages.find((x) => x.id === opts.show)
      if (m === undefined) {
        io.stderr(`There is no message ${opts.show} in the outbox.\n`)
        return 1
      }
      io.stdout(
        `To: ${m.to}\nSubject: ${m.subject}\nStatus: ${m.status} (${m.attempts} attempts)\n\n${m.text}`,
      )
      return 0
    }
    if (opts.format === 'json') {
      io.stdout(JSON.stringify(messages, null, 2) + '\n')
      return 0
    }
    if (messages.length === 0) {
      io.stdout(opts.unsent === true ? 'Nothing is waiting in the outbox.\n' : 'The outbox is empty.\n')
      return 0
    }
    io.stdout(outboxTable(messages) + '\n')
    io.stdout(
      `\n${messages.length} ${messages.length === 1 ? 'message' : 'messages'}; read one with --show ${messages[0]?.id ?? 'ID'}\n`,
    )
    return 0
  })
}

/** The `notify run` and `outbox` commands. */
export function addNotifyCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
  mailerOf?: OpenMailer,
): void {
  const notify = program
    .command('notify')
    .description('Notifications: in-app and email (SMTP or the local outbox)')
  dbOptions(
    notify
      .command('run')
      .description(
        'Tell owners of due and overdue outcomes, warn reps behind pace, send the weekly digest when due, and deliver email; safe to repeat',
      )
      .option('--now <instant>', 'the time of the run (default: now), e.g. 2026-02-04T09:00:00Z'),
  ).action(async (opts: DbOptions & { now?: string }) => {
    done(await notifyRunCommand(opts, io, openDb, mailerOf))
  })
  dbOptions(
    program
      .command('outbox')
      .description('The email the app kept (no SMTP configured) and sent, newest first')
      .option('--unsent', 'only what has not reached an SMTP server (kept, failed, waiting)')
      .option('--show <id>', 'print one message whole')
      .addOption(
        new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'),
      ),
  ).action(async (opts: DbOptions & { unsent?: boolean; show?: string; format?: string }) => {
    done(await outboxCommand(opts, io, openDb))
  })
}
