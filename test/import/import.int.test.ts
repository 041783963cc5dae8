import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readCsv } from '../../src/adapters/csv/read-csv.ts'
import { importCanonical, type CsvRows, type ImportKind } from '../../src/app/import/import-canonical.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { example } from '../support/seed.ts'

async function csv(file: string, text: string): Promise<CsvRows> {
  const rows: { cells: string[]; line: number }[] = []
  await readCsv(Readable.from([text]), {
    record: (cells, line) => rows.push({ cells, line }),
    error: () => undefined,
  })
  return { file, rows, issues: [] }
}

const now = new Date('2026-11-26T10:00:00Z')

describe('importCanonical', () => {
  let db: Database
  const run = async (kind: ImportKind, file: string, text: string, preview = false) =>
    importCanonical(db, { orgId: 'acme', kind, csv: await csv(file, text), actor: 'ann', now, preview })

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(`insert into organizations (id, name) values ('acme', 'Acme')`)
    await publishPlan(db, { orgId: 'acme', text: example('plan.yaml'), file: 'plan.yaml', actor: 'ann', now })
    expect(await run('reps', 'reps.csv', example('reps.csv'))).toMatchObject({
      ok: true,
      changes: { added: 15 },
    })
  })
  afterAll(() => db.close())

  it('assigns each rep with a plan column to that plan from hired_on', async () => {
    const rows = await db.query<{ rep_id: string; plan_id: string; valid_from: string }>(
      `select rep_id, plan_id, valid_from from plan_assignments where org_id = 'acme' and rep_id in ('r01', 'r06') order by rep_id`,
    )
    expect(rows.map((r) => [r.rep_id, r.plan_id])).toEqual([
      ['r01', 'msp-ae'],
      ['r06', 'msp-ae'],
    ])
    expect(rows[1]?.valid_from).toMatch(/^2026-/)
  })

  it('stores nothing and lists every problem when a file has errors', async () => {
    const out = await run(
      'deals',
      'deals.csv',
      'id,rep,closed_on,mrr\nd1,r01,2026-01-05,100\nd2,r99,2026-01-05,100\nd3,r01,2026-02-30,5\n',
    )
    expect(out).toEqual({
      ok: false,
      more: 0,
      issues: [
        { file: 'deals.csv', line: 3, message: 'unknown rep "r99"' },
        { file: 'deals.csv', line: 4, message: expect.stringContaining('2026-02-30') },
      ],
    })
    expect(await db.query(`select id from deals where org_id = 'acme'`)).toEqual([])
  })

  it('changes nothing when the same file is imported twice', async () => {
    expect(await run('deals', 'deals.csv', example('deals.csv'))).toMatchObject({
      ok: true,
      changes: { added: 420 },
    })
    expect(await run('deals', 'deals.csv', example('deals.csv'))).toMatchObject({
      ok: true,
      changes: { added: 0, changed: 0, unchanged: 420 },
    })
    expect(await db.query(`select * from deal_history where org_id = 'acme'`)).toEqual([])
  })

  it('updates a changed row and keeps its history', async () => {
    const text = 'id,rep,closed_on,mrr,type,term_months\nX1,r01:50;r02:50,2026-03-03,1000.00,managed,12\n'
    await run('deals', 'deals.csv', text)
    const out = await run(
      'deals',
      'deals.csv',
      text.replace('r01:50;r02:50', 'r01:60;r02:40').replace('1000.00', '1200.00'),
    )
    expect(out).toMatchObject({ ok: true, changes: { added: 0, changed: 1, unchanged: 0 } })
    const [deal] = await db.query<{ mrr_minor: bigint }>(
      `select mrr_minor from deals where org_id = 'acme' and id = 'X1'`,
    )
    expect(deal?.mrr_minor).toBe(120000n)
    const credits = await db.query(
      `select rep_id, share_micro from deal_credits where org_id = 'acme' and deal_id = 'X1' order by rep_id`,
    )
    expect(credits).toEqual([
      { rep_id: 'r01', share_micro: 600000 },
      { rep_id: 'r02', share_micro: 400000 },
    ])
    const history = await db.query<{
      changed_by: string
      before: { mrr_minor: string; credits: string }
      after: { mrr_minor: string }
    }>(`select changed_by, before, after from deal_history where org_id = 'acme' and deal_id = 'X1'`)
    expect(history).toHaveLength(1)
    expect(history[0]?.changed_by).toBe('ann')
    expect(history[0]?.before.mrr_minor).toBe('100000')
    expect(history[0]?.before.credits).toBe('r01:500000;r02:500000')
    expect(history[0]?.after.mrr_minor).toBe('120000')
  })

  it('stores nothing on a preview', async () => {
    const out = await run('quotas', 'quotas.csv', example('quotas.csv'), true)
    expect(out.ok && out.preview.length).toBeGreaterThan(0)
    expect(await db.query(`select * from quotas where org_id = 'acme'`)).toEqual([])
  })
})
