import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmtpMailer, type SmtpMailer } from '../../src/adapters/mail/smtp-mailer.ts'
import { DEFAULT_FROM } from '../../src/adapters/mail/mail-config.ts'
import { openDispute } from '../../src/app/disputes/open-dispute.ts'
import { appendLedger } from '../../src/app/ledger/ledger.ts'
import { runNotifications } from '../../src/app/notify/run-notifications.ts'
import { appSources } from '../../src/app/notify/sources.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { seed } from '../support/seed.ts'
import { type SmtpSink, startSmtpSink } from './smtp-sink.ts'

const PLAN = `version: 1
id: ae
name: Account Executive
currency: USD
period: month
timezone: UTC
metrics:
  new_mrr: { sum: mrr }
quotas:
  new_mrr: 10000
commissions:
  - id: mrr
    on: new_mrr
    rate: 10%
    gate: 50%
`
const REPS = `id,name,email,manager,team,plan
m1,Maria Manager,maria@pace.test,,North,
r1,Rob Rep,rob@pace.test,m1,North,ae
r2,Rae Rep,rae@pace.test,m1,North,ae
`
const DEALS = `id,rep,closed_on,type,customer,mrr,term_months,amount,cancelled_on
D1,r1,2026-02-03,managed,A,1600.00,12,,
D2,r2,2026-02-04,managed,B,5200.00,12,,
`

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
  await seed(db, 'pace', { plans: [PLAN], reps: REPS, deals: DEALS })
  // Rob disputes his January commission line of 120.00 (January closed).
  await db.query(
    `insert into periods (org_id, kind, key, status, closed_at) values ('pace', 'month', '2026-01', 'closed', '2026-02-02T10:00:00Z')`,
  )
  const { seq } = await appendLedger(
    db,
    'pace',
    [
      {
        period: '2026-01',
        repId: 'r1',
        kind: 'commission',
        rule: 'mrr',
        deal: null,
        amountMinor: 12000n,
        forfeitedMinor: 0n,
        cappedMinor: 0n,
        closeId: 'c-jan',
        ref: null,
      },
    ],
    '2026-02-02T10:00:00Z',
  )
  await openDispute(db, {
    orgId: 'pace',
    actor: { id: 'p-rob', role: 'rep', repId: 'r1' },
    now: new Date('2026-02-05T10:00:00Z'),
    ledgerSeq: seq,
    message: 'The Contoso deal is missing',
  })
})

afterAll(async () => {
  mailer.close()
  await sink.close()
  await db.close()
})

// Wednesday Feb 11, 2026: February has 20 business days; 8 have passed (Feb 2–6, 9–11).
const FEB_11 = new Date('2026-02-11T15:00:00Z')

describe('pace warnings and the digest from progress', () => {
  it('warns the rep who ends below the gate at this pace, and only that rep', async () => {
    const run = await runNotifications(db, { orgId: 'pace', now: FEB_11, mailer, sources: appSources })

    // Rob: 1,600 so far → 16%; projected 1,600 × 20 / 8 = 4,000 → 40%, below the 50% gate.
    // Rae: 5,200 → 52%; projected 13,000 → 130%, above it: no warning.
    expect(run.pace).toEqual({ notifications: 1, emails: 1 })
    const warnings = sink.received.filter((m) => m.subject.startsWith('Pace warning'))
    expect(warnings.map((m) => `${m.to.join(',')} | ${m.subject}`)).toEqual([
      'rob@pace.test | Pace warning for 2026-02: new_mrr at 40% by Feb 28, 2026 at this pace',
    ])
    const text = warnings[0]?.text ?? ''
    expect(text).toContain('you are at 16% of the new_mrr goal (40% on Feb 28 at this pace)')
    // The commission on 1,600 at 10% is 160.00, forfeited below the gate.
    expect(text).toContain('the mrr commission of about 160.00 USD is forfeited')
    expect(text).toContain('12 business days from now')
  })

  it("gives the manager the team's progress in the weekly digest", async () => {
    const digest = sink.received.find((m) => m.subject.startsWith('Weekly digest'))
    expect(digest?.to).toEqual(['maria@pace.test'])
    expect(digest?.subject).toBe('Weekly digest 2026-02-09: 2 reps, 0 due, 0 overdue')
    const text = digest?.text ?? ''
    // Rae earns 10% of 5,200.00 so far; Rob's commission is forfeited below the gate for now.
    expect(text).toContain('Rae Rep (2026-02): new_mrr 52%, 130% at this pace; earned so far 520.00 USD')
    expect(text).toContain('Rob Rep (2026-02): new_mrr 16%, 40% at this pace; earned so far 0.00 USD')
    expect(text).toContain('Open disputes: 1')
    expect(text).toContain(
      'Rob Rep (2026-01): the commission line of mrr: “The Contoso deal is missing” (120.00 USD)',
    )
  })

  it('warns once a week, whatever the number of runs', async () => {
    const before = sink.received.length

    await runNotifications(db, {
      orgId: 'pace',
      now: new Date('2026-02-12T09:00:00Z'),
      mailer,
      sources: appSources,
    })
    expect(sink.received.length).toBe(before)

    // Monday Feb 16: a new week, 11 business days passed; Rob at 1,600 × 20 / 11 → 29%.
    await runNotifications(db, {
      orgId: 'pace',
      now: new Date('2026-02-16T09:00:00Z'),
      mailer,
      sources: appSources,
    })
    expect(
      sink.received
        .slice(before)
        .map((m) => `${m.to.join(',')} | ${m.subject}`)
        .sort(),
    ).toEqual([
      'maria@pace.test | Weekly digest 2026-02-16: 2 reps, 0 due, 0 overdue',
      'rob@pace.test | Pace warning for 2026-02: new_mrr at 29% by Feb 28, 2026 at this pace',
    ])
  })
})
