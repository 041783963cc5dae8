import { linkSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Database } from '../../app/ports/sql.ts'
import { migrate } from './migrate.ts'
import { openPglite } from './pglite-database.ts'
import { openPostgres } from './postgres-database.ts'

/** The data folder is held by another live process, or already open in this one. */
export class DatabaseLockedError extends Error {
  readonly code = 'database.locked'
  constructor(
    message: string,
    readonly details: { readonly dataDir: string; readonly pid: number },
  ) {
    super(message)
    this.name = 'DatabaseLockedError'
  }
}

/** The lock file in a data folder: it holds the pid of the process that has the folder open. */
export const LOCK_FILE = 'followthrough.lock'

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
    const shown = opts.dataDir ?? process.env.FOLLOWTHROUGH_DATA ?? './data'
    mkdirSync(resolve(shown), { recursive: true })
    // The real path, so that two spellings of one folder (a symlink, ../) are one lock.
    const dir = realpathSync(resolve(shown))
    const release = takeLock(join(dir, LOCK_FILE), shown)
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

// Lock files this process holds. A lock file with our own pid that is not in here was left by an
// earlier process that had the same pid: a container restarted after a crash starts as pid 1 again.
const held = new Set<string>()

/** Takes the folder's lock file or throws DatabaseLockedError; returns what releases it. */
function takeLock(file: string, shown: string): () => void {
  if (held.has(file)) {
    throw new DatabaseLockedError(`The data folder ${shown} is already open in this process.`, {
      dataDir: shown,
      pid: process.pid,
    })
  }
  // Two rounds: a stale lock is removed in the first and taken in the second; losing the second
  // to another process starting at the same moment means that process now holds the folder.
  for (let round = 0; round < 2; round++) {
    if (createLockFile(file)) {
      held.add(file)
      return () => {
        held.delete(file)
        if (readPid(file) === process.pid) rmSync(file, { force: true })
      }
    }
    const pid = readPid(file)
    if (pid !== null && pid !== process.pid && isAlive(pid)) {
      throw new DatabaseLockedError(
        `The data folder ${shown} is in use by another followthrough process (pid ${pid}). Stop it, or use --data to choose another folder.`,
        { dataDir: shown, pid },
      )
    }
    // Left by a process that is gone (killed, crashed, or an earlier holder of our pid): take over.
    rmSync(file, { force: true })
  }
  const pid = readPid(file) ?? 0
  throw new DatabaseLockedError(
    `The data folder ${shown} is in use by another followthrough process (pid ${pid}). Stop it, or use --data to choose another folder.`,
    { dataDir: shown, pid },
  )
}

/**
 * Creates the lock file holding our pid, atomically: the pid is written to a file of our own
 * first and linked into place, so no process ever reads a lock file without its pid. False when
 * a lock file is there already.
 */
function createLockFile(file: string): boolean {
  const own = `${file}.${process.pid}`
  writeFileSync(own, String(process.pid))
  try {
    linkSync(own, file)
    return true
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error
    // A file system without hard links: exclusive create, with a moment where the file is empty.
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      return true
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw inner
    }
  } finally {
    rmSync(own, { force: true })
  }
}

/** The pid in a lock file; null when there is none or it holds no pid. */
function readPid(file: string): number | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  return /^[1-9][0-9]*$/.test(text) ? Number(text) : null
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
