import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { importJob } from '../../src/adapters/jobs/job-handlers.ts'
import { startJobs, type JobRunner, type JobsDeps } from '../../src/adapters/jobs/start-jobs.ts'
import type { JobHandlers } from '../../src/app/jobs/job-handler.ts'
import { getJob, type JobView } from '../../src/app/jobs/job-store.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { NOW, webhookDatabase } from '../http/webhook-fixture.ts'

const example = (name: string): string =>
  readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')
const onPostgres = (process.env.DATABASE_URL ?? '') !== ''

let db: Database
let runner: JobRunner | null = null
const bossSchema = `pgboss_${randomBytes(5).toString('hex')}`
const ran: Record<string, number> = {}
let release: () => void = () => {}

const handlers: JobHandlers = {
  import: importJob,
  count: async (ctx) => {
    ran[String(ctx.payload.name)] = (ran[String(ctx.payload.name)] ?? 0) + 1
    return { ran: ran[String(ctx.payload.name)] }
  },
  // Stores its effect, then loses its success on the first attempt (a crash before it was recorded).
  flakyImport: async (ctx) => {
    const result = await importJob(ctx)
    if (ctx.attempt === 1) throw new Error('the worker died after the import was stored')
    return result
  },
  alwaysFails: async () => {
    throw new Error('the mail server is down')
  },
  slow: async (ctx) => {
    ctx.progress({ step: 1, of: 2 })
    await new Promise<void>((resolve) => (release = resolve))
    ctx.progress({ step: 2, of: 2 })
    return { finished: true }
  },
}

function start(more: Partial<JobsDeps> = {}): Promise<JobRunner> {
  return startJobs({
    db,
    now: () => NOW,
    handlers,
    pollMs: 20,
    retryBaseMs: onPostgres ? 1000 : 0,
    bossSchema,
    onError: (error) => {
      throw error
    },
    ...more,
  })
}

