import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJobs } from '../../src/adapters/jobs/start-jobs.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import { signWebhook } from '../../src/app/webhooks/verify-signature.ts'
import { setWebhookSecret } from '../../src/app/webhooks/webhook-secret.ts'
import { DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

let server: DemoServer
const bossSchema = `pgboss_${randomBytes(5).toString('hex')}`

beforeAll(async () => {
  server = await demoServer()
})
afterAll(async () => {
  if (server.db.kind === 'postgres') await server.db.exec(`drop schema if exists ${bossSchema} cascade`)
  await server.close()
})

describe('webhooks and jobs on the whole server', () => {
  it('stores a signed delivery of deals', async () => {
    const { db, orgId, clock, app } = server
    const { secret } = await withOrgScope(db, orgId, (tx) =>
      setWebhookSecret(tx, { orgId, now: clock.now(), rotate: false, actor: 'owner' }),
    )
    const body = JSON.stringify([
      { id: 'WH1', rep: 'r01', closed_on: '2026-03-02', type: 'managed', mrr: '99.00' },
    ])
    const timestamp = String(Math.floor(clock.now().getTime() / 1000))
    const res = await app.inject({
      method: 'POST',
      url: `/api/webhooks/${orgId}/deals`,
      headers: {
        'content-type': 'application/json',
        'x-followthrough-timestamp': timestamp,
        'x-followthrough-signature': signWebhook(secret, timestamp, body),
        'x-followthrough-delivery': 'crm-1',
      },
      payload: body,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ delivery: 'crm-1', counts: { added: 1 } })
    const unsigned = await app.inject({ method: 'POST', url: `/api/webhooks/${orgId}/deals`, payload: body })
    expect(unsigned.statusCode).toBe(401)
  })

  it('starts a job, lets its starter poll it to the end, and hides it from a rep', async () => {
    const owner = await signIn(server.app, DEMO_EMAIL.owner)
    const started = await owner.request('POST', '/api/jobs', {
      kind: 'overdue',
      payload: {},
      key: 'overdue:2026-03-02',
    })
    expect(started.statusCode).toBe(202)
    const { id } = started.json() as { id: string }
    const queued = await owner.request('GET', `/api/jobs/${id}`)
    expect(queued.json()).toMatchObject({ id, kind: 'overdue', state: 'queued', attempts: 0 })

    const runner = await startJobs({
      db: server.db,
      now: server.clock.now,
      pollMs: 20,
      bossSchema,
      scheduleEveryMs: null,
    })
    try {
      let state = 'queued'
      for (let i = 0; i < 400 && state !== 'done' && state !== 'failed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25))
        state = ((await owner.request('GET', `/api/jobs/${id}`)).json() as { state: string }).state
      }
      const done = (await owner.request('GET', `/api/jobs/${id}`)).json() as Record<string, unknown>
      expect(done).toMatchObject({ state: 'done', attempts: 1, result: { today: '2026-03-02' } })
    } finally {
      await runner.stop()
    }
    const rep = await signIn(server.app, DEMO_EMAIL.rep, undefined, '10.0.0.2')
    expect((await rep.request('GET', `/api/jobs/${id}`)).statusCode).toBe(404)
    expect(
      (await rep.request('POST', '/api/jobs', { kind: 'close', payload: { period: '2026-03' } })).statusCode,
    ).toBe(403)
  })

  it('runs a notification run as a job under row-level security, and again without telling anyone twice', async () => {
    const owner = await signIn(server.app, DEMO_EMAIL.owner, undefined, '10.0.0.3')
    const runner = await startJobs({
      db: server.db,
      now: server.clock.now,
      pollMs: 20,
      bossSchema,
      scheduleEveryMs: null,
    })
    const runOnce = async (key: string): Promise<Record<string, unknown>> => {
      const started = await owner.request('POST', '/api/jobs', { kind: 'notifications', payload: {}, key })
      expect(started.statusCode).toBe(202)
      const { id } = started.json() as { id: string }
      for (let i = 0; i < 400; i++) {
        const job = (await owner.request('GET', `/api/jobs/${id}`)).json() as Record<string, unknown>
        if (job.state === 'done' || job.state === 'failed') return job
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      throw new Error('the notification job did not finish')
    }
    try {
      const first = await runOnce('notifications:1')
      expect(first).toMatchObject({ state: 'done', error: null })
      // 2 March 2026 is a Monday, the digest's default weekday; the demo has due and overdue items.
      const r = first.result as Record<'due' | 'overdue' | 'digest', { notifications: number }>
      expect([r.due.notifications, r.overdue.notifications, r.digest.notifications].every((n) => n > 0)).toBe(
        true,
      )
      const second = await runOnce('notifications:2')
      expect(second).toMatchObject({
        state: 'done',
        result: {
          due: { notifications: 0, emails: 0 },
          overdue: { notifications: 0, emails: 0 },
          digest: { notifications: 0, emails: 0 },
          delivered: { outboxed: 0 },
        },
      })
    } finally {
      await runner.stop()
    }
  })

  it('documents the webhook and job routes in the OpenAPI document', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, unknown>
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/webhooks/{org}/deals',
        '/api/webhooks/{org}/activities',
        '/api/jobs/{id}',
        '/api/jobs',
      ]),
    )
  })
})
