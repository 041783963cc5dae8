import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { fillEveryTable, genericInsert, tablesWithOrgId } from './fill-tables.ts'

const A = 'org-a'
const B = 'org-b'

let db: Database
let tables: string[]

beforeAll(async () => {
  db = await testDatabase()
  tables = await fillEveryTable(db, [A, B])
})
afterAll(async () => {
  await db.close()
})

/** The error of fn, or null when it succeeds. */
async function errorOf(fn: () => Promise<unknown>): Promise<string | null> {
  try {
    await fn()
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

describe('row-level security', () => {
  it('covers every table with org_id, including those of the other migrations', async () => {
    // Given the schema as migrated; then the tables the first migrations made are among them.
    expect(tables).toEqual(expect.arrayContaining(['deals', 'ledger_entries', 'jobs', 'webhook_deliveries']))
    const unprotected = await db.query<{ relname: string }>(
      `select c.relname from pg_class c
        where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
          and c.relname = any($1::text[]) and not (c.relrowsecurity and c.relforcerowsecurity)`,
      [tables],
    )
    expect(unprotected).toEqual([])
  })

  it('shows nothing of B to a scope of A, in every table, without any org filter', async () => {
    for (const table of await tablesWithOrgId(db)) {
      const rows = await withOrgScope(db, A, (tx) => tx.query<{ org_id: string }>(`select * from ${table}`))
      // A's own row is there (the test can fail), and no other.
      expect({ table, orgs: [...new Set(rows.map((r) => r.org_id))] }).toEqual({ table, orgs: [A] })
    }
    const orgs = await withOrgScope(db, A, (tx) => tx.query<{ id: string }>('select id from organizations'))
    expect(orgs).toEqual([{ id: A }])
  })

  it('shows nothing at all to the app role without an organization set', async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.exec('set local role followthrough_app')
      return tx.query<{ n: number }>('select count(*)::int as n from deals')
    })
    expect(rows).toEqual([{ n: 0 }])
  })

  it("refuses to insert B's rows from a scope of A, in every table", async () => {
    for (const table of tables) {
      const { sql, params } = await genericInsert(db, table, B)
      const error = await errorOf(() => withOrgScope(db, A, (tx) => tx.query(sql, params)))
      expect({ table, error }).toEqual({ table, error: expect.stringMatching(/row-level security/) })
    }
  })

  it("changes none of B's rows and cannot move A's rows to B", async () => {
    const changed = await withOrgScope(db, A, (tx) =>
      tx.query<{ id: string }>(`update deals set customer = 'moved' where org_id = $1 returning id`, [B]),
    )
    expect(changed).toEqual([])
    const deleted = await withOrgScope(db, A, (tx) => tx.query(`delete from reps returning org_id`))
    expect(deleted).toEqual([{ org_id: A }])
    const moved = await errorOf(() =>
      withOrgScope(db, A, (tx) => tx.query(`update deals set org_id = $1`, [B])),
    )
    expect(moved).toMatch(/row-level security/)
    const [b] = await db.query<{ n: number }>(`select count(*)::int as n from reps where org_id = $1`, [B])
    expect(b?.n).toBe(1)
  })

  it('refuses update, delete and truncate of ledger entries and other append-only tables', async () => {
    const appendOnly = [
      'ledger_entries',
      'ledger_heads',
      'audit_log',
      'deal_history',
      'outcome_events',
      'plan_acknowledgements',
      'dispute_events',
      'webhook_deliveries',
    ].filter((t) => tables.includes(t))
    expect(appendOnly.length).toBeGreaterThanOrEqual(6)
    for (const table of appendOnly) {
      for (const sql of [
        `update ${table} set org_id = org_id`,
        `delete from ${table}`,
        `truncate ${table}`,
      ]) {
        const error = await errorOf(() => withOrgScope(db, A, (tx) => tx.query(sql)))
        expect({ sql, error }).toEqual({ sql, error: expect.stringMatching(/permission denied/) })
      }
    }
  })

  it('runs migrations again on the same server without tripping over the existing role', async () => {
    // Given a second schema (PostgreSQL) or database (PGlite) migrated after this one: the role
    // made by the first is reused.
    const other = await testDatabase()
    try {
      const [role] = await other.query<{ n: number }>(
        `select count(*)::int as n from pg_roles where rolname = 'followthrough_app' and not rolsuper and not rolbypassrls`,
      )
      expect(role?.n).toBe(1)
    } finally {
      await other.close()
    }
  })
})
