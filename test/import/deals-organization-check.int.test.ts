import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

// Migration 0011 checks a deal's organization once per statement instead of a foreign key's check
// per row (ADR 0010): the same guarantee, both ways.
describe('the organization of deals', () => {
  let db: Database
  const deal = (org: string, id: string) =>
    db.query(`insert into deals (org_id, id, closed_on) values ($1, $2, '2026-01-05')`, [org, id])
  const org = (id: string) =>
    db.query(`insert into organizations (id, name, currency, timezone) values ($1, $1, 'USD', 'UTC')`, [id])

  beforeAll(async () => {
    db = await testDatabase()
    await org('acme')
    await org('empty')
    await deal('acme', 'A')
  })
  afterAll(() => db.close())

  it('refuses deals of an organization that does not exist, in a statement of many rows', async () => {
    await expect(
      db.query(
        `insert into deals (org_id, id, closed_on)
         select o, 'X' || n, '2026-01-05' from unnest(array['acme', 'nobody']) o, generate_series(1, 3) n`,
      ),
    ).rejects.toMatchObject({ code: '23503', message: expect.stringContaining("'nobody'") })
    expect(await db.query(`select id from deals order by id`)).toEqual([{ id: 'A' }])
  })

  it('refuses moving a deal to an organization that does not exist', async () => {
    await expect(db.query(`update deals set org_id = 'nobody' where id = 'A'`)).rejects.toMatchObject({
      code: '23503',
    })
    await db.query(`update deals set customer = 'Initech' where id = 'A'`)
  })

  it('refuses deleting an organization with deals or changing its id, and deletes one without', async () => {
    await expect(db.query(`delete from organizations where id = 'acme'`)).rejects.toMatchObject({
      code: '23503',
    })
    await expect(db.query(`update organizations set id = 'acme2' where id = 'acme'`)).rejects.toMatchObject({
      code: '23503',
    })
    await db.query(`update organizations set name = 'Acme Inc.' where id = 'acme'`)
    await db.query(`delete from organizations where id = 'empty'`)
    expect(await db.query(`select id, name from organizations order by id`)).toEqual([
      { id: 'acme', name: 'Acme Inc.' },
    ])
  })
})
