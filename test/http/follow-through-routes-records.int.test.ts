import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runNotifications } from '../../src/app/notify/run-notifications.ts'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

// The demo company served over HTTP (January and February 2026 closed, on 2026-03-02): disputes,
// acknowledgements and the plan document, notifications, and coaching once March is closed.

let server: DemoServer
let owner: Agent, admin: Agent, manager: Agent, rep: Agent

beforeAll(async () => {
  server = await demoServer()
  owner = await signIn(server.app, DEMO_EMAIL.owner)
  admin = await signIn(server.app, DEMO_EMAIL.admin)
  manager = await signIn(server.app, DEMO_EMAIL.manager)
  rep = await signIn(server.app, DEMO_EMAIL.rep)
}, 120_000)
afterAll(async () => server?.close())

type Method = 'GET' | 'POST'
const json = async <T>(agent: Agent, method: Method, url: string, body?: unknown, status = 200) => {
  const res = await agent.request(method, url, body)
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status)
  return res.json() as T
}
const refusal = async (agent: Agent, method: Method, url: string, body?: unknown) => {
  const res = await agent.request(method, url, body)
  return [res.statusCode, (res.json() as { error: { code: string } }).error.code]
}

interface Line {
  seq: number
  kind: string
  amountMinor: number
}
interface Dispute {
  id: number
  repId: string
  ledgerSeq: number
  state: string
  reason: string | null
  adjustment: { amountMinor: number; period: string; ledgerSeq: number } | null
  history: { action: string }[]
}

const linesOf = async (agent: Agent, repId: string, period: string) =>
  (await json<{ ledgerLines: Line[] }>(agent, 'GET', `/api/statements/${repId}/${period}/lines`)).ledgerLines

describe('disputes over HTTP', () => {
  it('lets a rep dispute a line of their own statement, not of another rep', async () => {
    const own = (await linesOf(rep, 'r01', '2026-01')).find((l) => l.amountMinor !== 0)
    if (own === undefined) throw new Error('r01 has no paid line in January')
    const other = (await linesOf(owner, 'r02', '2026-01'))[0]
    if (other === undefined) throw new Error('r02 has no line in January')
    expect(await refusal(rep, 'GET', '/api/statements/r02/2026-01/lines')).toEqual([403, 'auth.forbidden'])
    expect(await refusal(rep, 'POST', '/api/disputes', { ledgerSeq: other.seq, message: 'Mine?' })).toEqual([
      403,
      'dispute.not_own_line',
    ])
    expect(
      await refusal(rep, 'POST', '/api/disputes', { repId: 'r02', ledgerSeq: other.seq, message: 'Mine?' }),
    ).toEqual([403, 'auth.forbidden'])
    expect(await refusal(owner, 'POST', '/api/disputes', { ledgerSeq: own.seq, message: 'x' })).toEqual([
      403,
      'auth.forbidden',
    ])
    const opened = await json<Dispute>(
      rep,
      'POST',
      '/api/disputes',
      { ledgerSeq: own.seq, message: 'The Contoso deal closed in January, not February' },
      201,
    )
    expect([opened.repId, opened.ledgerSeq, opened.state]).toEqual(['r01', own.seq, 'open'])
    expect(await refusal(rep, 'POST', '/api/disputes', { ledgerSeq: own.seq, message: 'again' })).toEqual([
      409,
      'dispute.already_open',
    ])
    // The manager over r01 accepts it: an adjustment of 125.00 booked in March (February is closed).
    expect(await refusal(rep, 'POST', `/api/disputes/${opened.id}/accept`, { amountMinor: 12500 })).toEqual([
      403,
      'auth.forbidden',
    ])
    const accepted = await json<Dispute>(manager, 'POST', `/api/disputes/${opened.id}/accept`, {
      amountMinor: 12500,
      reason: 'Checked with the CRM',
    })
    expect([accepted.state, accepted.adjustment?.amountMinor, accepted.adjustment?.period]).toEqual([
      'accepted',
      12500,
      '2026-03',
    ])
    expect(accepted.history.map((h) => h.action)).toEqual(['open', 'accept'])
    const seen = await json<{ items: Dispute[] }>(rep, 'GET', '/api/disputes')
    expect(seen.items.map((d) => [d.id, d.state, d.reason])).toEqual([
      [opened.id, 'accepted', 'Checked with the CRM'],
    ])
    expect((await json<{ items: Dispute[] }>(manager, 'GET', '/api/disputes?rep=r01')).items).toHaveLength(1)
    expect(await refusal(manager, 'GET', '/api/disputes?rep=r07')).toEqual([403, 'auth.forbidden'])
  })

  it('rejects with a written reason, once', async () => {
    const lines = await linesOf(rep, 'r01', '2026-02')
    const line = lines.find((l) => l.amountMinor !== 0) ?? lines[0]
    if (line === undefined) throw new Error('r01 has no line in February')
    const opened = await json<Dispute>(
      rep,
      'POST',
      '/api/disputes',
      { ledgerSeq: line.seq, message: 'Too low' },
      201,
    )
    expect(await refusal(manager, 'POST', `/api/disputes/${opened.id}/reject`, { reason: '' })).toEqual([
      400,
      'dispute.no_reason',
    ])
    const rejected = await json<Dispute>(admin, 'POST', `/api/disputes/${opened.id}/reject`, {
      reason: 'The rate is the plan rate',
    })
    expect([rejected.state, rejected.reason]).toEqual(['rejected', 'The rate is the plan rate'])
    expect(await refusal(manager, 'POST', `/api/disputes/${opened.id}/reject`, { reason: 'x' })).toEqual([
      409,
      'dispute.already_resolved',
    ])
    expect(await refusal(manager, 'POST', '/api/disputes/999/reject', { reason: 'x' })).toEqual([
      404,
      'dispute.unknown',
    ])
  })
})

