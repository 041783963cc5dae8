import { createHash } from 'node:crypto'
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
    }

/**
 * Publishes a plan: checked whole as `check` does (any issue: nothing stored); stored as a new
 * version, every earlier version kept; publishing the very same text again changes nothing.
 */
export async function publishPlan(
  db: Queryable,
  args: { orgId: string; text: string; file: string; actor: string; now: Date },
): Promise<PublishResult> {
  const { plan, issues } = parsePlan(args.text, args.file)
  if (plan === null) return { ok: false, issues }
  const hash = createHash('sha256').update(args.text).digest('hex')
  const [latest] = await db.query<{ version: number; hash: string }>(
    'select version, hash from plan_versions where org_id = $1 and plan_id = $2 order by version desc limit 1',
    [args.orgId, plan.id],
  )
  if (latest?.hash === hash)
    return { ok: true, planId: plan.id, version: Number(latest.version), hash, unchanged: true }
  const version = Number(latest?.version ?? 0) + 1
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
      plan.effective.from ?? null,
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
      JSON.stringify({ version, hash }),
    ],
  )
  return { ok: true, planId: plan.id, version, hash, unchanged: false }
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
