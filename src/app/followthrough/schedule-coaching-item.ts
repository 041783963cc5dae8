import { randomUUID } from 'node:crypto'
import { parseLocalDate } from '../../core/calendar/civil.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { requireOwner, requireRole } from './access.ts'
import { type CoachingItem, currentPlanOf, recordCoachingChange } from './coaching-record.ts'
import { requireText } from './outcome-checks.ts'
import type { Actor } from './outcome-record.ts'

/**
 * Schedules a training item or a check-in on the rep's open coaching plan. Owners, admins and the
 * manager who owns the plan's coaching outcome; refused once the plan is decided.
 */
export async function scheduleCoachingItem(
  db: Database,
  args: { orgId: string; actor: Actor; now: Date; rep: string; kind: string; title: string; dueOn: string },
): Promise<CoachingItem> {
  return db.transaction(async (tx) => {
    requireRole(args.actor, ['owner', 'admin', 'manager'], 'schedule coaching', 'coaching')
    const plan = await currentPlanOf(tx, args.orgId, args.rep)
    if (plan.state !== 'open') {
      throw new DomainError(
        'coaching.conflict_decided',
        `The coaching plan of ${args.rep} was decided (${plan.state}).`,
        {
          plan: plan.id,
          state: plan.state,
        },
      )
    }
    const [owner] = await tx.query<{ owner: string | null }>(
      'select owner from outcomes where org_id = $1 and id = $2',
      [args.orgId, plan.outcomeId],
    )
    await requireOwner(tx, args.orgId, args.actor, owner?.owner ?? null, 'coaching')
    if (args.kind !== 'training' && args.kind !== 'check_in') {
      throw new DomainError('coaching.bad_kind', `"${args.kind}" is not a kind: training or check_in.`)
    }
    const title = requireText(args.title, 'coaching.title_required', 'A title')
    if (parseLocalDate(args.dueOn) === null) {
      throw new DomainError('coaching.bad_date', `"${args.dueOn}" is not a date (YYYY-MM-DD).`)
    }
    const at = args.now.toISOString()
    const item: CoachingItem = {
      id: randomUUID(),
      coachingPlanId: plan.id,
      kind: args.kind,
      title,
      dueOn: args.dueOn,
      scheduledBy: args.actor.id,
      scheduledAt: at,
      doneAt: null,
      doneBy: null,
      notes: null,
    }
    await tx.query(
      `insert into coaching_items (org_id, id, coaching_plan_id, kind, title, due_on, scheduled_by, scheduled_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [args.orgId, item.id, plan.id, item.kind, title, item.dueOn, item.scheduledBy, at],
    )
    await recordCoachingChange(tx, {
      orgId: args.orgId,
      plan,
      action: 'coaching.schedule',
      actor: args.actor.id,
      at,
      after: { item: item.id, kind: item.kind, title, dueOn: item.dueOn },
    })
    return item
  })
}
