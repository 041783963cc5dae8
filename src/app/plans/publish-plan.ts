import { createHash } from 'node:crypto'
import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import { type PeriodKind, parsePeriodKey, periodStart } from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import { parsePlan, type PlanIssue } from '../../core/plans/parse-plan.ts'
import type { Queryable } from '../ports/sql.ts'

export type PublishResult =
  | { readonly ok: false; readonly issues: PlanIssue[] }
  | {
      readonly ok: true
      readonly planId: string
      readonly version: number
      readonly hash: string
      readonly unchanged: boolean
      /** The first day the version applies ('YYYY-MM-DD'); null: from the beginning. */
      readonly effectiveFrom: string | null
    }

/**
 * Publishes a plan: checked whole as `check` does (any issue: nothing stored); stored as a new
 * version, every earlier version kept; publishing the very same text again changes nothing.
 *
 * When the version applies (see docs/close.md): the first version from the beginning (or the
 * plan's own `effective.from`); a later one from the start of the first period of the plan's kind
 * after the last closed one (or the plan's `effective.from` when later), so closed periods keep the
 * version they were closed with. `effectiveFrom` sets another date: any later one, or an earlier
 * one only when no closed period starts on or after it (refused with `plan.effective_from_closed`).
 */
export async function publishPlan(
  db: Queryable,
  args: {
    orgId: string
    text: string
    file: string
    actor: string
    now: Date
    /** 'YYYY-MM-DD': the first day this version applies, instead of the default. */
    effectiveFrom?: string
  },
): Promise<PublishResult> {
  const { plan, issues } = parsePlan(args.text, args.file)
  if (plan === null) return { ok: false, issues }
  if (args.effectiveFrom !== undefined && parseLocalDate(args.effectiveFrom) === null)
    throw new DomainError('plan.bad_date', `"${args.effectiveFrom}" is not a date (YYYY-MM-DD).`)
  const hash = createHash('sha256').update(args.text).digest('hex')
  const [latest] = await db.query<{ version: number; hash: string; effective_from: string | null }>(
    'select version, hash, effective_from from plan_versions where org_id = $1 and plan_id = $2 order by version desc limit 1',
    [args.orgId, plan.id],
  )
  if (latest?.hash === hash && args.effectiveFrom === undefined)
    return {
      ok: true,
      planId: plan.id,
      version: Number(latest.version),
      hash,
      unchanged: true,
      effectiveFrom: latest.effective_from,
    }
  const version = Number(latest?.version ?? 0) + 1
  const textFrom = plan.effective.from ?? null
  let effectiveFrom: string | null
  if (latest === undefined) effectiveFrom = args.effectiveFrom ?? textFrom
  else {
    const lastClosed = await lastClosedStart(db, args.orgId, plan.period)
    if (args.effectiveFrom !== undefined) {
      if (lastClosed !== null && args.effectiveFrom <= lastClosed.start) {
        throw new DomainError(
          'plan.effective_from_closed',
          `${plan.id} v${version} cannot apply from ${args.effectiveFrom}: ${lastClosed.key} is closed and would change. ` +
            `Choose a date after ${lastClosed.start}, or reopen the closed periods first.`,
          { planId: plan.id, effectiveFrom: args.effectiveFrom, closed: lastClosed.key },
        )
      }
      effectiveFrom = args.effectiveFrom
    } else {
      const floor = lastClosed === null ? null : lastClosed.next
      effectiveFrom = floor === null ? textFrom : textFrom === null || textFrom < floor ? floor : textFrom
    }
  }
  const at = args.now.toISOString()
  await db.query(
    `insert into plans (org_id, id, name) values ($1, $2, $3) on conflict (org_id, id) do update set name = excluded.name`,
    [args.orgId, plan.id, plan.name],
  )
  await db.query(
    `insert into plan_versions (org_id, plan_id, version, hash, source, format, published_at, published_by, effective_from, effective_to)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      args.orgId,
      plan.id,
      version,
      hash,
      args.text,
      /\.json$/i.test(args.file) ? 'json' : 'yaml',
      at,
      args.actor,
      effectiveFrom,
      plan.effective.to ?? null,
    ],
  )
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'plan.publish', $4, $5, $6)`,
    [
      args.orgId,
      at,
      args.actor,
      plan.id,
      latest === undefined ? null : JSON.stringify({ version: latest.version, hash: latest.hash }),
      JSON.stringify({ version, hash, effectiveFrom }),
    ],
  )
  return { ok: true, planId: plan.id, version, hash, unchanged: false, effectiveFrom }
}

/** The latest closed period of a kind: its key, its first day, and the first day of the next one. */
async function lastClosedStart(
  db: Queryable,
  orgId: string,
  kind: PeriodKind,
): Promise<{ key: string; start: string; next: string } | null> {
  const [row] = await db.query<{ key: string }>(
    `select key from periods where org_id = $1 and kind = $2 and status = 'closed' order by key desc limit 1`,
    [orgId, kind],
  )
  const parsed = row === undefined ? null : parsePeriodKey(row.key)
  if (row === undefined || parsed === null) return null
  return {
    key: row.key,
    start: formatLocalDate(periodStart(kind, parsed.index)),
    next: formatLocalDate(periodStart(kind, parsed.index + 1)),
  }
}

export class PlanStoreError extends Error {
  constructor(
    readonly code: 'plan.unknown_rep' | 'plan.unknown_plan' | 'plan.bad_date',
    message: string,
  ) {
    super(message)
  }
}

/** Puts a rep on a plan from a date: the open assignment ends the day before. */
export async function assignPlan(
  db: Queryable,
  args: { orgId: string; repId: string; planId: string; from: string; actor: string; now: Date },
): Promise<void> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(args.from))
    throw new PlanStoreError('plan.bad_date', `"${args.from}" is not a date (YYYY-MM-DD).`)
  if (
    (await db.query('select 1 from reps where org_id = $1 and id = $2', [args.orgId, args.repId])).length ===
    0
  ) {
    throw new PlanStoreError('plan.unknown_rep', `There is no rep "${args.repId}".`)
  }
  if (
    (await db.query('select 1 from plans where org_id = $1 and id = $2', [args.orgId, args.planId]))
      .length === 0
  ) {
    throw new PlanStoreError('plan.unknown_plan', `There is no published plan "${args.planId}".`)
  }
  const [open] = await db.query<{ plan_id: string; valid_from: string }>(
    'select plan_id, valid_from from plan_assignments where org_id = $1 and rep_id = $2 and valid_to is null',
    [args.orgId, args.repId],
  )
  if (open !== undefined) {
    if (open.valid_from >= args.from) {
      throw new PlanStoreError(
        'plan.bad_date',
        `${args.repId} is on ${open.plan_id} from ${open.valid_from}: a new plan must start after that.`,
      )
    }
    await db.query(
      `update plan_assignments set valid_to = ($3::date - 1) where org_id = $1 and rep_id = $2 and valid_to is null`,
      [args.orgId, args.repId, args.from],
    )
  }
  await db.query(
    'insert into plan_assignments (org_id, rep_id, plan_id, valid_from, created_at, created_by) values ($1, $2, $3, $4, $5, $6)',
    [args.orgId, args.repId, args.planId, args.from, args.now.toISOString(), args.actor],
  )
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'plan.assign', $4, $5, $6)`,
    [
      args.orgId,
      args.now.toISOString(),
      args.actor,
      args.repId,
      open === undefined ? null : JSON.stringify(open),
      JSON.stringify({ plan_id: args.planId, valid_from: args.from }),
    ],
  )
}
