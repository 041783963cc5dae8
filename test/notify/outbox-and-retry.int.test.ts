import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../../src/adapters/mail/smtp-mailer.ts'
import { DEFAULT_FROM } from '../../src/adapters/mail/mail-config.ts'
import { listOutbox } from '../../src/app/notify/outbox.ts'
import { runNotifications } from '../../src/app/notify/run-notifications.ts'
import { appSources } from '../../src/app/notify/sources.ts'
import { scopedDatabase } from '../../src/app/jobs/run-job.ts'
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
  mailer = createSmtpMailer({
    host: '127.0.0.1',
    port: sink.port,
    secure: false,
    user: null,
    password: null,
    from: DEFAULT_FROM,
    timeoutMs: 5000,
  })
})

afterAll(async () => {
  mailer.close()
  await sink.close()
  await db.close()
})

const at = (iso: string): Date => new Date(iso)

describe('the outbox without SMTP', () => {
  it('keeps every email in the outbox, once, when no SMTP server is configured', async () => {
    await seedNotifyOrg(db, 'quiet')

    const first = await runNotifications(db, {
      orgId: 'quiet',
      now: at('2026-02-04T09:00:00Z'),
      mailer: null,
    })
    const second = await runNotifications(db, {
      orgId: 'quiet',
      now: at('2026-02-04T10:00:00Z'),
      mailer: null,
    })

    expect(first.delivered).toEqual({ sent: 0, failed: 0, outboxed: 7 })
    expect(second.delivered).toEqual({ sent: 0, failed: 0, outboxed: 0 })
    const unsent = await listOutbox(db, { orgId: 'quiet', unsent: true })
    expect(unsent).toHaveLength(7)
    expect(unsent.every((m) => m.status === 'outboxed' && m.attempts === 0)).toBe(true)
    expect(unsent.map((m) => m.to).sort()).toEqual([
      'adam@quiet.test',
      'adam@quiet.test',
      'maria@people.quiet.test',
      'maria@people.quiet.test',
      'maria@people.quiet.test',
      'olga@quiet.test',
      'olga@quiet.test',
    ])
    const pto = unsent.find((m) => m.to === 'olga@quiet.test' && m.subject.startsWith('Overdue'))
    expect(pto?.text).toContain("Rae Rep's plan states 2 days of paid time off (rule top, period 2026-01).")
    expect(pto?.text).toContain('Its owner is Maria Manager.')
    expect(sink.received).toHaveLength(0)
  })
})

describe('grouped emails', () => {
  it('lists many items without describing each, and says where to act on them', async () => {
    // Given six overdue warnings owned by one manager
    await db.query(`insert into organizations (id, name) values ('many', 'many')`)
    await db.query(
      `insert into org_settings (org_id, key, value) values ('many', 'notify.digest_weekday', '6')`,
    )
    await db.query(`insert into reps (org_id, id, name, email) values ('many', 'm', 'Mo', 'mo@many.test')`)
    for (let i = 1; i <= 6; i++)
      await db.query(
        `insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state, due_on, owner, effect, detail)
         values ('many', $1, 'c1', '2026-01', 'm', 'warn', '{}', 'overdue', '2026-02-07', 'm', 'warning', '"Below goal"')`,
        [`o${i}`],
      )

    await runNotifications(db, { orgId: 'many', now: at('2026-02-10T09:00:00Z'), mailer: null })

    const [mail] = await listOutbox(db, { orgId: 'many' })
    expect(mail?.subject).toBe('6 follow-through items are overdue')
    expect(mail?.text.match(/^- Overdue: a formal warning: “Below goal” for Mo \(2026-01\)$/gm)).toHaveLength(
      6,
    )
    expect(mail?.text).toContain('In the app, or: followthrough outcomes --state overdue')
    expect(mail?.text).not.toContain("Mo's plan states")
  })
})

describe('a run as a job', () => {
  it("works under row-level security, as the app's role, and sees only its organization", async () => {
    await seedNotifyOrg(db, 'scoped')
    const scoped = scopedDatabase(db, 'scoped')

    const run = await runNotifications(scoped, {
      orgId: 'scoped',
      now: at('2026-02-10T09:00:00Z'),
      mailer: null,
      sources: appSources,
    })

    // Feb 10: o-warn and o-coach turn overdue; with o-pto, 3 + 2 + 3 = 8 notes, 3 emails; the digest
    expect(run.overdue).toEqual({ notifications: 8, emails: 3 })
    expect(run.delivered.outboxed).toBe(4)
    const seen = await scoped.query<{ org_id: string }>('select distinct org_id from outbox')
    expect(seen).toEqual([{ org_id: 'scoped' }])
  })
})

