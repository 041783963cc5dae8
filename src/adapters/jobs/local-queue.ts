import { onJobsNotified } from '../../app/jobs/job-signal.ts'
import { claimJob } from '../../app/jobs/job-store.ts'
import { runJob, type RunDeps } from '../../app/jobs/run-job.ts'

export interface QueueOptions {
  /** How often to look for due jobs when nothing wakes the queue. */
  readonly pollMs: number
  /** How long a claimed job is its runner's: after that another runner takes it over. */
  readonly leaseMs: number
  readonly onError: (error: unknown) => void
}

export interface RunningQueue {
  stop(): Promise<void>
}

/**
 * The in-process queue (the embedded database): jobs are read from the `jobs` table, due ones run
 * one at a time, so queued work survives a restart. One process holds a PGlite folder, so a job
 * left running by a process that died is taken over at once.
 */
export async function startLocalQueue(deps: RunDeps, opts: QueueOptions): Promise<RunningQueue> {
  if (deps.db.kind === 'pglite') {
    await deps.db.query(`update jobs set lease_until = $1 where state = 'running'`, [
      deps.now().toISOString(),
    ])
  }
  let stopping = false
  let wake: (() => void) | null = null
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null
        resolve()
      }, ms)
      wake = () => {
        clearTimeout(timer)
        wake = null
        resolve()
      }
    })
  const unsubscribe = onJobsNotified(() => wake?.())
  const loop = (async () => {
    while (!stopping) {
      try {
        const job = await claimJob(deps.db, deps.now(), opts.leaseMs, 'next')
        if (job !== null) {
          await runJob(deps, job)
          continue
        }
      } catch (error) {
        opts.onError(error)
      }
      if (!stopping) await sleep(opts.pollMs)
    }
  })()
  return {
    stop: async () => {
      stopping = true
      unsubscribe()
      wake?.()
      await loop
    },
  }
}
