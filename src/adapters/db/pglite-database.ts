import { PGlite, type Transaction } from '@electric-sql/pglite'
import type { Database, Queryable } from '../../app/ports/sql.ts'

/** int8 as bigint, date as its 'YYYY-MM-DD' text: the same on PGlite and PostgreSQL. */
export const PARSERS = {
  20: (text: string) => BigInt(text),
  1082: (text: string) => text,
}

function wrap(q: PGlite | Transaction): Queryable {
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql)
    },
  }
}

/** PGlite (PostgreSQL in WebAssembly) in this process: in memory, or persisted in a folder. */
export async function openPglite(dataDir?: string, onClose?: () => void): Promise<Database> {
  const pg = await PGlite.create(dataDir === undefined ? undefined : dataDir, { parsers: PARSERS })
  const base = wrap(pg)
  return {
    kind: 'pglite',
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: async () => {
      await pg.close()
      onClose?.()
    },
  }
}
