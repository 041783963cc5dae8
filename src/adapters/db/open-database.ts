import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Database } from '../../app/ports/sql.ts'
import { migrate } from './migrate.ts'
import { openPglite } from './pglite-database.ts'
import { openPostgres } from './postgres-database.ts'

/** The data folder is held by another live process. */
export class DatabaseLockedError extends Error {
  readonly code = 'database.locked'
}

/**
 * Opens the system of record and brings its schema up to date: PostgreSQL when a URL is given (or
 * DATABASE_URL is set), else PGlite persisted in `dataDir` (FOLLOWTHROUGH_DATA, else ./data),
 * which one process at a time may hold: a lock file names the holder's pid.
 */
export async function openDatabase(opts: { dataDir?: string; url?: string } = {}): Promise<Database> {
  const url = opts.url ?? process.env.DATABASE_URL
  let db: Database
  if (url !== undefined && url !== '') db = await openPostgres(url)
  else {
    const dir = resolve(opts.dataDir ?? process.env.FOLLOWTHROUGH_DATA ?? './data')
    mkdirSync(dir, { recursive: true })
    const release = takeLock(dir, opts.dataDir ?? process.env.FOLLOWTHROUGH_DATA ?? './data')
    try {
      db = await openPglite(join(dir, 'pglite'), release)
    } catch (error) {
      release()
      throw error
    }
  }
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

/** PGlite in memory, migrated: for tests and what-ifs. */
export async function openMemoryDatabase(): Promise<Database> {
  const db = await openPglite()
  await migrate(db)
  return db
}

function takeLock(dir: string, shown: string): () => void {
  const file = join(dir, 'followthrough.lock')
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseLockedError(
        `The data folder ${shown} is in use by another followthrough process (pid ${pid}). Stop it, or use --data to choose another folder.`,
      )
    }
    if (pid === process.pid) {
      throw new DatabaseLockedError(`The data folder ${shown} is already open in this process.`)
    }
  }
  writeFileSync(file, String(process.pid))
  return () => rmSync(file, { force: true })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
