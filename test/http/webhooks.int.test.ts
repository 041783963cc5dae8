import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/app/ports/sql.ts'
import {
  deliver,
  type DeliverOptions,
  NOW,
  NOW_SECONDS,
  storedCounts,
  webhookApp,
  webhookDatabase,
} from './webhook-fixture.ts'

let db: Database
let app: FastifyInstance
let secret: string
let otherSecret: string

beforeAll(async () => {
  ;({ db, secret, otherSecret } = await webhookDatabase())
  app = await webhookApp({ db, now: () => NOW })
})
afterAll(async () => {
  await app.close()
  await db.close()
})

const deal = (id: string, more: Record<string, unknown> = {}) => ({
  id,
  rep: 'r01',
  closed_on: '2026-03-01',
  type: 'managed',
  customer: 'Lincoln Law Partners',
  mrr: '1200.00',
  term_months: 12,
  ...more,
})

describe('POST /api/webhooks/:org/deals', () => {
  it('stores a valid delivery, split credits included', async () => {
    const body = JSON.stringify([deal('W1'), deal('W2', { rep: 'r01:60;r02:40', amount: 2500.5, mrr: null })])
    const res = await deliver(app, 'deals', body, { secret, delivery: 'dlv-1' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      delivery: 'dlv-1',
      duplicate: false,
      counts: { rows: 2, added: 2, changed: 0, unchanged: 0 },
    })
    const rows = await db.query(
      `select d.id, d.amount_minor::text as amount, d.mrr_minor::text as mrr, d.term_months,
              string_agg(c.rep_id || ':' || c.share_micro, ';' order by c.rep_id) as credits
         from deals d join deal_credits c on c.org_id = d.org_id and c.deal_id = d.id
        where d.org_id = 'acme' and d.id like 'W%' group by 1, 2, 3, 4 order by 1`,
    )
    expect(rows).toEqual([
      { id: 'W1', amount: '0', mrr: '120000', term_months: 12, credits: 'r01:1000000' },
      { id: 'W2', amount: '250050', mrr: '0', term_months: 12, credits: 'r01:600000;r02:400000' },
    ])
  })

  it('stores the same delivery twice only once', async () => {
    const body = JSON.stringify([deal('W3')])
    const first = await deliver(app, 'deals', body, { secret, delivery: 'dlv-3' })
    const before = await storedCounts(db)
    const again = await deliver(app, 'deals', body, { secret, delivery: 'dlv-3' })
    expect(first.json()).toMatchObject({ duplicate: false, counts: { added: 1 } })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({
      duplicate: true,
      importId: first.json().importId,
      counts: { added: 1 },
    })
    expect(await storedCounts(db)).toEqual(before)
  })

  it('updates a changed record with its history, and leaves a resent record alone under a new delivery id', async () => {
    const changed = await deliver(app, 'deals', JSON.stringify([deal('W3', { mrr: '1500.00' })]), {
      secret,
      delivery: 'dlv-4',
    })
    expect(changed.json()).toMatchObject({ counts: { added: 0, changed: 1, unchanged: 0 } })
    const history = await db.query<{ before: { mrr_minor: string }; after: { mrr_minor: string } }>(
      `select before, after from deal_history where org_id = 'acme' and deal_id = 'W3'`,
    )
    expect(history.map((h) => [h.before.mrr_minor, h.after.mrr_minor])).toEqual([['120000', '150000']])
    const same = await deliver(app, 'deals', JSON.stringify([deal('W3', { mrr: '1500.00' })]), {
      secret,
      delivery: 'dlv-5',
    })
    expect(same.json()).toMatchObject({ duplicate: false, counts: { changed: 0, unchanged: 1 } })
  })

  it('refuses a delivery id seen before with another body (409)', async () => {
    const res = await deliver(app, 'deals', JSON.stringify([deal('W9')]), { secret, delivery: 'dlv-1' })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('webhook.conflict')
  })

  it.each([
    ['a bad signature', { signature: 'sha256=' + '0'.repeat(64) }, 'webhook.bad_signature'],
    ['the signature of another organization', { secretOverride: true }, 'webhook.bad_signature'],
    ['no signature', { signature: null }, 'webhook.unsigned'],
    ['a timestamp 301 s old', { timestamp: String(Number(NOW_SECONDS) - 301) }, 'webhook.stale'],
    ['a timestamp 301 s ahead', { timestamp: String(Number(NOW_SECONDS) + 301) }, 'webhook.stale'],
    ['an organization without a secret', { org: 'nobody' }, 'webhook.bad_signature'],
  ])('refuses %s (401) and stores nothing', async (_name, o, code) => {
    const before = await storedCounts(db)
    const { secretOverride, ...rest } = o as { secretOverride?: boolean } & Partial<DeliverOptions>
    const res = await deliver(app, 'deals', JSON.stringify([deal('W20')]), {
      secret: secretOverride === true ? otherSecret : secret,
      delivery: 'dlv-20',
      ...rest,
    })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe(code)
    expect(await storedCounts(db)).toEqual(before)
  })

  it('accepts a timestamp 300 s old (the edge of the replay window)', async () => {
    const res = await deliver(app, 'deals', JSON.stringify([deal('W21')]), {
      secret,
      timestamp: String(Number(NOW_SECONDS) - 300),
    })
    expect(res.statusCode).toBe(200)
  })

  it('lists every problem of a bad payload (422) and stores nothing', async () => {
    const before = await storedCounts(db)
    const body = JSON.stringify([
      deal('W30', { rep: 'nobody' }),
      deal('W31', { closed_on: '2026-02-30' }),
      deal('W32', { mrr: '-5' }),
      deal('W33'),
    ])
    const res = await deliver(app, 'deals', body, { secret, delivery: 'dlv-30' })
    expect(res.statusCode).toBe(422)
    const problems = (res.json().error.details.problems as { record: number }[]).map((p) => p.record)
    expect(problems).toEqual([1, 2, 3])
    expect(await storedCounts(db)).toEqual(before)
  })

  it('lists shape problems of every record', async () => {
    const body = JSON.stringify([deal('W40'), 'text', { id: 'W41', rep: { nested: true } }])
    const res = await deliver(app, 'deals', body, { secret })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.details.problems).toEqual([
      { record: 2, message: 'a record must be a JSON object' },
      { record: 3, message: '"rep" must be a string, number, boolean or null' },
    ])
  })

  it('refuses a body over 16 MiB (413) before reading it', async () => {
    const body = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20)
    const res = await deliver(app, 'deals', body, { secret })
    expect(res.statusCode).toBe(413)
  })

  it('reads a CRM export through a built-in mapping', async () => {
    const body = JSON.stringify([
      {
        'Deal ID': '15234567899',
        'Deal Name': 'Lincoln Law - Managed IT',
        'Deal Stage': 'Closed Won',
        Pipeline: 'Managed Services',
        'Close Date': '2026-03-01 15:42',
        Amount: '',
        'Deal owner': 'Ana Castillo',
        'Deal Type': 'New Business',
        'Associated Company': 'Lincoln Law Partners',
        MRR: '2806',
        'Contract Term': '36',
        'Create Date': '2025-11-20 09:12',
      },
    ])
    const res = await deliver(app, 'deals', body, { secret, mapping: 'hubspot-deals' })
    expect(res.statusCode).toBe(200)
    const [row] = await db.query(
      `select mrr_minor::text as mrr, closed_on from deals where org_id = 'acme' and id = '15234567899'`,
    )
    expect(row).toEqual({ mrr: '280600', closed_on: '2026-03-01' })
    const wrongKind = await deliver(app, 'activities', body, { secret, mapping: 'hubspot-deals' })
    expect(wrongKind.statusCode).toBe(422)
    const unknown = await deliver(app, 'deals', body, { secret, mapping: '../../etc/passwd' })
    expect(unknown.statusCode).toBe(400)
  })

  it('answers 4xx and stores nothing for any malformed body, JSON or bytes (property)', async () => {
    const before = await storedCounts(db)
    const bodies = fc.oneof(
      fc.json().map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc
        .array(
          fc.dictionary(fc.constantFrom('id', 'rep', 'closed_on', 'mrr', 'amount', 'x'), fc.jsonValue()),
          {
            maxLength: 5,
          },
        )
        .map((records) => Buffer.from(JSON.stringify(records))),
    )
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await deliver(app, 'deals', body, { secret })
        expect(res.statusCode).toBeGreaterThanOrEqual(400)
        expect(res.statusCode).toBeLessThan(500)
        expect(res.json().error.code).toMatch(/^webhook\./)
      }),
      { numRuns: 150, seed: 20260302 },
    )
    expect(await storedCounts(db)).toEqual(before)
  })
})

describe('POST /api/webhooks/:org/activities', () => {
  it('stores activities and is idempotent by record id', async () => {
    const body = JSON.stringify([
      { id: 'WA1', rep: 'r01', kind: 'call', occurred_on: '2026-03-01' },
      { id: 'WA2', rep: 'r02', kind: 'meeting', occurred_on: '2026-03-01T10:00:00-06:00' },
    ])
    const first = await deliver(app, 'activities', body, { secret, delivery: 'act-1' })
    expect(first.json()).toMatchObject({ counts: { added: 2 } })
    const second = await deliver(app, 'activities', body, { secret, delivery: 'act-2' })
    expect(second.json()).toMatchObject({ duplicate: false, counts: { added: 0, unchanged: 2 } })
    const [n] = await db.query<{ n: number }>(
      `select count(*)::int as n from activities where org_id = 'acme' and id like 'WA%'`,
    )
    expect(n?.n).toBe(2)
  })
})
