import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../app/ports/sql.ts'
import { testDatabase } from '../../../test/support/db.ts'
import { openPostgres } from './postgres-database.ts'

const insertEntry = `insert into ledger_entries
  (org_id, seq, created_at, period, rep_id, kind, amount_minor, close_id, prev_hash, hash, ref)
  values ('o1', $1, now(), '2026-01', 'r1', 'commission', $2, 'c1', 'p', 'h', $3)`

describe('the database', () => {
  let db: Database
  beforeAll(async () => {
    db = await testDatabase()
    await db.query(`insert into organizations (id, name) values ('o1', 'One')`)
  })
  afterAll(() => db.close())

  it('round-trips bigint above 2^53 and JSON', async () => {
    const big = 2n ** 60n + 7n
    await db.query(insertEntry, [1, big, JSON.stringify({ a: [1, 'x'] })])
    const [row] = await db.query<{ amount_minor: bigint; ref: unknown }>(
      `select amount_minor, ref from ledger_entries where org_id = 'o1' and seq = 1`,
    )
    expect(row?.amount_minor).toBe(big)
    expect(row?.ref).toEqual({ a: [1, 'x'] })
  })

  it('sends bigint parameters exactly and returns every int8 as bigint, negative ones too', async () => {
    // Given 2^53 + 1, which a JavaScript number cannot hold, and a negative amount
    const [row] = await db.query<{ exact: boolean; negative: bigint; count: bigint }>(
      `select $1::bigint = 9007199254740993 as exact, $2::bigint as negative, count(*) as count
       from (values (1), (2)) as v(x)`,
      [2n ** 53n + 1n, -123456789012345678n],
    )
    // Then the server saw the exact value and every int8 comes back as bigint
    expect(row).toEqual({ exact: true, negative: -123456789012345678n, count: 2n })
  })

  it('returns numeric as its exact text', async () => {
    await db.query(`insert into reps (org_id, id) values ('o1', 'rq')`)
    await db.query(
      `insert into quotas (org_id, rep_id, period, metric, amount) values ('o1', 'rq', '2026-01', 'mrr', $1)`,
      ['1234.50'],
    )
    const [row] = await db.query<{ amount: unknown; third: unknown }>(
      `select amount, 1::numeric / 3 as third from quotas where org_id = 'o1' and rep_id = 'rq'`,
    )
    expect(row).toEqual({ amount: '1234.50', third: '0.33333333333333333333' })
  })

  it('keeps a bigint inside JSON exact when it is written as a string', async () => {
    const ref = { amountMinor: String(2n ** 62n + 3n), deals: ['d1', 'd2'] }
    await db.query(insertEntry, [2, 0n, JSON.stringify(ref)])
    const [row] = await db.query<{ ref: { amountMinor: string } }>(
      `select ref from ledger_entries where org_id = 'o1' and seq = 2`,
    )
    expect(row?.ref).toEqual(ref)
    expect(BigInt(row?.ref.amountMinor ?? '0')).toBe(2n ** 62n + 3n)
  })

  it('refuses to update or delete ledger entries', async () => {
    await expect(db.query(`update ledger_entries set amount_minor = 0 where org_id = 'o1'`)).rejects.toThrow(
      /append-only/,
    )
    await expect(db.query(`delete from ledger_entries where org_id = 'o1'`)).rejects.toThrow(/append-only/)
    const rows = await db.query<{ seq: bigint }>(
      `select seq from ledger_entries where org_id = 'o1' order by seq`,
    )
    expect(rows).toEqual([{ seq: 1n }, { seq: 2n }])
  })

  it('commits a transaction that resolves and returns its value', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.query(`insert into teams (org_id, name) values ('o1', 'South')`)
      return (await tx.query<{ n: bigint }>(`select count(*) as n from teams where org_id = 'o1'`))[0]?.n
    })
    expect(out).toBe(1n)
    expect(await db.query(`select name from teams where org_id = 'o1'`)).toEqual([{ name: 'South' }])
  })

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into teams (org_id, name) values ('o1', 'North')`)
        throw new Error('stop')
      }),
    ).rejects.toThrow('stop')
    expect(await db.query(`select name from teams where org_id = 'o1'`)).toEqual([{ name: 'South' }])
  })

  it('rolls back a transaction whose statement fails, with the error of the statement', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into teams (org_id, name) values ('o1', 'East')`)
        await tx.query(`insert into teams (org_id, name) values ('o1', 'South')`)
      }),
    ).rejects.toMatchObject({ code: '23505' })
    expect(await db.query(`select name from teams where org_id = 'o1'`)).toEqual([{ name: 'South' }])
  })

  it('returns dates as their local date text and instants as Date', async () => {
    await db.query(`insert into reps (org_id, id, hired_on) values ('o1', 'r1', '2026-01-16')`)
    const [row] = await db.query<{ hired_on: unknown; at: unknown }>(
      `select hired_on, '2026-01-16T23:30:00Z'::timestamptz as at from reps where org_id = 'o1' and id = 'r1'`,
    )
    expect(row?.hired_on).toBe('2026-01-16')
    expect(row?.at).toEqual(new Date('2026-01-16T23:30:00Z'))
  })

  it('parses arrays, numeric, dates and JSON the same on both engines', async () => {
    // Given every array type a query of ours reads, and parameters sent as arrays (unnest)
    const [row] = await db.query<Record<string, unknown>>(
      `select array[1, -9007199254740993]::int8[] as ints8, array[[1, 2], [3, null]]::int8[] as grid,
              array['1.50', '0.1']::numeric[] as amounts, array['2026-01-31']::date[] as days,
              array['a', null, 'c,d']::text[] as texts, array[1, 2]::int4[] as ints4,
              '{"a": [1, "x"]}'::jsonb as doc, 12.30::numeric as amount,
              (select array_agg(u.n order by u.n) from unnest($1::int8[]) as u(n)) as echoed,
              (select array_agg(u.t) from unnest($2::text[]) as u(t)) as texts_echoed`,
      [
        [5n, 2n ** 60n],
        ['x', null],
      ],
    )
    // Then int8 is bigint at any depth, numeric and dates exact text, the rest as JSON has them
    expect(row).toEqual({
      ints8: [1n, -9007199254740993n],
      grid: [
        [1n, 2n],
        [3n, null],
      ],
      amounts: ['1.50', '0.1'],
      days: ['2026-01-31'],
      texts: ['a', null, 'c,d'],
      ints4: [1, 2],
      doc: { a: [1, 'x'] },
      amount: '12.30',
      echoed: [5n, 2n ** 60n],
      texts_echoed: ['x', null],
    })
  })
})

