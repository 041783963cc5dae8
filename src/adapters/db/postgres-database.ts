import pg from 'pg'
import type { Database, Queryable } from '../../app/ports/sql.ts'

const types = {
  getTypeParser: (oid: number, format?: string) => {
    if (oid === 20) return (text: string) => BigInt(text)
    if (oid === 1082) return (text: string) => text
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

/** A PostgreSQL server through a pool; `searchPath` pins every connection to one schema (tests). */
export async function openPostgres(url: string, searchPath?: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    types: types as pg.CustomTypesConfig,
    ...(searchPath === undefined ? {} : { options: `-c search_path=${searchPath}` }),
  })
  const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params?.map(toParam))).rows as T[],
    exec: async (sql: string) => {
      await client.query(sql)
    },
  })
  // Fail now, with the server's own message, rather than at the first query.
  await pool.query('select 1')
  return {
    kind: 'postgres',
    ...on(pool),
    transaction: async (fn) => {
      const client = await pool.connect()
      try {
        await client.query('begin')
        const out = await fn(on(client))
        await client.query('commit')
        return out
      } catch (error) {
        await client.query('rollback')
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}

/** pg sends bigint as text already; plain objects go as JSON. */
function toParam(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  return value
}
