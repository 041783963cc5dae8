import { closePeriod } from '../../app/close/close-period.ts'
import { markOverdue } from '../../app/followthrough/mark-overdue.ts'
import { importFile } from '../../app/import/import-file.ts'
import { runNotifications } from '../../app/notify/run-notifications.ts'
import { appSources } from '../../app/notify/sources.ts'
import type { JobContext, JobHandler, JobHandlers } from '../../app/jobs/job-handler.ts'
import type { ImportKind } from '../../core/imports/mapping.ts'
import { DomainError } from '../../core/domain-error.ts'
import { textSource } from '../import/import-sources.ts'
import { builtInMappings, loadMapping } from '../import/load-mapping.ts'
import { openMailer } from '../mail/open-mailer.ts'

const IMPORT_KINDS: readonly string[] = ['reps', 'deals', 'activities', 'quotas']

function text(ctx: JobContext, name: string): string {
  const value = ctx.payload[name]
  if (typeof value !== 'string' || value === '') {
    throw new DomainError('job.bad_payload', `The job needs "${name}" (text).`, { field: name })
  }
  return value
}

/**
 * `import`: payload { kind, name, text, mapping? } — a CSV file's text, imported as
 * `followthrough import` does (checked whole, idempotent: a retry after a stored run changes nothing).
 */
export const importJob: JobHandler = async (ctx) => {
  const kind = text(ctx, 'kind')
  if (!IMPORT_KINDS.includes(kind))
    throw new DomainError('job.bad_payload', `"${kind}" is not an import kind.`)
  const mappingName = ctx.payload.mapping
  let mapping
  if (typeof mappingName === 'string') {
    const loaded = builtInMappings().includes(mappingName) ? loadMapping(mappingName) : null
    if (loaded === null || !loaded.ok)
      throw new DomainError('job.bad_payload', `There is no built-in mapping "${mappingName}".`)
    mapping = loaded.mapping
  }
  const outcome = await importFile(ctx.db, {
    orgId: ctx.orgId,
    kind: kind as ImportKind,
    file: textSource(text(ctx, 'name'), text(ctx, 'text')),
    ...(mapping === undefined ? {} : { mapping }),
    actor: ctx.actor,
    now: ctx.now,
    onProgress: (p) => ctx.progress({ ...p }),
  })
  if (!outcome.ok) {
    throw new DomainError(
      'import.invalid',
      `The file has ${outcome.issues.length + outcome.more} problem(s); nothing was stored.`,
      {
        issues: outcome.issues,
        more: outcome.more,
      },
    )
  }
  return { importId: outcome.importId, counts: outcome.counts, unpublishedPlans: outcome.unpublishedPlans }
}

/**
 * `close`: payload { period, dryRun? }. A retry finding the period closed means an earlier run
 * of this job closed it (its success was lost): done, not closed twice.
 */
export const closeJob: JobHandler = async (ctx) => {
  const period = text(ctx, 'period')
  const dryRun = ctx.payload.dryRun === true
  ctx.progress({ phase: 'close', period })
  try {
    const outcome = await closePeriod(ctx.db, {
      orgId: ctx.orgId,
      period,
      actor: ctx.actor,
      now: ctx.now,
      dryRun,
    })
    return {
      period,
      dryRun,
      closeId: outcome.closeId,
      head: outcome.head?.hash ?? null,
      changes: outcome.changes,
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (ctx.attempt > 1 && !dryRun && code === 'close.closed') return { period, dryRun, alreadyClosed: true }
    throw error
  }
}

/** `overdue`: marks due items whose date has passed; running it again marks none. */
export const overdueJob: JobHandler = async (ctx) => {
  const { today, overdue } = await markOverdue(ctx.db, { orgId: ctx.orgId, now: ctx.now, actor: ctx.actor })
  return { today, overdue: overdue.map((o) => o.id) }
}

/**
 * `notifications`: one notification run (due and overdue outcomes, pace warnings, and the weekly
 * digest once its weekday has come), then the outbox delivered by SMTP when configured. Every
 * message is keyed, so a repeated or retried run tells nobody twice.
 */
export const notificationsJob: JobHandler = async (ctx) => {
  const mailer = openMailer()
  try {
    const run = await runNotifications(ctx.db, {
      orgId: ctx.orgId,
      now: ctx.now,
      mailer,
      sources: appSources,
    })
    return {
      due: run.due,
      overdue: run.overdue,
      pace: run.pace,
      digest: run.digest,
      delivered: run.delivered,
    }
  } finally {
    mailer?.close()
  }
}

/** The job kinds this program runs. */
export function defaultJobHandlers(): JobHandlers {
  return { import: importJob, close: closeJob, overdue: overdueJob, notifications: notificationsJob }
}
