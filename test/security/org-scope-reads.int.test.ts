import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ROLE, readInOrgScope, withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

// Organization ids with a quote or a space are passed as parameters (the slower path): same answers.
const A = 'org-a'
const B = "org b's"

let db: Database

beforeAll(async () => {
  db = await testDatabase()
  for (const org of [A, B]) {
    await db.query('insert into organizations (id, name) values ($1, $1)', [org])
    await withOrgScope(db, org, (tx) =>
      tx.query(`insert into reps (org_id, id, manager) values ($1, 'r1', null), ($1, 'r2', 'r1')`, [org]),
    )
  }
})
afterAll(async () => {
  await db.close()
})

/** What the pool's connections run as (at once, so that every connection answers). */
async function poolSettings(): Promise<{ who: string; org: string | null }[]> {
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      db.query<{ who: string; org: string | null }>(
        `select current_user::text as who, nullif(current_setting('app.org_id', true), '') as org
           from pg_sleep(0.05)`,
      ),
    ),
  )
  return answers.flat()
}

describe('readInOrgScope', () => {
  it('reads as the app role with the organization set, without any org filter in the query', async () => {
    // Given reps r1 and r2 in A and in B; when A reads every rep; then only A's, under the app's role.
    const rows = await readInOrgScope<{ org_id: string; id: string; who: string }>(
      db,
      A,
      'select org_id, id, current_user::text as who from reps order by id',
      [],
    )
    expect(rows).toEqual([
      { org_id: A, id: 'r1', who: APP_ROLE },
      { org_id: A, id: 'r2', who: APP_ROLE },
    ])
    const other = await readInOrgScope<{ org_id: string }>(db, B, 'select org_id from reps', [])
    expect(other.map((r) => r.org_id)).toEqual([B, B])
  })

  it('answers as withOrgScope does with null, bigint, plain and other parameters', async () => {
    const sql = `select id, $2::bigint + 1 as next, $3::text is null as none from reps where manager = $1`
    for (const [org, params] of [
      [A, ['r1', 41n, null]],
      [A, ["r1' or true --", 41n, null]],
      [B, ['r1', 41n, null]],
    ] as const) {
      const scoped = await withOrgScope(db, org, (tx) => tx.query(sql, [...params]))
      expect(await readInOrgScope(db, org, sql, params)).toEqual(scoped)
    }
    expect(await readInOrgScope(db, A, sql, ['r1', 41n, null])).toEqual([{ id: 'r2', next: 42n, none: true }])
    expect(await readInOrgScope(db, A, sql, ["r1' or true --", 41n, null])).toEqual([])
  })

  it('leaves no connection in the scope, after a read and after a failed one', async () => {
    await Promise.all(Array.from({ length: 8 }, () => readInOrgScope(db, A, 'select id from reps', [])))
    await expect(readInOrgScope(db, A, 'select 1 / (count(*) - count(*)) from reps', [])).rejects.toThrow(
      /division by zero/,
    )
    const after = await poolSettings()
    expect(after.some((s) => s.who === APP_ROLE || s.org !== null)).toBe(false)
    // and the pool still answers
    expect(await readInOrgScope(db, A, 'select count(*)::int as n from reps', [])).toEqual([{ n: 2 }])
  })
})

describe('Database.transaction', () => {
  it('rolls back a first statement sent with its begin, and commits one that succeeds', async () => {
    await expect(
      withOrgScope(db, A, async (tx) => {
        await tx.exec(`insert into reps (org_id, id) values ('${A}', 'r3')`)
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    await expect(
      db.transaction(async (tx) => {
        await tx.exec(`insert into organizations (id, name) values ('org-c', 'C')`)
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect(await db.query(`select id from organizations where id = 'org-c'`)).toEqual([])
    expect(await db.transaction(async () => 'nothing sent')).toBe('nothing sent')
    await db.transaction((tx) => tx.exec(`insert into organizations (id, name) values ('org-c', 'C')`))
    expect(await db.query(`select id from organizations where id = 'org-c'`)).toEqual([{ id: 'org-c' }])
    const reps = await readInOrgScope<{ id: string }>(db, A, 'select id from reps order by id', [])
    expect(reps.map((r) => r.id)).toEqual(['r1', 'r2'])
  })
})
