import pg from 'pg'
import type { Database, Queryable } from '../../app/ports/sql.ts'

type Nested<T> = (T | null | Nested<T>)[]

/** Maps every element of a (possibly nested) array, nulls kept. */
function mapArray<T>(array: Nested<string>, f: (text: string) => T): Nested<T> {
  return array.map((v) => (v === null ? null : Array.isArray(v) ? mapArray(v, f) : f(v)))
}

/** PostgreSQL's text form of an array as (nested) arrays of element texts, through pg's own text[] parser. */
const textArray = (text: string): Nested<string> =>
  (pg.types.getTypeParser as (oid: number, format: 'text') => (t: string) => Nested<string>)(
    1009,
    'text',
  )(text)

/**
 * What PGlite returns (src/adapters/db/pglite-database.ts), type by type: int8 and int8[] as
 * bigint, numeric and numeric[] as exact text, date and date[] as 'YYYY-MM-DD' text (pg's own
 * parsers give strings, floats and Date objects for the arrays). json/jsonb, text[], int4, bool
 * and timestamptz parse alike in both already.
 */
const PARSERS: Record<number, (text: string) => unknown> = {
  20: (text) => BigInt(text),
  1016: (text) => mapArray(textArray(text), (v) => BigInt(v)),
  1231: (text) => textArray(text),
  1082: (text) => text,
  1182: (text) => textArray(text),
}

const types = {
  getTypeParser: (oid: number, format?: string) =>
    PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text'),
}

/**
 * A PostgreSQL server through a pool; `searchPath` pins every connection to one schema (tests).
 * An idle connection that dies (server restart, network, admin kill) is reported through
 * `onIdleError` (default: one line on stderr) and replaced at the next query; it does not end the
 * process, as an unhandled 'error' event of the pool would.
 */
export async function openPostgres(
  url: string,
  searchPath?: string,
  onIdleError: (error: Error) => void = (error) =>
    void process.stderr.write(
      `database: an idle connection was lost (${error.message}); it will be replaced\n`,
    ),
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    types: types as pg.CustomTypesConfig,
    ...(searchPath === undefined ? {} : { options: `-c search_path=${searchPath}` }),
  })
  pool.on('error', onIdleError)
  const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
    // A text of several statements (no parameters) answers the rows of its last.
    query: async <T>(sql: string, params?: unknown[]) => {
      const result = (await client.query(sql, params?.map(toParam))) as pg.QueryResult | pg.QueryResult[]
      return (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as T[]
    },
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
      // The server may drop a checked-out connection between two queries: the next query fails
      // with the error; without a listener here the event would end the process.
      let lost: Error | undefined
      const onLost = (error: Error): void => {
        lost = error
      }
      client.on('error', onLost)
      // `begin` goes with the transaction's first statement when that is a plain text (exec: the
      // simple protocol takes several statements in one round trip), else alone before it. The
      // snapshot is taken at the first statement either way. Nothing sent: nothing to commit.
      let begun = false
      const first = (): boolean => !begun && (begun = true)
      const inner = on(client)
      const tx: Queryable = {
        query: async (sql, params) => {
          if (first()) await client.query('begin')
          return inner.query(sql, params)
        },
        exec: (sql) => inner.exec(first() ? `begin; ${sql}` : sql),
      }
      let out
      try {
        out = await fn(tx)
        if (begun) await client.query('commit')
      } catch (error) {
        // A connection that died mid-transaction cannot roll back: the server already did; keep the
        // first error and do not hand the broken client back to the pool.
        let broken: Error | undefined
        try {
          if (begun) await client.query('rollback')
        } catch (rollbackError) {
          broken = rollbackError as Error
        }
        client.off('error', onLost)
        client.release(broken ?? lost)
        throw error
      }
      client.off('error', onLost)
      client.release(lost)
      return out
    },
    close: () => pool.end(),
  }
}

/** pg sends bigint as text already; plain objects go as JSON. */
function toParam(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  return value
}
