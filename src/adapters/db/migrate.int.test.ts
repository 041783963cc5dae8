import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../app/ports/sql.ts'
import { testDatabase } from '../../../test/support/db.ts'
import { loadMigrations, migrate, pendingMigrations, toMigration } from './migrate.ts'

const exists = async (db: Database, table: string): Promise<boolean> =>
  (await db.query<{ t: string | null }>(`select to_regclass($1)::text as t`, [table]))[0]?.t != null

describe('migrate', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
  })
  afterAll(() => db.close())

  it('has applied every migration file once, with its checksum', async () => {
    const rows = await db.query(`select version, name, checksum from schema_migrations order by version`)
    expect(rows).toEqual(loadMigrations().map(({ version, name, checksum }) => ({ version, name, checksum })))
    expect(await pendingMigrations(db)).toEqual([])
    expect(await migrate(db)).toEqual({ applied: [] })
  })

  it('applies a new migration once, after the others', async () => {
    const list = [...loadMigrations(), toMigration('9001-probe.sql', 'create table probe_9001 (id int);')]
    expect(await pendingMigrations(db, list)).toEqual(['9001-probe'])
    expect(await migrate(db, list)).toEqual({ applied: ['9001-probe'] })
    expect(await migrate(db, list)).toEqual({ applied: [] })
    expect(await pendingMigrations(db, list)).toEqual([])
    expect(await exists(db, 'probe_9001')).toBe(true)
  })

  it('leaves nothing of a migration that fails', async () => {
    const broken = toMigration(
      '9002-broken.sql',
      'create table probe_9002 (id int);\nselect no_such_function();',
    )
    await expect(migrate(db, [...loadMigrations(), broken])).rejects.toThrow(/no_such_function/)
    expect(await exists(db, 'probe_9002')).toBe(false)
    expect(await db.query(`select version from schema_migrations where version = '9002'`)).toEqual([])
  })

  it('refuses to run when an applied migration was changed', async () => {
    // Given 0001 as applied, and the same file edited since
    const [first, ...rest] = loadMigrations()
    if (first === undefined) throw new Error('no migrations')
    const edited = toMigration('0001-initial.sql', `${first.sql}\n-- an edit after the fact\n`)
    const list = [edited, ...rest, toMigration('9003-probe.sql', 'create table probe_9003 (id int);')]
    // Then nothing runs, and the edited migration is named
    const refusal = { code: 'database.migration_changed', details: { migration: '0001-initial' } }
    await expect(migrate(db, list)).rejects.toMatchObject(refusal)
    await expect(pendingMigrations(db, list)).rejects.toMatchObject(refusal)
    expect(await exists(db, 'probe_9003')).toBe(false)
  })

  it('counts a migration the same whatever its line endings', () => {
    const lf = toMigration('0009-x.sql', 'create table x (id int);\ncreate index on x (id);\n')
    const crlf = toMigration('0009-x.sql', 'create table x (id int);\r\ncreate index on x (id);\r\n')
    expect(crlf.checksum).toBe(lf.checksum)
  })

  it('refuses two migration files of one number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ft-migrations-'))
    try {
      writeFileSync(join(dir, '0001-a.sql'), 'select 1;')
      writeFileSync(join(dir, '0002-b.sql'), 'select 1;')
      writeFileSync(join(dir, '0002-c.sql'), 'select 1;')
      expect(() => loadMigrations(dir)).toThrow(
        expect.objectContaining({ code: 'database.migration_duplicate', details: { migration: '0002-c' } }),
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('migrate, several at once', () => {
  it('applies each migration once when processes start together on an empty database', async () => {
    // Given a database without schema_migrations (as before the first start)
    const db = await testDatabase()
    try {
      await db.exec('drop table schema_migrations')
      const list = [
        toMigration('0001-a.sql', 'create table probe_a (id int);'),
        toMigration('0002-b.sql', 'create table probe_b (id int);'),
      ]
      // When three migrate at once (separate connections on PostgreSQL)
      const runs = await Promise.all([migrate(db, list), migrate(db, list), migrate(db, list)])
      // Then each migration was applied exactly once, and in order
      expect(runs.flatMap((r) => r.applied).sort()).toEqual(['0001-a', '0002-b'])
      const rows = await db.query(`select version from schema_migrations order by applied_at, version`)
      expect(rows).toEqual([{ version: '0001' }, { version: '0002' }])
    } finally {
      await db.close()
    }
  })
})
