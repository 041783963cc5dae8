import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { loadMapping } from '../../src/adapters/import/load-mapping.ts'
import { importFile, type ImportOptions } from '../../src/app/import/import-file.ts'
import type { ImportSource } from '../../src/app/import/import-source.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import type { Mapping } from '../../src/core/imports/mapping.ts'
import { testDatabase } from '../support/db.ts'

const read = (path: string): string => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')
const example = (name: string): string => read(`../../examples/${name}`)
// 23:30 in Chicago on 2 April is 04:30 UTC on 3 April: the import date is the organization's.
const now = new Date('2026-04-03T04:30:00Z')

describe('importFile', () => {
  let db: Database
  const run = (kind: ImportOptions['kind'], name: string, text: string, more: Partial<ImportOptions> = {}) =>
    importFile(db, { orgId: 'acme', kind, file: textSource(name, text), actor: 'ann', now, ...more })
  const count = async (table: string): Promise<number> =>
    Number(
      (await db.query<{ n: number }>(`select count(*)::int as n from ${table} where org_id = 'acme'`))[0]?.n,
    )

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(
      `insert into organizations (id, name, currency, timezone) values ('acme', 'Acme', 'USD', 'America/Chicago')`,
    )
    for (const file of ['plan.yaml', 'manager-plan.yaml']) {
      await publishPlan(db, { orgId: 'acme', text: example(file), file, actor: 'ann', now })
    }
  })
  afterAll(() => db.close())

  it('puts reps with a plan column on that plan from their hiring date, or the import date without one', async () => {
    const reps = `${example('reps.csv').trimEnd()}\nr13,Mo Diaz,mo@northwind-msp.example,m1,North,msp-ae,,\n`
    const out = await run('reps', 'reps.csv', reps)
    // every rep but d1 (no plan) is assigned
    expect(out).toMatchObject({ ok: true, counts: { added: 16, assigned: 15 }, unpublishedPlans: [] })
    const rows = await db.query<{
      rep_id: string
      plan_id: string
      valid_from: string
      valid_to: string | null
    }>(
      `select rep_id, plan_id, valid_from, valid_to from plan_assignments
        where org_id = 'acme' and rep_id in ('m1', 'r01', 'r13') order by rep_id`,
    )
    expect(rows).toEqual([
      { rep_id: 'm1', plan_id: 'msp-mgr', valid_from: '2020-08-15', valid_to: null },
      { rep_id: 'r01', plan_id: 'msp-ae', valid_from: '2021-04-06', valid_to: null },
      { rep_id: 'r13', plan_id: 'msp-ae', valid_from: '2026-04-02', valid_to: null },
    ])
  })

  it('assigns nobody again on the same file, and moves a rep whose plan changed from the import date', async () => {
    const reps = example('reps.csv')
    expect(await run('reps', 'reps.csv', reps)).toMatchObject({
      ok: true,
      counts: { changed: 0, assigned: 0 },
    })
    const moved = reps.replace(
      'r02,Ben Okafor,ben.okafor@northwind-msp.example,m1,North,msp-ae',
      'r02,Ben Okafor,ben.okafor@northwind-msp.example,m1,North,msp-mgr',
    )
    expect(await run('reps', 'reps.csv', moved)).toMatchObject({
      ok: true,
      counts: { changed: 1, unchanged: 14, assigned: 1 },
    })
    expect(
      await db.query(
        `select plan_id, valid_from, valid_to from plan_assignments where org_id = 'acme' and rep_id = 'r02' order by valid_from`,
      ),
    ).toEqual([
      { plan_id: 'msp-ae', valid_from: '2023-09-14', valid_to: '2026-04-01' },
      { plan_id: 'msp-mgr', valid_from: '2026-04-02', valid_to: null },
    ])
    const [history] = await db.query<{
      before: { plan: string }
      after: { plan: string }
      changed_by: string
    }>(`select before, after, changed_by from rep_history where org_id = 'acme' and rep_id = 'r02'`)
    expect(history).toMatchObject({
      before: { plan: 'msp-ae' },
      after: { plan: 'msp-mgr' },
      changed_by: 'ann',
    })
    await run('reps', 'reps.csv', reps)
  })

  it('stores nothing and lists every problem at its line when a file has bad rows', async () => {
    const text =
      'id,rep,closed_on,mrr\nd1,r01,2026-01-05,100\nd2,r99,2026-01-05,100\nd3,r01,2026-02-30,5\nd4,r01:60;r02:30,2026-01-05,1\n'
    expect(await run('deals', 'deals.csv', text)).toMatchObject({
      ok: false,
      more: 0,
      issues: [
        { file: 'deals.csv', line: 3, message: 'unknown rep "r99"' },
        { file: 'deals.csv', line: 4, message: expect.stringContaining('"2026-02-30" is not a date') },
        { file: 'deals.csv', line: 5, message: 'shares add up to 90, not 100' },
      ],
    })
    expect(await count('deals')).toBe(0)
  })

  it('reports a bad row of an export at its line in the export, naming its column', async () => {
    const loaded = loadMapping('hubspot-deals')
    const mapping = (loaded.ok ? loaded.mapping : null) as Mapping
    const text = read('../fixtures/imports/hubspot-deals.csv').replace('"2026-02-11"', '"2026-02-31"')
    expect(await run('deals', 'hubspot.csv', text, { mapping })).toMatchObject({
      ok: false,
      issues: [
        {
          line: 9,
          message:
            'Close Date "2026-02-31" is not a date in the format YYYY-MM-DD HH:mm:ss or YYYY-MM-DD HH:mm or YYYY-MM-DD',
        },
      ],
    })
    expect(await count('deals')).toBe(0)
  })

  it('changes nothing when the same file is imported twice', async () => {
    const deals = example('deals.csv')
    expect(await run('deals', 'deals.csv', deals, { batchSize: 64 })).toMatchObject({
      ok: true,
      stored: true,
      counts: { rows: 420, added: 420, changed: 0, unchanged: 0 },
    })
    expect(await run('deals', 'deals.csv', deals, { batchSize: 64 })).toMatchObject({
      ok: true,
      counts: { rows: 420, added: 0, changed: 0, unchanged: 420 },
    })
    expect(await count('deal_history')).toBe(0)
    expect(await count('deal_credits')).toBe(471) // the shares of 420 deals, 38 of them split
    const imports = await db.query(
      `select added, unchanged from imports where org_id = 'acme' and kind = 'deals'`,
    )
    expect(imports).toEqual([
      { added: 420, unchanged: 0 },
      { added: 0, unchanged: 420 },
    ])
  })

  it('updates a changed row, replaces its credits and keeps one history row with before and after', async () => {
    const text = 'id,rep,closed_on,mrr,type,region\nX1,r01:50;r02:50,2026-03-03,1000.00,managed,north\n'
    expect(await run('deals', 'x.csv', text)).toMatchObject({ ok: true, counts: { added: 1 } })
    const changed = text.replace('r01:50;r02:50', 'r01:60;r02:40').replace('1000.00', '1200.00')
    const out = await run('deals', 'x.csv', changed)
    expect(out).toMatchObject({ ok: true, counts: { added: 0, changed: 1, unchanged: 0 } })
    expect(
      await db.query(
        `select rep_id, share_micro from deal_credits where org_id = 'acme' and deal_id = 'X1' order by rep_id`,
      ),
    ).toEqual([
      { rep_id: 'r01', share_micro: 600000 },
      { rep_id: 'r02', share_micro: 400000 },
    ])
    const history = await db.query(
      `select changed_by, changed_at::text <> '' as dated, before, after, import_id from deal_history where org_id = 'acme' and deal_id = 'X1'`,
    )
    expect(history).toEqual([
      {
        changed_by: 'ann',
        dated: true,
        before: expect.objectContaining({
          mrr_minor: '100000',
          rep: 'r01:50;r02:50',
          fields: { region: 'north' },
        }),
        after: expect.objectContaining({
          mrr_minor: '120000',
          rep: 'r01:60;r02:40',
          closed_on: '2026-03-03',
        }),
        import_id: out.ok ? out.importId : null,
      },
    ])
  })

  it('imports activities and quotas as calc reads them', async () => {
    expect(await run('activities', 'activities.csv', example('activities.csv'))).toMatchObject({ ok: true })
    expect(await run('quotas', 'quotas.csv', example('quotas.csv'))).toMatchObject({ ok: true })
    const again = await run('quotas', 'quotas.csv', example('quotas.csv').replace(/\.00$/gm, ''))
    expect(again.ok && again.counts.changed).toBe(0) // 20000.00 and 20000 are the same quota
    expect(
      await run('quotas', 'quotas.csv', 'rep,period,metric,amount\nr01,2026-Q1,calls,10\n'),
    ).toMatchObject({
      ok: false,
      issues: [{ line: 2, message: 'period 2026-Q1 is a quarter, but plan msp-ae is monthly' }],
    })
  })

  it('stores nothing on a preview, yet tells what would change and shows the first rows', async () => {
    const before = await count('deals')
    const text = 'id,rep,closed_on,amount\nP1,r01,2026-04-01,10\nD001,r11,2026-01-01,2600.00\n'
    const out = await run('deals', 'p.csv', text, { preview: true })
    expect(out).toMatchObject({
      ok: true,
      stored: false,
      counts: { added: 1, changed: 1 },
      preview: {
        header: ['id', 'rep', 'closed_on', 'amount'],
        rows: [
          ['P1', 'r01', '2026-04-01', '10'],
          ['D001', 'r11', '2026-01-01', '2600.00'],
        ],
      },
    })
    expect(await count('deals')).toBe(before)
    expect(await db.query(`select 1 from imports where org_id = 'acme' and file_name = 'p.csv'`)).toEqual([])
  })

  it('reads the file once, storing the rows it checked (ADR 0010)', async () => {
    let reads = 0
    const inner = (text: string) => textSource('moving.csv', text)
    const file: ImportSource = {
      name: 'moving.csv',
      read: (sink) =>
        (reads++ === 0
          ? inner('id,rep,closed_on\nM1,r01,2026-01-01\n')
          : inner('id,rep,closed_on\nM1,r02,2026-01-01\n')
        ).read(sink),
    }
    const out = await importFile(db, { orgId: 'acme', kind: 'deals', file, actor: 'ann', now })
    expect(out).toMatchObject({ ok: true, counts: { added: 1 } })
    expect(reads).toBe(1)
    expect(
      await db.query(`select rep_id from deal_credits where org_id = 'acme' and deal_id = 'M1'`),
    ).toEqual([{ rep_id: 'r01' }])
  })
})
