import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { requireOwner, requireRole } from './access.ts'
import {
  type CoachingItem,
  ITEM_COLUMNS,
  PLAN_COLUMNS,
  rowToItem,
  rowToPlan,
  recordCoachingChange,
} from './coaching-record.ts'
import { requireText } from './outcome-checks.ts'
import type { Actor } from './outcome-record.ts'

/** Records a training item or check-in as done, with notes; an item is done once and never changed again. */
export async function completeCoachingItem(
  db: Database,
  args: { orgId: string; actor: Actor; now: Date; item: string; notes: string },
): Promise<CoachingItem> {
  return db.transaction(async (tx) => {
    requireRole(args.actor, ['owner', 'admin', 'manager'], 'record coaching', 'coaching')
    const [row] = await tx.query(
      `select ${ITEM_COLUMNS} from coaching_items i where i.org_id = $1 and i.id = $2 for update`,
      [args.orgId, args.item],
    )
    if (row === undefined)
      throw new DomainError('coaching.not_found', `No coaching item ${args.item}.`, { item: args.item })
    const item = rowToItem(row)
    if (item.doneAt !== null) {
      throw new DomainError(
        'coaching.already_done',
        `${item.title} was recorded as done by ${item.doneBy ?? '?'} at ${item.doneAt}.`,
        {
          item: item.id,
        },
      )
    }
    const [planRow] = await tx.query(
      `select ${PLAN_COLUMNS} from coaching_plans c where c.org_id = $1 and c.id = $2`,
      [args.orgId, item.coachingPlanId],
    )
    if (planRow === undefined) throw new Error(`Coaching item ${item.id} has no plan`)
    const plan = rowToPlan(planRow)
    const [owner] = await tx.query<{ owner: string | null }>(
      'select owner from outcomes where org_id = $1 and id = $2',
      [args.orgId, plan.outcomeId],
    )
    await requireOwner(tx, args.orgId, args.actor, owner?.owner ?? null, 'coaching')
    const notes = requireText(args.notes, 'coaching.notes_required', 'Notes of what happened')
    const at = args.now.toISOString()
    await tx.query(
      `update coaching_items set done_at = $3, done_by = $4, notes = $5 where org_id = $1 and id = $2`,
      [args.orgId, item.id, at, args.actor.id, notes],
    )
    await recordCoachingChange(tx, {
      orgId: args.orgId,
      plan,
      action: 'coaching.complete',
      actor: args.actor.id,
      at,
      after: { item: item.id, title: item.title, doneAt: at, notes },
    })
    return { ...item, doneAt: at, doneBy: args.actor.id, notes }
  })
}