describe('acknowledgements and the plan document over HTTP', () => {
  it('lets a rep acknowledge their plan by typing their name', async () => {
    const pending = async (agent: Agent) =>
      (
        await json<{ items: { repId: string; planId: string }[] }>(
          agent,
          'GET',
          '/api/acknowledgements/pending',
        )
      ).items
    expect((await pending(rep)).map((p) => [p.repId, p.planId])).toEqual([['r01', 'msp-ae']])
    const before = (await pending(manager)).length
    expect(await refusal(rep, 'POST', '/api/plans/msp-ae/acknowledge', { name: 'Ben Okafor' })).toEqual([
      422,
      'acknowledgement.name_mismatch',
    ])
    expect(await refusal(owner, 'POST', '/api/plans/msp-ae/acknowledge', { name: 'Ana Castillo' })).toEqual([
      403,
      'auth.forbidden',
    ])
    const done = await json<{
      acknowledgement: { repId: string; typedName: string; hash: string }
      already: boolean
    }>(rep, 'POST', '/api/plans/msp-ae/acknowledge', { name: '  ana   castillo ' }, 201)
    expect([done.acknowledgement.repId, done.acknowledgement.typedName, done.already]).toEqual([
      'r01',
      'ana   castillo',
      false,
    ])
    const again = await json<{ already: boolean }>(rep, 'POST', '/api/plans/msp-ae/acknowledge', {
      name: 'Ana Castillo',
    })
    expect(again.already).toBe(true)
    expect(await pending(rep)).toEqual([])
    expect((await pending(manager)).length).toBe(before - 1)
    const status = await json<{ status: { planId: string; hash: string; acknowledgement: unknown } }>(
      manager,
      'GET',
      '/api/acknowledgements/status?rep=r01&period=2026-03',
    )
    expect([status.status.planId, status.status.hash]).toEqual(['msp-ae', done.acknowledgement.hash])
    expect(status.status.acknowledgement).not.toBeNull()
    expect(await refusal(rep, 'GET', '/api/acknowledgements/status?rep=r02&period=2026-03')).toEqual([
      403,
      'auth.forbidden',
    ])
  })

  it('serves the plan document as JSON, HTML and a PDF', async () => {
    const doc = await json<{ planId: string; version: number; hash: string; summary: string[] }>(
      rep,
      'GET',
      '/api/plans/msp-ae/document',
    )
    expect([doc.planId, doc.version, doc.hash]).toMatchObject([
      'msp-ae',
      1,
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ])
    expect(doc.summary.length).toBeGreaterThan(0)
    const html = await rep.request('GET', '/api/plans/msp-ae/document?format=html')
    expect(html.statusCode).toBe(200)
    expect(html.headers['content-type']).toMatch(/^text\/html/)
    expect(html.body).toContain(doc.hash)
    const pdf = await rep.request('GET', '/api/plans/msp-ae/document?format=pdf')
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(await refusal(rep, 'GET', '/api/plans/msp-mgr/document')).toEqual([403, 'auth.forbidden'])
    expect(await refusal(owner, 'GET', '/api/plans/msp-ae/document?version=9')).toEqual([
      404,
      'plan.unknown_plan',
    ])
  })
})