describe.skipIf(process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '')(
  'the PostgreSQL pool',
  () => {
    const url = process.env.DATABASE_URL ?? ''
    const kill = async (pid: number): Promise<void> => {
      const admin = await openPostgres(url)
      try {
        await admin.query('select pg_terminate_backend($1)', [pid])
      } finally {
        await admin.close()
      }
    }

    it('survives an idle connection killed by the server, and the next query runs', async () => {
      // Given a pool with an idle connection
      const lost: Error[] = []
      const db = await openPostgres(url, undefined, (error) => lost.push(error))
      try {
        const [me] = await db.query<{ pid: number }>('select pg_backend_pid() as pid')
        // When the server ends it
        await kill(me?.pid ?? 0)
        for (let i = 0; i < 50 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
        // Then the loss is reported, not thrown, and a new connection serves the next query
        expect(lost).toHaveLength(1)
        expect(await db.query('select 1 as one')).toEqual([{ one: 1 }])
      } finally {
        await db.close()
      }
    })

    it('fails a transaction whose connection dies, and keeps working after it', async () => {
      const db = await openPostgres(url, undefined, () => {})
      try {
        await expect(
          db.transaction(async (tx) => {
            const [me] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid')
            await kill(me?.pid ?? 0)
            await new Promise((r) => setTimeout(r, 100))
            await tx.query('select 1')
          }),
        ).rejects.toThrow()
        expect(await db.query('select 2 as two')).toEqual([{ two: 2 }])
      } finally {
        await db.close()
      }
    })
  },
)
