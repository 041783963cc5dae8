import type { Mailer } from '../ports/mailer.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { type Delivered, deliverOutbox } from './deliver-outbox.ts'
import { loadDirectory } from './directory.ts'
import { notifyDueOutcomes } from './notify-due-outcomes.ts'
import { notifyOverdue } from './notify-overdue.ts'
import { listOutcomesInState } from './outcome-notes.ts'
import { type PaceOfRep, paceWarnings, type PaceWarningOptions } from './pace-warnings.ts'
import type { Posted } from './post-notifications.ts'
import { type OpenDispute, weeklyDigest } from './weekly-digest.ts'
import { weekdayAt } from './week.ts'

/** Where the run reads what other parts compute; each is optional (that part is then skipped). */
export interface NotifySources {
  /** Marks outcomes past their due date overdue (the outcome lifecycle's markOverdue). */
  readonly markOverdue?: (db: Database, args: { orgId: string; now: Date }) => Promise<unknown>
  /** The pace of every rep in the open period(s). */
  readonly paces?: (db: Database, args: { orgId: string; now: Date }) => Promise<readonly PaceOfRep[]>
  /** Open disputes. */
  readonly disputes?: (db: Database, args: { orgId: string }) => Promise<readonly OpenDispute[]>
}

export interface NotifyRun {
  readonly due: Posted
  readonly overdue: Posted
  readonly pace: Posted | null
  /** Null when the digest is not due yet this week. */
  readonly digest: Posted | null
  readonly delivered: Delivered
}

/** The organization setting naming the digest's weekday: 0 = Monday (the default) … 6 = Sunday. */
export const DIGEST_WEEKDAY_KEY = 'notify.digest_weekday'

async function digestWeekday(db: Queryable, orgId: string): Promise<number> {
  const [row] = await db.query<{ value: unknown }>(
    'select value from org_settings where org_id = $1 and key = $2',
    [orgId, DIGEST_WEEKDAY_KEY],
  )
  const v = row?.value
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 6 ? v : 0
}

/**
 * One notification run, safe to repeat at any time (a scheduler every few minutes, or
 * `followthrough notify run`): marks overdue outcomes, tells owners of due ones and owners, admins
 * and owners of overdue ones, warns reps behind pace, sends the weekly digest once the digest's
 * weekday has come this week, then delivers the outbox (SMTP, or kept in the outbox without it).
 * Everything is keyed, so nothing is told twice.
 */
export async function runNotifications(
  db: Database,
  args: {
    orgId: string
    now: Date
    mailer: Mailer | null
    sources?: NotifySources
    paceOptions?: PaceWarningOptions
  },
): Promise<NotifyRun> {
  const { orgId, now } = args
  const sources = args.sources ?? {}
  if (sources.markOverdue !== undefined) await sources.markOverdue(db, { orgId, now })
  const directory = await loadDirectory(db, orgId)
  const dueItems = await listOutcomesInState(db, orgId, 'due')
  const overdueItems = await listOutcomesInState(db, orgId, 'overdue')
  const due = await notifyDueOutcomes(db, { orgId, now, directory, items: dueItems })
  const overdue = await notifyOverdue(db, { orgId, now, directory, items: overdueItems })
  const paces = sources.paces === undefined ? undefined : await sources.paces(db, { orgId, now })
  const pace =
    paces === undefined
      ? null
      : await paceWarnings(db, {
          orgId,
          now,
          directory,
          paces,
          ...(args.paceOptions === undefined ? {} : { options: args.paceOptions }),
        })
  let digest: Posted | null = null
  if (weekdayAt(now, directory.timeZone) >= (await digestWeekday(db, orgId))) {
    const disputes = sources.disputes === undefined ? undefined : await sources.disputes(db, { orgId })
    digest = await weeklyDigest(db, {
      orgId,
      now,
      directory,
      input: {
        due: dueItems,
        overdue: overdueItems,
        ...(paces === undefined ? {} : { paces }),
        ...(disputes === undefined ? {} : { disputes }),
      },
    })
  }
  const delivered = await deliverOutbox(db, { orgId, now, mailer: args.mailer })
  return { due, overdue, pace, digest, delivered }
}