describe('notifications over HTTP', () => {
  it("shows a person's own notifications, marks them read, and shows the outbox to owners and admins", async () => {
    // One notification run: the manager is told of the due outcomes they own; no SMTP, so the
    // emails stay in the outbox.
    await runNotifications(server.db, { orgId: server.orgId, now: server.clock.now(), mailer: null })
    interface Note {
      id: string
      kind: string
      readAt: string | null
    }
    const notes = (await json<{ items: Note[] }>(manager, 'GET', '/api/notifications')).items
    expect(notes.length).toBeGreaterThan(0)
    expect(notes.every((n) => n.readAt === null)).toBe(true)
    expect(notes.map((n) => n.kind)).toContain('outcome_due')
    const first = notes[0] as Note
    expect(await refusal(rep, 'POST', `/api/notifications/${first.id}/read`)).toEqual([
      404,
      'notification.not_found',
    ])
    await json(manager, 'POST', `/api/notifications/${first.id}/read`)
    const unread = (await json<{ items: Note[] }>(manager, 'GET', '/api/notifications?unread=true')).items
    expect(unread.map((n) => n.id)).not.toContain(first.id)
    expect(unread.length).toBe(notes.length - 1)
    const outbox = await json<{ smtp: { configured: boolean }; items: { status: string }[] }>(
      owner,
      'GET',
      '/api/outbox?unsent=true',
    )
    expect(outbox.smtp.configured).toBe(
      process.env.SMTP_URL !== undefined || process.env.SMTP_HOST !== undefined,
    )
    expect(outbox.items.length).toBeGreaterThan(0)
    expect(await refusal(manager, 'GET', '/api/outbox')).toEqual([403, 'auth.forbidden'])
  })
})

describe('coaching over HTTP', () => {
  it('opens with the March close; the manager schedules and records items; the rep reads what is expected', async () => {
    // March's close opens r03's coaching plan (two missed months in a row).
    server.clock.at = new Date('2026-04-02T15:00:00Z')
    // A month later the sessions have ended: sign in again.
    owner = await signIn(server.app, DEMO_EMAIL.owner)
    manager = await signIn(server.app, DEMO_EMAIL.manager)
    rep = await signIn(server.app, DEMO_EMAIL.rep)
    await json(owner, 'POST', '/api/periods/2026-03/close')
    const plans = await json<{ items: { repId: string; state: string; items: number }[] }>(
      manager,
      'GET',
      '/api/coaching',
    )
    expect(plans.items.map((p) => [p.repId, p.state, p.items])).toEqual([['r03', 'open', 0]])
    expect((await json<{ items: unknown[] }>(rep, 'GET', '/api/coaching')).items).toEqual([])
    expect(await refusal(rep, 'GET', '/api/coaching/r03')).toEqual([403, 'auth.forbidden'])
    expect(
      await refusal(rep, 'POST', '/api/coaching/r03/items', {
        kind: 'training',
        title: 'x',
        dueOn: '2026-04-10',
      }),
    ).toEqual([403, 'auth.forbidden'])
    const item = await json<{ id: string; kind: string; doneAt: string | null }>(
      manager,
      'POST',
      '/api/coaching/r03/items',
      { kind: 'training', title: 'Discovery calls workshop', dueOn: '2026-04-10' },
      201,
    )
    expect([item.kind, item.doneAt]).toEqual(['training', null])
    const done = await json<{ doneAt: string; notes: string }>(
      manager,
      'POST',
      `/api/coaching/items/${item.id}/complete`,
      {
        notes: 'Attended; role-played three calls',
      },
    )
    expect([done.doneAt, done.notes]).toEqual([
      '2026-04-02T15:00:00.000Z',
      'Attended; role-played three calls',
    ])
    expect(
      await refusal(manager, 'POST', `/api/coaching/items/${item.id}/complete`, { notes: 'again' }),
    ).toEqual([409, 'coaching.already_done'])
    const view = await json<{ items: { status: string }[]; expected: string[] }>(
      manager,
      'GET',
      '/api/coaching/r03',
    )
    expect(view.items.map((i) => i.status)).toEqual(['done'])
    expect(view.expected.some((e) => e.includes('Discovery calls workshop'))).toBe(true)
  })
})
