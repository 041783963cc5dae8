import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Database } from '../../app/ports/sql.ts'

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

interface Migration {
  readonly version: string
  readonly name: string
  readonly sql: string
  readonly checksum: string
}

function migrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}-.+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(DIR + file, 'utf8')
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      }
    })
}

const TABLE = `create table if not exists schema_migrations (
  version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`

/** Migrations not applied yet, by file name; throws when an applied one was changed since. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  await db.exec(TABLE)
  const applied = new Map(
    (
      await db.query<{ version: string; checksum: string }>('select version, checksum from schema_migrations')
    ).map((r) => [r.version, r.checksum]),
  )
  const pending: string[] = []
  for (const m of migrations()) {
    const sum = applied.get(m.version)
    if (sum === undefined) pending.push(`${m.version}-${m.name}`)
    else if (sum !== m.checksum) {
      throw new Error(
        `Migration ${m.version}-${m.name} was changed after it was applied; add a new migration instead.`,
      )
    }
  }
  return pending
}

/** Applies pending migrations in order, each in its own transaction (PostgreSQL: one process at a time). */
export async function migrate(db: Database): Promise<{ applied: string[] }> {
  const applied: string[] = []
  if ((await pendingMigrations(db)).length === 0) return { applied }
  for (const m of migrations()) {
    await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('select pg_advisory_xact_lock(7201552)')
      const done = await tx.query('select 1 from schema_migrations where version = $1', [m.version])
      if (done.length > 0) return
      await tx.exec(m.sql)
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ])
      applied.push(`${m.version}-${m.name}`)
    })
  }
  return { applied }
}
