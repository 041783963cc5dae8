import type { Command } from 'commander'
import { pino } from 'pino'
import type { Database } from '../../app/ports/sql.ts'
import { startWhatIfWarmUp, warmingAfterClose, type WhatIfWarmUp } from '../../app/what-if/warm-up.ts'
import { openDatabase } from '../db/open-database.ts'
import { buildServer } from '../http/build-server.ts'
import { openMailer } from '../mail/open-mailer.ts'
import { defaultJobHandlers } from '../jobs/job-handlers.ts'
import { startJobs, type JobRunner } from '../jobs/start-jobs.ts'
import type { Io } from './main.ts'

export interface ServeOptions {
  port?: string
  host?: string
  data?: string
  /** False: serve HTTP only, background jobs run in `followthrough worker` processes. */
  jobs?: boolean
}

/** How long a shutdown waits for requests in flight before closing anyway. */
const SHUTDOWN_GRACE_MS = 10_000

/**
 * `followthrough serve`: the API (and later the web app) on PORT (default 3000), on the embedded
 * database (--data, FOLLOWTHROUGH_DATA, ./data) or PostgreSQL (DATABASE_URL). JSON logs (pino) with
 * request ids on stdout; background jobs in the same process unless `jobs` is false. SIGTERM or
 * SIGINT stops taking connections, finishes the requests in flight, stops the jobs (the running
 * ones finish), closes the database and resolves with 0.
 */
export async function serveCommand(opts: ServeOptions, io: Io): Promise<number> {
  const port = Number(opts.port ?? process.env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`--port ${opts.port ?? process.env.PORT}: not a port number\n`)
    return 2
  }
  const host = opts.host ?? process.env.HOST ?? '0.0.0.0'
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' })
  let db: Database
  try {
    db = await openDatabase(opts.data === undefined ? {} : { dataDir: opts.data })
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
  const publicUrl = process.env.PUBLIC_URL
  // With SMTP configured, sign-in links (reset, invitation) go out at once; without, to the outbox.
  const mailer = openMailer()
  const app = await buildServer({
    db,
    now: () => new Date(),
    log,
    trustProxy: process.env.TRUST_PROXY === 'true',
    ...(publicUrl === undefined || publicUrl === '' ? {} : { publicUrl }),
    ...(mailer === null ? {} : { sendMail: async (message) => void (await mailer.send(message)) }),
  })
  let jobs: JobRunner | null = null
  let warmUp: WhatIfWarmUp | null = null
  try {
    await app.listen({ port, host })
    // The what-if's window read in the background, now and after each close (ADR 0012).
    warmUp = startWhatIfWarmUp(db, {
      onError: (error, orgId) => log.warn({ err: error, orgId }, "warming the what-if's window failed"),
    })
    if (opts.jobs !== false) {
      jobs = await startJobs({
        db,
        now: () => new Date(),
        handlers: warmingAfterClose(defaultJobHandlers(), db),
        onError: (error) => log.error({ err: error }, 'background job failed'),
      })
      log.info({ backend: jobs.backend }, 'running background jobs')
    }
  } catch (error) {
    io.stderr(`Cannot start on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}\n`)
    await app.close()
    await warmUp?.stop()
    await jobs?.stop()
    await db.close()
    return 1
  }
  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = (signal: string): void => {
      if (stopping) return
      stopping = true
      log.info({ signal }, 'shutting down: finishing requests in flight')
      const force = setTimeout(() => {
        log.warn('requests still in flight after the grace period: closing anyway')
        app.server.closeAllConnections()
      }, SHUTDOWN_GRACE_MS)
      force.unref()
      void app
        .close()
        .catch((error: unknown) => log.error({ err: error }, 'closing the server failed'))
        .then(() => warmUp?.stop())
        .then(() => jobs?.stop())
        .catch((error: unknown) => log.error({ err: error }, 'stopping the jobs failed'))
        .then(() => {
          mailer?.close()
          return db.close()
        })
        .catch((error: unknown) => log.error({ err: error }, 'closing the database failed'))
        .then(() => {
          clearTimeout(force)
          process.off('SIGTERM', onTerm)
          process.off('SIGINT', onInt)
          log.info('stopped')
          resolve(0)
        })
    }
    const onTerm = (): void => stop('SIGTERM')
    const onInt = (): void => stop('SIGINT')
    process.on('SIGTERM', onTerm)
    process.on('SIGINT', onInt)
  })
}

/** Adds `followthrough serve [--port] [--host] [--data]`. */
export function addServeCommand(program: Command, io: Io, done: (status: number) => void): void {
  program
    .command('serve')
    .description(
      'Serve the API on PORT (default 3000): the embedded database, or PostgreSQL with DATABASE_URL',
    )
    .option('--port <port>', 'the port to listen on (default PORT or 3000; 0 picks a free one)')
    .option('--host <host>', 'the address to listen on (default HOST or 0.0.0.0)')
    .option(
      '--data <dir>',
      'the embedded database folder (default ./data or FOLLOWTHROUGH_DATA); ignored with DATABASE_URL',
    )
    .action(async (opts: ServeOptions) => {
      done(await serveCommand(opts, io))
    })
}
