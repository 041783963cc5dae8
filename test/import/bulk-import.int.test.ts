import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { importFile, type ImportOptions } from '../../src/app/import/import-file.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

const now = new Date('2026-04-03T04:30:00Z')

// The set-based store (ADR 0006): rows compared in SQL, batch by batch, history and credits
// written by the same statement.
describe('importFile stores in batches compared in SQL', () => {
  let db: Database
  const run = (kind: ImportOptions['kind'], text: string, batchSize = 2) =>
    importFile(db, {
      orgId: 'acme',
      kind,
      file: textSource(`${kind}.csv`, text),
      actor: 'ann',
      now,
      batchSize,
    })
  const credits = (deal: string) =>
    db.query(
      `select rep_id, share_micro from deal_credits where org_id = 'acme' and deal_id = $1 order by rep_id`,
      [deal],
    )
  const history = (table: string) =>
    db.query<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      `select before, after from ${table} where org_id = 'acme' order by changed_at, before::text`,
    )

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(
      `insert into organizations (id, name, currency, timezone) values ('acme', 'Acme', 'USD', 'UTC')`,
    )
    const reps =
      'id,name,email,team,region\nr1,Ann,ann@x.example,North,n\nr2,Bo,bo@x.example,North,n\nr3,Cy,cy@x.example,South,s\n'
    expect(await run('reps', reps)).toMatchObject({ ok: true, counts: { added: 3 } })
  })
  afterAll(() => db.close())

  it('replaces only the credits that changed, across batches, with one history row per changed deal', async () => {
    const first = [
      'id,rep,closed_on,amount,region',
      'A,r1,2026-01-05,100.00,north',
      'B,r1:50;r2:50,2026-01-06,200.00,north',
      'C,r2:25;r3:75,2026-01-07,300.00,south',
      'D,r3,2026-01-08,400.00,south',
      'E,r1,2026-01-09,500.00,north',
    ].join('\n')
    expect(await run('deals', first)).toMatchObject({ ok: true, counts: { rows: 5, added: 5 } })
    const second = [
      'id,rep,closed_on,amount,region',
      'A,r1,2026-01-05,100.00,north', // unchanged
      'B,r2:50;r1:50,2026-01-06,200.00,north', // the same shares in another order: unchanged
      'C,r3:60;r1:40,2026-01-07,300.00,south', // r2 dropped, r3's share changed, r1 added
      'D,r3,2026-01-08,400.00,west', // an extra column changed
      'E,r1,2026-01-09,500.5,north', // the amount changed
      'F,r2,2026-01-10,1.00,north', // new, in a batch with changed rows
    ].join('\n')
    const out = await run('deals', second)
    expect(out).toMatchObject({ ok: true, counts: { rows: 6, added: 1, changed: 3, unchanged: 2 } })
    expect(await credits('C')).toEqual([
      { rep_id: 'r1', share_micro: 400000 },
      { rep_id: 'r3', share_micro: 600000 },
    ])
    expect(await credits('B')).toEqual([
      { rep_id: 'r1', share_micro: 500000 },
      { rep_id: 'r2', share_micro: 500000 },
    ])
    expect(await credits('F')).toEqual([{ rep_id: 'r2', share_micro: 1000000 }])
    const rows = await history('deal_history')
    expect(rows).toHaveLength(3)
    expect(rows).toContainEqual({
      before: expect.objectContaining({
        rep: 'r2:25;r3:75',
        amount_minor: '30000',
        fields: { region: 'south' },
      }),
      after: expect.objectContaining({ rep: 'r1:40;r3:60', amount_minor: '30000', closed_on: '2026-01-07' }),
    })
    expect(rows).toContainEqual({
      before: expect.objectContaining({ fields: { region: 'south' }, rep: 'r3:100' }),
      after: expect.objectContaining({ fields: { region: 'west' }, rep: 'r3:100' }),
    })
    expect(rows).toContainEqual({
      before: expect.objectContaining({ amount_minor: '50000', term_months: null }),
      after: expect.objectContaining({ amount_minor: '50050', term_months: null }),
    })
    // and once more: nothing changes
    expect(await run('deals', second, 4)).toMatchObject({ ok: true, counts: { changed: 0, unchanged: 6 } })
    expect(await history('deal_history')).toHaveLength(3)
  })

  it('keeps a rep history with dates as text and every column in fields', async () => {
    const reps =
      'id,name,email,team,region,hired_on\nr1,Ann,ann@x.example,North,n,2024-02-01\nr2,Bo,bo@x.example,North,n,\nr3,Cy,cy@x.example,South,s,\n'
    expect(await run('reps', reps)).toMatchObject({ ok: true, counts: { changed: 3 } })
    const r1 = (await history('rep_history')).find((h) => h.after.hired_on === '2024-02-01')
    expect(r1).toEqual({
      before: expect.objectContaining({
        hired_on: null,
        fields: expect.objectContaining({ region: 'n', id: 'r1' }),
      }),
      after: expect.objectContaining({
        name: 'Ann',
        fields: expect.objectContaining({ hired_on: '2024-02-01' }),
      }),
    })
  })
})
