import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webhookSecretCommand } from '../../src/adapters/cli/webhooks-command.ts'
import { workerCommand } from '../../src/adapters/cli/worker-command.ts'
import type { Io } from '../../src/adapters/cli/main.ts'
import { enqueueScoped, getJob } from '../../src/app/jobs/job-store.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { activeWebhookSecrets } from '../../src/app/webhooks/webhook-secret.ts'
import { testDatabase } from '../support/db.ts'

let db: Database
// The commands close what they open: they get the test's database with a close that does nothing.
const openDb = async (): Promise<Database> => ({ ...db, close: async () => {} })
const capture = () => {
  const out = { stdout: '', stderr: '' }
  const io: Io = {
    stdout: (s) => void (out.stdout += s),
    stderr: (s) => void (out.stderr += s),
    isTTY: false,
  }
  return { out, io }
}
const T0 = new Date('2026-03-02T15:00:00Z')

const bossSchema = `pgboss_${randomBytes(5).toString('hex')}`
const onPostgres = (process.env.DATABASE_URL ?? '') !== ''

beforeAll(async () => {
  process.env.FOLLOWTHROUGH_BOSS_SCHEMA = bossSchema
  db = await testDatabase()
  await db.query(`insert into organizations (id, name) values ('acme', 'Acme')`)
})
afterAll(async () => {
  delete process.env.FOLLOWTHROUGH_BOSS_SCHEMA
  if (onPostgres) await db.exec(`drop schema if exists ${bossSchema} cascade`)
  await db.close()
})

describe('followthrough webhooks secret', () => {
  it('makes a secret once, shows it again, and rotates it keeping the old one for a day', async () => {
    const first = capture()
    expect(await webhookSecretCommand({}, first.io, openDb, T0)).toBe(0)
    const secret = first.out.stdout.trim()
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    const again = capture()
    await webhookSecretCommand({}, again.io, openDb, T0)
    expect(again.out.stdout.trim()).toBe(secret)
    const rotated = capture()
    await webhookSecretCommand({ rotate: true }, rotated.io, openDb, T0)
    const fresh = rotated.out.stdout.trim()
    expect(fresh).not.toBe(secret)
    const at = (ms: number) =>
      withOrgScope(db, 'acme', (tx) => activeWebhookSecrets(tx, 'acme', new Date(T0.getTime() + ms)))
    expect(await at(23 * 3600_000)).toEqual([fresh, secret])
    expect(await at(24 * 3600_000 + 1)).toEqual([fresh])
  })
})

describe('followthrough worker', () => {
  it('runs queued jobs until stopped, then finishes', async () => {
    const { id } = await enqueueScoped(db, {
      orgId: 'acme',
      kind: 'close',
      payload: { period: 'not-a-period' },
      actor: 'ann',
      now: T0,
    })
    const { out, io } = capture()
    const status = await workerCommand({ pollMs: '20' }, io, openDb, async () => {
      for (let i = 0; i < 600; i++) {
        const job = await withOrgScope(db, 'acme', (tx) => getJob(tx, 'acme', id))
        if (job?.state === 'failed' || job?.state === 'done') return
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    })
    expect(status).toBe(0)
    expect(out.stderr).toMatch(/worker: running jobs/)
    const job = await withOrgScope(db, 'acme', (tx) => getJob(tx, 'acme', id))
    // A refusal of the close itself: failed at once, with its code for the client.
    expect(job).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'close.bad_period' } })
  })
})
