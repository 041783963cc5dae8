import { DomainError } from '../../core/domain-error.ts'
import type { Queryable } from '../ports/sql.ts'
import { getOutcomeForUpdate, type Outcome, recordChanges } from './outcome-record.ts'

export type CoachingState = 'open' | 'passed' | 'failed' | 'undecided' | 'void'

export interface CoachingPlan {
  id: string
  repId: string
  planId: string
  rule: string
  program: string
  openedPeriod: string
  periods: number
  lastPeriod: string
  /** The `pass` condition as written (CEL). */
  passCondition: string
  state: CoachingState
  decidedPeriod: string | null
  decidedAt: string | null
  /** The `coaching` outcome that opened it; the termination review its failure opened. */
  outcomeId: string
  reviewOutcomeId: string | null
  openedAt: string
}

export interface CoachingItem {
  id: string
  coachingPlanId: string
  kind: 'training' | 'check_in'
  title: string
  dueOn: string
  scheduledBy: string
  scheduledAt: string
  doneAt: string | null
  doneBy: string | null
  notes: string | null
}

const instant = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString()
      : new Date(String(v)).toISOString()

export const PLAN_COLUMNS = `c.id, c.rep_id, c.plan_id, c.rule, c.program, c.opened_period, c.periods, c.last_period,
  c.pass_condition, c.state, c.decided_period, c.decided_at, c.outcome_id, c.review_outcome_id, c.opened_at`
export const ITEM_COLUMNS = `i.id, i.coaching_plan_id, i.kind, i.title, i.due_on::text as due_on, i.scheduled_by,
  i.scheduled_at, i.done_at, i.done_by, i.notes`

export function rowToPlan(r: Record<string, unknown>): CoachingPlan {
  return {
    id: String(r.id),
    repId: String(r.rep_id),
    planId: String(r.plan_id),
    rule: String(r.rule),
    program: String(r.program),
    openedPeriod: String(r.opened_period),
    periods: Number(r.periods),
    lastPeriod: String(r.last_period),
    passCondition: String(r.pass_condition),
    state: String(r.state) as CoachingState,
    decidedPeriod: r.decided_period === null ? null : String(r.decided_period),
    decidedAt: instant(r.decided_at),
    outcomeId: String(r.outcome_id),
    reviewOutcomeId: r.review_outcome_id === null ? null : String(r.review_outcome_id),
    openedAt: instant(r.opened_at) ?? '',
  }
}

export function rowToItem(r: Record<string, unknown>): CoachingItem {
  return {
    id: String(r.id),
    coachingPlanId: String(r.coaching_plan_id),
    kind: String(r.kind) as CoachingItem['kind'],
    title: String(r.title),
    dueOn: String(r.due_on),
    scheduledBy: String(r.scheduled_by),
    scheduledAt: instant(r.scheduled_at) ?? '',
    doneAt: instant(r.done_at),
    doneBy: r.done_by === null ? null : String(r.done_by),
    notes: r.notes === null ? null : String(r.notes),
  }
}

/** The rep's coaching plan that is open, or else the latest one; `coaching.not_found` without any. */
export async function currentPlanOf(db: Queryable, orgId: string, repId: string): Promise<CoachingPlan> {
  const [row] = await db.query(
    `select ${PLAN_COLUMNS} from coaching_plans c where c.org_id = $1 and c.rep_id = $2 and c.state <> 'void'
      order by (c.state = 'open') desc, c.opened_period desc, c.opened_at desc limit 1`,
    [orgId, repId],
  )
  if (row === undefined)
    throw new DomainError('coaching.not_found', `${repId} has no coaching plan.`, { rep: repId })
  return rowToPlan(row)
}

export async function itemsOf(db: Queryable, orgId: string, planId: string): Promise<CoachingItem[]> {
  const rows = await db.query(
    `select ${ITEM_COLUMNS} from coaching_items i where i.org_id = $1 and i.coaching_plan_id = $2
      order by i.due_on, i.scheduled_at, i.id`,
    [orgId, planId],
  )
  return rows.map(rowToItem)
}

/** Records a coaching change in the history of the plan's `coaching` outcome (event, audit, ledger). */
export async function recordCoachingChange(
  tx: Queryable,
  args: {
    orgId: string
    plan: CoachingPlan
    action: string
    actor: string
    at: string
    after: Record<string, unknown>
  },
): Promise<Outcome> {
  const outcome = await getOutcomeForUpdate(tx, args.orgId, args.plan.outcomeId)
  await recordChanges(
    tx,
    args.orgId,
    [
      {
        outcome,
        action: args.action,
        actor: args.actor,
        before: null,
        after: { coachingPlan: args.plan.id, ...args.after },
      },
    ],
    args.at,
  )
  return outcome
}