describe('SMTP failures', () => {
  it('records a refused message as failed and retries it later, sending it once', async () => {
    // Given an organization whose only news is one due outcome, and a server refusing mail (451)
    await db.query(`insert into organizations (id, name) values ('flaky', 'flaky')`)
    await db.query(
      `insert into org_settings (org_id, key, value) values ('flaky', 'notify.digest_weekday', '6')`,
    )
    await db.query(
      `insert into reps (org_id, id, name, email, manager) values
         ('flaky', 'm', 'Mo Manager', 'mo@flaky.test', null), ('flaky', 'r', 'Ria Rep', 'ria@flaky.test', 'm')`,
    )
    await db.query(
      `insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state, due_on, owner, effect, detail)
       values ('flaky', 'o1', 'c1', '2026-01', 'r', 'top', '{"pto_days": 1}', 'due', '2026-02-07', 'm', 'pto_days', '1')`,
    )
    sink.failing = true
    const before = sink.received.length

    // When the run at 09:00 meets the refusal
    const failed = await runNotifications(db, { orgId: 'flaky', now: at('2026-02-04T09:00:00Z'), mailer })

    // Then the message is failed, with the server's answer and a retry 5 minutes later
    expect(failed.delivered).toEqual({ sent: 0, failed: 1, outboxed: 0 })
    const [row] = await listOutbox(db, { orgId: 'flaky' })
    expect(row?.status).toBe('failed')
    expect(row?.attempts).toBe(1)
    expect(row?.lastError).toMatch(/451/)
    expect(row?.nextAttemptAt).toBe('2026-02-04T09:05:00.000Z')
    expect(sink.refused).toBe(1)

    // When the server accepts again: a run one minute later does not retry yet
    sink.failing = false
    const early = await runNotifications(db, { orgId: 'flaky', now: at('2026-02-04T09:01:00Z'), mailer })
    expect(early.delivered).toEqual({ sent: 0, failed: 0, outboxed: 0 })

    // And a run after the retry time sends it, and later runs send nothing more
    const retried = await runNotifications(db, { orgId: 'flaky', now: at('2026-02-04T09:06:00Z'), mailer })
    await runNotifications(db, { orgId: 'flaky', now: at('2026-02-04T12:00:00Z'), mailer })
    expect(retried.delivered).toEqual({ sent: 1, failed: 0, outboxed: 0 })
    const arrived = sink.received.slice(before)
    expect(arrived.map((m) => `${m.to.join(',')} | ${m.subject}`)).toEqual([
      'mo@flaky.test | Due by Feb 7, 2026: 1 day of paid time off for Ria Rep (2026-01)',
    ])
    const [sent] = await listOutbox(db, { orgId: 'flaky' })
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null, nextAttemptAt: null })
  })

  it('records a refused connection and backs off 5, then 20 minutes', async () => {
    // Given a mailer pointed at a port nobody listens on
    const closed = await startSmtpSink()
    await closed.close()
    const nowhere = createSmtpMailer({
      host: '127.0.0.1',
      port: closed.port,
      secure: false,
      user: null,
      password: null,
      from: DEFAULT_FROM,
      timeoutMs: 2000,
    })
    await db.query(`insert into organizations (id, name) values ('down', 'down')`)
    await db.query(
      `insert into org_settings (org_id, key, value) values ('down', 'notify.digest_weekday', '6')`,
    )
    await db.query(`insert into reps (org_id, id, name, email) values ('down', 'm', 'Mo', 'mo@down.test')`)
    await db.query(
      `insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state, due_on, owner, effect, detail)
       values ('down', 'o1', 'c1', '2026-01', 'm', 'top', '{"pto_days": 1}', 'overdue', '2026-02-01', 'm', 'pto_days', '1')`,
    )

    await runNotifications(db, { orgId: 'down', now: at('2026-02-04T09:00:00Z'), mailer: nowhere })
    await runNotifications(db, { orgId: 'down', now: at('2026-02-04T09:05:00Z'), mailer: nowhere })

    const [row] = await listOutbox(db, { orgId: 'down' })
    expect(row).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: '2026-02-04T09:25:00.000Z' })
    expect(row?.lastError).toMatch(/ECONNREFUSED/)
    nowhere.close()
  })
})
