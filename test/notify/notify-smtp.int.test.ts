import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smtpConfigFromEnv } from '../../src/adapters/mail/mail-config.ts'
import { createSmtpMailer, type SmtpMailer } from '../../src/adapters/mail/smtp-mailer.ts'
import { listNotifications } from '../../src/app/notify/in-app.ts'
import { listOutbox } from '../../src/app/notify/outbox.ts'
import { runNotifications } from '../../src/app/notify/run-notifications.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { seedNotifyOrg } from './fixture.ts'
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts'

let db: Database
let sink: SmtpSink
let mailer: SmtpMailer

beforeAll(async () => {
  db = await testDatabase()
  sink = await startSmtpSink()
  const config = smtpConfigFromEnv({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    MAIL_FROM: 'Followthrough <ft@acme.test>',
  })
  if (config === null) throw new Error('SMTP_HOST is set: a configuration was expected')
  mailer = createSmtpMailer(config)
})

afterAll(async () => {
  mailer.close()
  await sink.close()
  await db.close()
})

const WEDNESDAY = new Date('2026-02-04T09:00:00Z')
const NEXT_MONDAY = new Date('2026-02-09T07:00:00Z')

const pairs = (from: number) =>
  sink.received
    .slice(from)
    .map((m) => `${m.to.join(',')} | ${m.subject}`)
    .sort()

describe('runNotifications over SMTP', () => {
  it('delivers due, overdue and digest emails to the right people at the loopback server', async () => {
    // Given the organization of the fixture and a real SMTP server
    await seedNotifyOrg(db, 'acme')

    // When a run happens on Wednesday Feb 4
    const run = await runNotifications(db, { orgId: 'acme', now: WEDNESDAY, mailer })

    // Then Maria (the owner of o-warn and o-pto) gets the due, overdue and digest mails at her
    // login's address; the owner and admin get the unowned coaching plan and the overdue PTO;
    // finance gets nothing.
    const warn = 'Due by Feb 7, 2026: a formal warning: “Below half of the MRR goal” for Rob Rep (2026-01)'
    const coach = 'Due by Feb 7, 2026: a coaching plan (Discovery) for Rae Rep (2026-01)'
    const pto = 'Overdue: 2 days of paid time off for Rae Rep (2026-01)'
    expect(pairs(0)).toEqual(
      [
        `maria@people.acme.test | ${warn}`,
        `maria@people.acme.test | ${pto}`,
        'maria@people.acme.test | Weekly digest 2026-02-02: 2 reps, 1 due, 1 overdue',
        `olga@acme.test | ${coach}`,
        `olga@acme.test | ${pto}`,
        `adam@acme.test | ${coach}`,
        `adam@acme.test | ${pto}`,
      ].sort(),
    )
    expect(sink.received.every((m) => m.from === 'ft@acme.test')).toBe(true)
    expect(run.delivered).toEqual({ sent: 7, failed: 0, outboxed: 0 })
    expect(run.due).toEqual({ notifications: 3, emails: 3 })
    expect(run.overdue).toEqual({ notifications: 3, emails: 3 })
    expect(run.digest).toEqual({ notifications: 1, emails: 1 })

    // And each mail has a text and an HTML part; the digest names what Maria owns
    const digest = sink.received.find((m) => m.subject.startsWith('Weekly digest'))
    expect(digest?.raw).toMatch(/Content-Type: text\/plain/i)
    expect(digest?.raw).toMatch(/Content-Type: text\/html/i)
    expect(digest?.text).toContain(
      '- Rob Rep: a formal warning: “Below half of the MRR goal” (2026-01, rule low_mrr, due Feb 7, 2026)',
    )
    expect(digest?.text).toContain('- Rae Rep: 2 days of paid time off (2026-01, rule top, due Feb 7, 2026)')

    // And the outbox records each as sent with the server's message id
    const outbox = await listOutbox(db, { orgId: 'acme' })
    expect(outbox.map((m) => m.status)).toEqual(Array(7).fill('sent'))
    expect(outbox.every((m) => m.attempts === 1)).toBe(true)

    // And Maria's in-app notifications are there, unread
    const inApp = await listNotifications(db, { orgId: 'acme', personId: 'p-maria', repId: 'm1' })
    expect(inApp.map((n) => n.kind).sort()).toEqual(['outcome_due', 'outcome_overdue', 'weekly_digest'])
    expect(inApp.every((n) => n.readAt === null)).toBe(true)
  })

  it('sends nothing more when the same run is repeated', async () => {
    const before = sink.received.length

    const run = await runNotifications(db, { orgId: 'acme', now: WEDNESDAY, mailer })
    await runNotifications(db, { orgId: 'acme', now: new Date('2026-02-05T09:00:00Z'), mailer })

    expect(sink.received.length).toBe(before)
    expect(run.delivered).toEqual({ sent: 0, failed: 0, outboxed: 0 })
    expect(run.due.notifications + run.overdue.notifications).toBe(0)
  })

  it('sends the next digest, and only it, in the next week', async () => {
    const before = sink.received.length

    await runNotifications(db, { orgId: 'acme', now: NEXT_MONDAY, mailer })

    expect(pairs(before)).toEqual([
      'maria@people.acme.test | Weekly digest 2026-02-09: 2 reps, 1 due, 1 overdue',
    ])
  })

  it('tells of an outcome once when it goes from due to overdue', async () => {
    // Given o-warn passes its due date and the lifecycle marks it overdue
    await db.query(`update outcomes set state = 'overdue' where org_id = 'acme' and id = 'o-warn'`)
    const before = sink.received.length

    await runNotifications(db, { orgId: 'acme', now: new Date('2026-02-10T09:00:00Z'), mailer })
    await runNotifications(db, { orgId: 'acme', now: new Date('2026-02-10T10:00:00Z'), mailer })

    const overdue = 'Overdue: a formal warning: “Below half of the MRR goal” for Rob Rep (2026-01)'
    expect(pairs(before)).toEqual(
      [
        `adam@acme.test | ${overdue}`,
        `maria@people.acme.test | ${overdue}`,
        `olga@acme.test | ${overdue}`,
      ].sort(),
    )
  })

  it('sends once when two runs happen at the same moment', async () => {
    await seedNotifyOrg(db, 'twin')
    const before = sink.received.length

    const runs = await Promise.all([
      runNotifications(db, { orgId: 'twin', now: WEDNESDAY, mailer }),
      runNotifications(db, { orgId: 'twin', now: WEDNESDAY, mailer }),
    ])

    expect(sink.received.length - before).toBe(7)
    expect(runs.map((r) => r.delivered.sent).reduce((a, b) => a + b, 0)).toBe(7)
  })
})
