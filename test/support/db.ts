import { randomBytes } from 'node:crypto'
import type { Database } from '../../src/app/ports/sql.ts'
import { migrate } from '../../src/adapters/db/migrate.ts'
import { openMemoryDatabase } from '../../src/adapters/db/open-database.ts'
import { openPostgres } from '../../src/adapters/db/postgres-database.ts'

/**
 * A fresh, migrated database for one test file: PGlite in memory by default; with DATABASE_URL,
 * a new schema on that PostgreSQL server, dropped on close.
 */
export async function testDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL
  if (url === undefined || url === '') return openMemoryDatabase()
  const schema = `t_${randomBytes(6).toString('hex')}`
  const admin = await openPostgres(url)
  await admin.exec(`create schema ${schema}`)
  await admin.close()
  const db = await openPostgres(url, schema)
  await migrate(db)
  return {
    ...db,
    close: async () => {
      await db.exec(`drop schema ${schema} cascade`)
      await db.close()
    },
  }
}
