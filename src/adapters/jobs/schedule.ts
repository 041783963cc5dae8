import { notifyJobs } from '../../app/jobs/job-signal.ts'
import { enqueueScoped } from '../../app/jobs/job-store.ts'
import type { Database } from '../../app/ports/sql.ts'

/** Job kinds run for every organization every hour, when this program has them. */
export const HOURLY_KINDS: readonly string[] = ['overdue', 'notifications']

/** `2026-03-02T15`: the UTC hour of an instant, the key of an hourly job. */
export const hourKey = (at: Date): string => at.toISOString().slice(0, 13)

/**
 * Enqueues each hourly kind for every organization, keyed by the hour: any number of servers and
 * workers doing it at once enqueue one job per organization, kind and hour.
 */
export async function enqueueHourly(db: Database, now: Date, kinds: readonly string[]): Promise<number> {
  if (kinds.length === 0) return 0
  let created = 0
  for (const { id } of await db.query<{ id: string }>('select id from organizations order by id')) {
    for (const kind of kinds) {
      const out = await enqueueScoped(db, {
        orgId: id,
        kind,
        payload: {},
        key: `${kind}:${hourKey(now)}`,
        actor: 'system',
        now,
      })
      if (out.created) created++
    }
  }
  if (created > 0) notifyJobs()
  return created
}

/** Runs enqueueHourly now and every `everyMs`; returns what stops it. */
export function startSchedule(
  db: Database,
  now: () => Date,
  kinds: readonly string[],
  everyMs: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve()
  const tick = () => {
    running = enqueueHourly(db, now(), kinds).catch(onError)
  }
  tick()
  const timer = setInterval(tick, everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
