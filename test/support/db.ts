import { randomBytes } from 'node:crypto'
import type { Database } from '../../src/app/ports/sql.ts'
import { migrate } from '../../src/adapters/db/migrate.ts'
import { openMemoryDatabase } from '../../src/adapters/db/open-database.ts'
import { openPostgres } from '../../src/adapters/db/postgres-database.ts'

/**
 * A fresh, migrated database for one test file: PGlite in memory by default; with DATABASE_URL,
 * a new schema on that PostgreSQL server (every pooled connection's search_path set to it),
 * dropped on close.
 */
export async function testDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL
  if (url === undefined || url === '') return openMemoryDatabase()
  const schema = `t_${randomBytes(6).toString('hex')}`
  const dropSchema = async (): Promise<void> => {
    const admin = await openPostgres(url)
    try {
      await admin.exec(`drop schema if exists ${schema} cascade`)
    } finally {
      await admin.close()
    }
  }
  const admin = await openPostgres(url)
  try {
    await admin.exec(`create schema ${schema}`)
  } finally {
    await admin.close()
  }
  const db = await openPostgres(url, schema)
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    await dropSchema()
    throw error
  }
  return {
    ...db,
    close: async () => {
      await db.close()
      await dropSchema()
    },
  }
}
