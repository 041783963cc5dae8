import type { Queryable } from '../../src/app/ports/sql.ts'

/** The tables of the current schema with an org_id column, by name. */
export async function tablesWithOrgId(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and c.column_name = 'org_id' and t.table_type = 'BASE TABLE'
      order by 1`,
  )
  return rows.map((r) => r.table_name)
}

interface Column {
  name: string
  type: string
  nullable: boolean
  hasDefault: boolean
}

/**
 * A row for any table, built from the catalog: 'x' in every text column (so that foreign keys
 * between tables meet: every id is 'x'), the first literal of a check constraint where a column has
 * one, and a plain value of each other type. Returns the INSERT and its parameters.
 */
export async function genericInsert(
  db: Queryable,
  table: string,
  orgId: string,
): Promise<{ sql: string; params: unknown[] }> {
  const columns = await db.query<Column>(
    `select column_name as name, data_type as type, is_nullable = 'YES' as nullable,
            column_default is not null as "hasDefault"
       from information_schema.columns where table_schema = current_schema() and table_name = $1
      order by ordinal_position`,
    [table],
  )
  const checks = await db.query<{ def: string }>(
    `select pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = $1::regclass and contype = 'c'`,
    [table],
  )
  const names: string[] = []
  const params: unknown[] = []
  for (const c of columns) {
    if (c.name !== 'org_id' && c.hasDefault) continue
    names.push(c.name)
    params.push(
      c.name === 'org_id'
        ? orgId
        : valueOf(
            c,
            checks.map((k) => k.def),
          ),
    )
  }
  return {
    sql: `insert into ${table} (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    params,
  }
}

function valueOf(c: Column, checks: readonly string[]): unknown {
  const check = checks.find((d) => new RegExp(`\\b${c.name}\\b`).test(d) && d.includes("'"))
  const literal = check === undefined ? undefined : /'([^']*)'/.exec(check)?.[1]
  if (literal !== undefined && /text|char/.test(c.type)) return literal
  if (/text|char/.test(c.type)) return 'x'
  if (/int|numeric/.test(c.type)) return 1
  if (c.type === 'boolean') return false
  if (c.type === 'date') return '2026-01-01'
  if (/timestamp/.test(c.type)) return '2026-01-01T00:00:00Z'
  if (c.type === 'jsonb' || c.type === 'json') return '{}'
  if (c.type === 'ARRAY') return '{}'
  if (c.nullable) return null
  throw new Error(`no test value for ${c.name} of type ${c.type}`)
}

/**
 * One row of each organization in every table with org_id, inserted as the owner (no row-level
 * security); parents before children, found by retrying what a foreign key refused.
 */
export async function fillEveryTable(db: Queryable, orgIds: readonly string[]): Promise<string[]> {
  for (const id of orgIds)
    await db.query(`insert into organizations (id, name) values ($1, $1) on conflict do nothing`, [id])
  let pending = await tablesWithOrgId(db)
  const all = [...pending]
  while (pending.length > 0) {
    const failed: { table: string; error: unknown }[] = []
    for (const table of pending) {
      try {
        for (const orgId of orgIds) {
          const { sql, params } = await genericInsert(db, table, orgId)
          await db.query(`${sql} on conflict do nothing`, params)
        }
      } catch (error) {
        failed.push({ table, error })
      }
    }
    if (failed.length === pending.length) {
      throw new Error(`cannot fill ${failed.map((f) => `${f.table}: ${String(f.error)}`).join('; ')}`)
    }
    pending = failed.map((f) => f.table)
  }
  return all
}
