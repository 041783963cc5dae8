import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { importFile, type ImportOptions } from '../../src/app/import/import-file.ts'
import type { ImportSource } from '../../src/app/import/import-source.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

const now = new Date('2026-04-03T04:30:00Z')

/** CSV without quotes fed a line at a time, each line a chunk: earlier batches are stored before later lines are read. */
function lineByLine(name: string, text: string): ImportSource & { readonly linesRead: number } {
  let linesRead = 0
  return {
    name,
    get linesRead() {
      return linesRead
    },
    read: async (sink) => {
      let bytes = 0
      for (const [i, line] of text.split('\n').entries()) {
        sink.record(line.split(','), i + 1)
        linesRead++
        bytes += line.length + 1
        await sink.flush(bytes)
      }
      return 'hash'
    },
  }
}

// The file is read once: rows are checked and stored batch by batch in one transaction, which is
// rolled back when any row has a problem (ADR 0010).
describe('importFile reads once and stores while it checks', () => {
  let db: Database
  const run = (kind: ImportOptions['kind'], name: string, text: string) =>
    importFile(db, { orgId: 'acme', kind, file: textSource(name, text), actor: 'ann', now, batchSize: 2 })
  const runLines = (name: string, text: string) =>
    importFile(db, {
      orgId: 'acme',
      kind: 'deals',
      file: lineByLine(name, text),
      actor: 'ann',
      now,
      batchSize: 2,
    })
  const count = async (sql: string): Promise<number> =>
    Number((await db.query<{ n: number }>(`select count(*)::int as n from ${sql}`))[0]?.n)

  beforeAll(async () => {
    db = await testDatabase()
    await db.query(
      `insert into organizations (id, name, currency, timezone) values ('acme', 'Acme', 'USD', 'UTC')`,
    )
    const reps = 'id,name,email,team\nr1,Ann,ann@x.example,North\nr2,Bo,bo@x.example,North\n'
    expect(await run('reps', 'reps.csv', reps)).toMatchObject({ ok: true, counts: { added: 2 } })
  })
  afterAll(() => db.close())

  const good = [
    'id,rep,closed_on,amount',
    'A,r1,2026-01-05,100.00',
    'B,r1:50;r2:50,2026-01-06,200.00',
    'C,r2,2026-01-07,300.00',
    'D,r1,2026-01-08,400.00',
    'E,r2,2026-01-09,500.00',
  ]

  it('stores nothing and lists every problem when the problems come after batches were stored', async () => {
    // Given three batches of two rows that check, then two bad rows
    const text = [...good, 'F,r9,2026-01-10,1.00', 'G,r1,2026-13-01,1.00', 'A,r1,2026-01-11,1.00'].join('\n')
    // When it is imported
    const out = await runLines('late.csv', text)
    // Then every problem is listed at its line, and nothing of the file is stored
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.issues.map((i) => [i.file, i.line])).toEqual([
      ['late.csv', 7],
      ['late.csv', 8],
      ['late.csv', 9],
    ])
    expect(out.issues[2]?.message).toMatch(/duplicate id "A"/)
    expect(await count(`deals where org_id = 'acme'`)).toBe(0)
    expect(await count(`deal_credits where org_id = 'acme'`)).toBe(0)
    expect(await count(`imports where org_id = 'acme' and file_name = 'late.csv'`)).toBe(0)
  })

  it('updates nothing and keeps no history when a re-import has a problem after changed rows', async () => {
    // Given the deals stored
    expect(await run('deals', 'deals.csv', good.join('\n'))).toMatchObject({
      ok: true,
      counts: { rows: 5, added: 5 },
    })
    // When a file changing the first rows, with a bad last row, is imported
    const changed = [
      good[0],
      'A,r2,2026-01-05,150.00',
      'B,r1,2026-01-06,250.00',
      'C,r2,2026-01-07,350.00',
      'D,r1,2026-01-08,450.00',
      'E,r2,2026-01-09,not money',
    ].join('\n')
    const out = await runLines('changed.csv', changed)
    // Then it is refused at its line, and the stored rows, credits and history are as before
    expect(out).toMatchObject({ ok: false, issues: [{ file: 'changed.csv', line: 6 }] })
    expect(
      await db.query(`select id, amount_minor::text as amount from deals where org_id = 'acme' order by id`),
    ).toEqual([
      { id: 'A', amount: '10000' },
      { id: 'B', amount: '20000' },
      { id: 'C', amount: '30000' },
      { id: 'D', amount: '40000' },
      { id: 'E', amount: '50000' },
    ])
    expect(await db.query(`select rep_id from deal_credits where org_id = 'acme' and deal_id = 'A'`)).toEqual(
      [{ rep_id: 'r1' }],
    )
    expect(await count(`deal_history where org_id = 'acme'`)).toBe(0)
  })

  it('stores a file whose every row checks, whatever its batches', async () => {
    // Given the same rows with one changed, as a file of more rows than a batch
    const text = [...good.slice(0, 5), 'E,r2,2026-01-09,500.01', 'F,r1,2026-01-10,1.00'].join('\n')
    // When it is imported
    const out = await runLines('more.csv', text)
    // Then the new row is added and the changed one updated with its history
    expect(out).toMatchObject({ ok: true, counts: { rows: 6, added: 1, changed: 1, unchanged: 4 } })
    expect(await count(`deal_history where org_id = 'acme'`)).toBe(1)
  })

  it('stops reading and stores nothing when the database refuses a batch of a file without problems', async () => {
    // Given a database that refuses deal Z (a trigger standing in for any failure of a write)
    await db.exec(`create function refuse_z() returns trigger language plpgsql as $$
      begin if new.id = 'Z' then raise exception 'deal Z refused'; end if; return new; end $$;
      create trigger refuse_z before insert on deals for each row execute function refuse_z();`)
    const before = await count(`deals where org_id = 'acme'`)
    const rows = Array.from({ length: 40 }, (_, i) => `Z${i},r1,2026-02-01,1.00`)
    const file = lineByLine(
      'refused.csv',
      ['id,rep,closed_on,amount', 'Z,r1,2026-02-01,1.00', ...rows].join('\n'),
    )
    // When it is imported
    const out = importFile(db, { orgId: 'acme', kind: 'deals', file, actor: 'ann', now, batchSize: 2 })
    // Then the error is thrown, the file is not read to its end, and nothing is stored
    await expect(out).rejects.toThrow(/deal Z refused/)
    expect(file.linesRead).toBeLessThan(42)
    expect(await count(`deals where org_id = 'acme'`)).toBe(before)
    await db.exec(`drop trigger refuse_z on deals; drop function refuse_z();`)
  })
})