/** Polls the job as its organization sees it until `until` holds (or 30 s). */
async function poll(id: string, until: (job: JobView) => boolean): Promise<JobView> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const job = await withOrgScope(db, 'acme', (tx) => getJob(tx, 'acme', id))
    if (job !== null && until(job)) return job
    if (Date.now() > deadline) throw new Error(`job ${id} is still ${JSON.stringify(job)}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
const finished = (job: JobView) => job.state === 'done' || job.state === 'failed'

const enqueue = (
  kind: string,
  payload: Record<string, unknown>,
  more: { key?: string; maxAttempts?: number } = {},
) => {
  if (runner === null) throw new Error('no runner')
  return runner.enqueue({ orgId: 'acme', kind, payload, actor: 'ann', now: NOW, ...more })
}

beforeAll(async () => {
  ;({ db } = await webhookDatabase())
})
afterEach(async () => {
  await runner?.stop()
  runner = null
})
afterAll(async () => {
  if (onPostgres) await db.exec(`drop schema if exists ${bossSchema} cascade`)
  await db.close()
})

describe(`background jobs (${onPostgres ? 'pg-boss' : 'in-process'})`, () => {
  it('runs on the queue of its database', async () => {
    runner = await start()
    expect(runner.backend).toBe(onPostgres ? 'pg-boss' : 'local')
  })

  it('runs a job once, and a job enqueued twice under one key once', async () => {
    runner = await start()
    const a = await enqueue('count', { name: 'a' }, { key: 'count:a' })
    const again = await enqueue('count', { name: 'a' }, { key: 'count:a' })
    expect(again).toEqual({ id: a.id, created: false })
    const job = await poll(a.id, finished)
    expect(job).toMatchObject({ state: 'done', attempts: 1, result: { ran: 1 } })
    // More polling rounds run nothing more.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(ran.a).toBe(1)
  })

  it('imports a file and reports its counts as the result', async () => {
    runner = await start()
    const { id } = await enqueue('import', { kind: 'deals', name: 'deals.csv', text: example('deals.csv') })
    const job = await poll(id, finished)
    expect(job.state).toBe('done')
    const [n] = await db.query<{ n: number }>(`select count(*)::int as n from deals where org_id = 'acme'`)
    expect(job.result).toMatchObject({ counts: { added: n?.n, changed: 0 } })
    expect(job.progress).toMatchObject({ phase: 'store' })
  })

  it('retries a job whose success was lost without storing its effect twice', async () => {
    runner = await start()
    const text =
      'id,rep,closed_on,type,mrr\nJ1,r01,2026-03-01,managed,100.00\nJ2,r02,2026-03-01,managed,200.00\n'
    const { id } = await enqueue('flakyImport', { kind: 'deals', name: 'late.csv', text })
    const job = await poll(id, finished)
    expect(job).toMatchObject({
      error: null,
      state: 'done',
      attempts: 2,
      result: { counts: { added: 0, unchanged: 2 } },
    })
    const rows = await db.query(
      `select (select count(*)::int from deals where org_id = 'acme' and id in ('J1', 'J2')) as deals,
              (select count(*)::int from deal_credits where org_id = 'acme' and deal_id in ('J1', 'J2')) as credits,
              (select count(*)::int from deal_history where org_id = 'acme' and deal_id in ('J1', 'J2')) as history`,
    )
    expect(rows).toEqual([{ deals: 2, credits: 2, history: 0 }])
  })

  it('fails a refused job at once, and a failing one after its last attempt', async () => {
    runner = await start()
    const refused = await enqueue('import', {
      kind: 'deals',
      name: 'bad.csv',
      text: 'id,rep,closed_on\nX1,nobody,2026-03-01\n',
    })
    const failing = await enqueue('alwaysFails', {}, { maxAttempts: 2 })
    expect(await poll(refused.id, finished)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'import.invalid', details: { issues: [{ line: 2 }] } },
    })
    expect(await poll(failing.id, finished)).toMatchObject({
      state: 'failed',
      attempts: 2,
      error: { code: 'job.error', message: 'the mail server is down' },
    })
    const [x] = await db.query<{ n: number }>(`select count(*)::int as n from deals where id = 'X1'`)
    expect(x?.n).toBe(0)
  })

  it('lets a client poll the progress of a running job', async () => {
    runner = await start()
    const { id } = await enqueue('slow', {})
    const running = await poll(id, (j) => j.state === 'running' && j.progress !== null)
    expect(running).toMatchObject({ state: 'running', progress: { step: 1, of: 2 }, result: null })
    release()
    expect(await poll(id, finished)).toMatchObject({
      state: 'done',
      progress: { step: 2 },
      result: { finished: true },
    })
  })

  it('keeps queued work across a restart', async () => {
    runner = await start()
    await runner.stop()
    // Enqueued while no runner runs (a request just before a restart).
    const { id } = await withOrgScope(db, 'acme', async (tx) => {
      const { enqueueJob } = await import('../../src/app/jobs/job-store.ts')
      return enqueueJob(tx, {
        orgId: 'acme',
        kind: 'count',
        payload: { name: 'restart' },
        actor: 'ann',
        now: NOW,
      })
    })
    expect((await poll(id, () => true)).state).toBe('queued')
    runner = await start()
    expect(await poll(id, finished)).toMatchObject({ state: 'done', result: { ran: 1 } })
  })

  it('enqueues the hourly kinds once per organization and hour, however many runners start', async () => {
    const { overdueJob } = await import('../../src/adapters/jobs/job-handlers.ts')
    runner = await start({ handlers: { ...handlers, overdue: overdueJob }, scheduleEveryMs: 60_000 })
    const second = await start({ handlers: { ...handlers, overdue: overdueJob }, scheduleEveryMs: 60_000 })
    await second.stop()
    const rows = await db.query<{ org_id: string; idempotency_key: string }>(
      `select org_id, idempotency_key from jobs where kind = 'overdue' order by org_id`,
    )
    expect(rows).toEqual([
      { org_id: 'acme', idempotency_key: 'overdue:2026-03-02T15' },
      { org_id: 'other', idempotency_key: 'overdue:2026-03-02T15' },
    ])
    const [acme] = await db.query<{ id: string }>(
      `select id from jobs where kind = 'overdue' and org_id = 'acme'`,
    )
    expect(await poll(acme?.id ?? '', finished)).toMatchObject({
      state: 'done',
      result: { today: '2026-03-02', overdue: [] },
    })
  })

  it('shows a job to its organization only', async () => {
    runner = await start()
    const { id } = await enqueue('count', { name: 'own' })
    await poll(id, finished)
    const seen = await withOrgScope(db, 'other', (tx) => getJob(tx, 'acme', id))
    expect(seen).toBeNull()
  })
})
