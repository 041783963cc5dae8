import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Database, Queryable } from '../../app/ports/sql.ts'

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

/** A migration file `NNNN-name.sql`: version `NNNN`, name `name`, checksum the sha-256 of its SQL. */
export interface Migration {
  readonly version: string
  readonly name: string
  readonly sql: string
  readonly checksum: string
}

/** A migration problem that stops the program: the schema and the code do not agree. */
export class MigrationError extends Error {
  constructor(
    readonly code: 'database.migration_changed' | 'database.migration_duplicate',
    message: string,
    readonly details: { readonly migration: string },
  ) {
    super(message)
    this.name = 'MigrationError'
  }
}

/** Builds a migration from its file name and text; line endings do not count in the checksum. */
export function toMigration(file: string, text: string): Migration {
  const sql = text.replace(/\r\n/g, '\n')
  return {
    version: file.slice(0, 4),
    name: file.slice(5, -4),
    sql,
    checksum: createHash('sha256').update(sql).digest('hex'),
  }
}

/** The migration files of this program (or of `dir`), in order; two files of one version are refused. */
export function loadMigrations(dir: string = DIR): Migration[] {
  const list = readdirSync(dir)
    .filter((f) => /^\d{4}-.+\.sql$/.test(f))
    .sort()
    .map((file) => toMigration(file, readFileSync(join(dir, file), 'utf8')))
  list.forEach((m, i) => {
    const before = list[i - 1]
    if (before?.version === m.version) {
      throw new MigrationError(
        'database.migration_duplicate',
        `Migrations ${label(before)} and ${label(m)} have the same number; renumber the newer one.`,
        { migration: label(m) },
      )
    }
  })
  return list
}

const label = (m: Pick<Migration, 'version' | 'name'>): string => `${m.version}-${m.name}`

const inOrder = (migrations: readonly Migration[]): Migration[] =>
  [...migrations].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))

// Outside any organization's data: the one table without org_id.
const TABLE = `create table schema_migrations (
  version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`

// Taken by every migrate() (PostgreSQL and PGlite alike), so processes starting together on one
// database apply each migration once: the others wait, then find it applied.
const LOCK_KEY = 7201552

type Applied = ReadonlyMap<string, { readonly name: string; readonly checksum: string }>

/** Applied migrations by version, with their checksums; null before the first migration. */
async function readApplied(db: Queryable): Promise<Applied | null> {
  const [table] = await db.query<{ name: string | null }>(
    `select to_regclass('schema_migrations')::text as name`,
  )
  if (table?.name == null) return null
  const rows = await db.query<{ version: string; name: string; checksum: string }>(
    'select version, name, checksum from schema_migrations order by version',
  )
  return new Map(rows.map((r) => [r.version, { name: r.name, checksum: r.checksum }]))
}

/** Throws when a migration was changed after it was applied. */
function verify(applied: Applied, migrations: readonly Migration[]): void {
  for (const m of migrations) {
    const sum = applied.get(m.version)?.checksum
    if (sum !== undefined && sum !== m.checksum) {
      throw new MigrationError(
        'database.migration_changed',
        `Migration ${label(m)} was changed after it was applied; add a new migration instead.`,
        { migration: label(m) },
      )
    }
  }
}

/**
 * Migrations not applied yet, as `NNNN-name`; throws MigrationError when an applied one was
 * changed since. Reads only (for a readiness check).
 */
export async function pendingMigrations(
  db: Queryable,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<string[]> {
  const applied = (await readApplied(db)) ?? new Map()
  verify(applied, migrations)
  return inOrder(migrations)
    .filter((m) => !applied.has(m.version))
    .map(label)
}

/**
 * Applies pending migrations in order, each in its own transaction together with its
 * schema_migrations row, under an advisory lock; refuses to run when an applied one was changed.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<{ applied: string[] }> {
  const ordered = inOrder(migrations)
  const applied: string[] = []
  for (;;) {
    const next = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1::bigint)', [LOCK_KEY])
      const done = await readApplied(tx)
      if (done !== null) verify(done, ordered)
      const m = ordered.find((x) => done?.has(x.version) !== true)
      if (m === undefined) return null
      if (done === null) await tx.exec(TABLE)
      await tx.exec(m.sql)
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ])
      return label(m)
    })
    if (next === null) return { applied }
    applied.push(next)
  }
}
