import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arrayLiteral } from '../../src/app/import/upsert-rows.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

// Batches are sent as array literals written by arrayLiteral (ADR 0010): PostgreSQL must read
// back exactly the values written, whatever their characters.
describe('arrayLiteral', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
  })
  afterAll(() => db.close())

  it('writes text that PostgreSQL reads back unchanged, NULL included', async () => {
    const values = ['a', 'b"c', 'd\\e', '\\"', '', 'NULL', null, ' x ', '{}', 'a,b', 'Zoë {ü}', '"quoted"']
    const [row] = await db.query<{ back: (string | null)[] }>('select $1::text[] as back', [
      arrayLiteral(values),
    ])
    expect(row?.back).toEqual(values)
  })

  it('writes numbers as PostgreSQL reads them', async () => {
    const [row] = await db.query<{ back: string }>("select array_to_string($1::int[], ';') as back", [
      arrayLiteral([1_000_000, 0, -5, 333_333]),
    ])
    expect(row?.back).toBe('1000000;0;-5;333333')
  })
})
