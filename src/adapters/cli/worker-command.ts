import type { Command } from 'commander'
import type { Database } from '../../app/ports/sql.ts'
import { startJobs, type JobRunner } from '../jobs/start-jobs.ts'
import type { Io } from './main.ts'
import type { OpenDb } from './with-db.ts'

/** `worker`: runs background jobs alone, until SIGINT or SIGTERM. */
export function addWorkerCommand(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  program
    .command('worker')
    .description(
      'Run background jobs (imports, closes, overdue checks) without serving HTTP; run several on PostgreSQL',
    )
    .option(
      '--data <dir>',
      'the embedded database folder (default ./data or FOLLOWTHROUGH_DATA); ignored with DATABASE_URL',
    )
    .option('--poll-ms <ms>', 'how often to look for new jobs', '1000')
    .action(async (opts: { data?: string; pollMs: string }) => {
      done(await workerCommand(opts, io, openDb, waitForSignal))
    })
}

/** Resolves on the first SIGINT or SIGTERM. */
function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/** Opens the database, runs jobs until `until` resolves, then finishes the running ones and closes. */
export async function workerCommand(
  opts: { data?: string; pollMs: string },
  io: Io,
  openDb: OpenDb,
  until: () => Promise<void>,
): Promise<number> {
  const pollMs = Number(opts.pollMs)
  if (!Number.isInteger(pollMs) || pollMs < 10) {
    io.stderr('--poll-ms must be a whole number of milliseconds, at least 10\n')
    return 2
  }
  let db: Database
  try {
    db = await openDb(opts.data === undefined ? {} : { dataDir: opts.data })
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`)
    return 1
  }
  let runner: JobRunner | null = null
  try {
    runner = await startJobs({
      db,
      now: () => new Date(),
      pollMs,
      onError: (error) => io.stderr(`job error: ${error instanceof Error ? error.message : String(error)}\n`),
    })
    io.stderr(
      `worker: running jobs (${runner.backend === 'pg-boss' ? 'pg-boss on PostgreSQL' : 'in-process'}); Ctrl-C stops\n`,
    )
    await until()
    io.stderr('worker: finishing the running jobs…\n')
    return 0
  } finally {
    await runner?.stop()
    await db.close()
  }
}
