import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../app/ports/sql.ts'
import { testDatabase } from '../../../test/support/db.ts'
import { migrate, pendingMigrations } from './migrate.ts'
import { openDatabase } from './open-database.ts'

describe('the database', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await db.query(`insert into organizations (id, name) values ('o1', 'One')`)
  })
  afterAll(() => db.close())

  it('applies every migration once', async () => {
    expect(await pendingMigrations(db)).toEqual([])
    expect((await migrate(db)).applied).toEqual([])
  })

  it('round-trips bigint above 2^53 and JSON', async () => {
    const big = 2n ** 60n + 7n
    await db.query(
      `insert into ledger_entries (org_id, seq, created_at, period, rep_id, kind, amount_minor, close_id, prev_hash, hash, ref)
       values ('o1', 1, now(), '2026-01', 'r1', 'commission', $1, 'c1', 'p', 'h', $2)`,
      [big, JSON.stringify({ a: [1, 'x'] })],
    )
    const [row] = await db.query<{ amount_minor: bigint; ref: unknown }>(
      `select amount_minor, ref from ledger_entries where org_id = 'o1' and seq = 1`,
    )
    expect(row?.amount_minor).toBe(big)
    expect(row?.ref).toEqual({ a: [1, 'x'] })
  })

  it('refuses to update or delete ledger entries', async () => {
    await expect(db.query(`update ledger_entries set amount_minor = 0 where org_id = 'o1'`)).rejects.toThrow(
      /append-only/,
    )
    await expect(db.query(`delete from ledger_entries where org_id = 'o1'`)).rejects.toThrow(/append-only/)
  })

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into teams (org_id, name) values ('o1', 'North')`)
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect(await db.query(`select * from teams where org_id = 'o1'`)).toEqual([])
  })

  it('returns dates as their local date text', async () => {
    await db.query(`insert into reps (org_id, id, hired_on) values ('o1', 'r1', '2026-01-16')`)
    const [row] = await db.query<{ hired_on: unknown }>(`select hired_on from reps where org_id = 'o1'`)
    expect(row?.hired_on).toBe('2026-01-16')
  })
})

describe('openDatabase', () => {
  const dir = mkdtempSync(join(tmpdir(), 'followthrough-data-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('keeps data across close and reopen and lets one process hold the folder', async () => {
    const first = await openDatabase({ dataDir: dir, url: '' })
    await first.query(`insert into organizations (id, name) values ('kept', 'Kept')`)
    await expect(openDatabase({ dataDir: dir, url: '' })).rejects.toThrow(/already open in this process/)
    await first.close()
    const again = await openDatabase({ dataDir: dir, url: '' })
    expect(await again.query(`select id from organizations`)).toEqual([{ id: 'kept' }])
    await again.close()
  })

  it('refuses a folder held by another live process and takes over a stale lock', async () => {
    writeFileSync(join(dir, 'followthrough.lock'), String(process.ppid))
    await expect(openDatabase({ dataDir: dir, url: '' })).rejects.toThrow(
      /in use by another followthrough process/,
    )
    writeFileSync(join(dir, 'followthrough.lock'), '999999999')
    const db = await openDatabase({ dataDir: dir, url: '' })
    await db.close()
  })
})
