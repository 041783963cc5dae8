import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../../src/adapters/cli/main.ts'
import { addNotifyCommands } from '../../src/adapters/cli/notify-command.ts'
import { openMailer } from '../../src/adapters/mail/open-mailer.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { seedNotifyOrg } from './fixture.ts'
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts'

let db: Database
let sink: SmtpSink

beforeAll(async () => {
  db = await testDatabase()
  sink = await startSmtpSink()
  await seedNotifyOrg(db, 'acme')
  await seedNotifyOrg(db, 'quiet')
})

afterAll(async () => {
  await sink.close()
  await db.close()
})

async function run(env: Record<string, string>, ...argv: string[]) {
  const out = { stdout: '', stderr: '', status: -1 }
  const io: Io = {
    stdout: (s) => void (out.stdout += s),
    stderr: (s) => void (out.stderr += s),
    isTTY: false,
  }
  const openDb = async (): Promise<Database> => ({ ...db, close: async () => undefined })
  const program = new Command().exitOverride()
  addNotifyCommands(
    program,
    io,
    openDb,
    (s) => (out.status = s),
    () => openMailer(env),
  )
  await program.parseAsync(argv, { from: 'user' })
  return out
}

describe('followthrough notify run', () => {
  it('sends through the SMTP server of SMTP_URL, and nothing more when run again', async () => {
    const env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'ft@acme.test' }

    const first = await run(env, 'notify', 'run', '--org', 'acme', '--now', '2026-02-04T09:00:00Z')
    const again = await run(env, 'notify', 'run', '--org', 'acme', '--now', '2026-02-04T09:30:00Z')

    expect(first.status).toBe(0)
    expect(first.stdout).toBe(
      [
        'Due outcomes: 3 notifications, 3 emails',
        'Overdue outcomes: 3 notifications, 3 emails',
        'Pace warnings: 0 notifications, 0 emails',
        'Weekly digest: 1 notification, 1 email',
        'Email: 7 sent, 0 failed',
        '',
      ].join('\n'),
    )
    expect(again.stdout).toContain('Email: 0 sent, 0 failed')
    expect(sink.received).toHaveLength(7)
  })

  it('marks outcomes overdue once their due date has passed, and tells of them grouped per person', async () => {
    const env = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) }
    const before = sink.received.length

    // Tuesday Feb 10: o-warn (Maria's) and o-coach (nobody's) were due on Feb 7
    const out = await run(env, 'notify', 'run', '--org', 'acme', '--now', '2026-02-10T09:00:00Z')

    expect(out.stdout).toContain('Overdue outcomes: 5 notifications, 3 emails')
    const states = await db.query<{ id: string; state: string }>(
      `select id, state from outcomes where org_id = 'acme' order by id`,
    )
    expect(states).toEqual([
      { id: 'o-coach', state: 'overdue' },
      { id: 'o-pto', state: 'overdue' },
      { id: 'o-warn', state: 'overdue' },
    ])
    expect(
      sink.received
        .slice(before)
        .map((m) => `${m.to.join(',')} | ${m.subject}`)
        .sort(),
    ).toEqual(
      [
        'adam@acme.test | 2 follow-through items are overdue',
        'olga@acme.test | 2 follow-through items are overdue',
        'maria@people.acme.test | Overdue: a formal warning: “Below half of the MRR goal” for Rob Rep (2026-01)',
        'maria@people.acme.test | Weekly digest 2026-02-09: 2 reps, 0 due, 2 overdue',
      ].sort(),
    )
  })

  it('keeps email in the outbox without SMTP settings, and shows it', async () => {
    const out = await run({}, 'notify', 'run', '--org', 'quiet', '--now', '2026-02-04T09:00:00Z')
    expect(out.stdout).toContain(
      'Email: 7 kept in the outbox (no SMTP server configured; see followthrough outbox)',
    )

    const list = await run({}, 'outbox', '--org', 'quiet', '--unsent')
    expect(list.status).toBe(0)
    const lines = list.stdout.split('\n')
    expect(lines[0]).toMatch(/^created\s+status\s+tries\s+to\s+subject/)
    expect(lines.filter((l) => /\boutboxed\b/.test(l))).toHaveLength(7)
    expect(list.stdout).toContain('olga@quiet.test')

    const json = await run({}, 'outbox', '--org', 'quiet', '--format', 'json')
    const [first] = JSON.parse(json.stdout) as { id: string }[]
    const shown = await run({}, 'outbox', '--org', 'quiet', '--show', first?.id ?? '')
    expect(shown.stdout).toMatch(/^To: .+\nSubject: .+\nStatus: outboxed \(0 attempts\)\n\n/)
  })

  it('refuses SMTP settings that cannot work, and a bad --now', async () => {
    const bad = await run({ SMTP_HOST: '127.0.0.1', SMTP_PORT: 'seventy' }, 'notify', 'run', '--org', 'acme')
    expect([bad.status, bad.stderr]).toEqual([1, 'SMTP_PORT: "seventy" is not a port (1-65535).\n'])
    const when = await run({}, 'notify', 'run', '--org', 'acme', '--now', 'tuesday')
    expect(when.status).toBe(2)
  })
})
