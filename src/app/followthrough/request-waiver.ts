import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { requireOwner, requireRole } from './access.ts'
import { requireOpen, requireText } from './outcome-checks.ts'
import { type Actor, changeOutcome, getOutcomeForUpdate, type Outcome } from './outcome-record.ts'

/**
 * Asks to waive an item, with a written reason; it stays due (or overdue) until a second person
 * with the owner or admin role approves (approveWaiver) or rejects (rejectWaiver) the request.
 */
export async function requestWaiver(
  db: Database,
  args: { orgId: string; actor: Actor; now: Date; id: string; reason: string },
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const o = await getOutcomeForUpdate(tx, args.orgId, args.id)
    requireRole(args.actor, ['owner', 'admin', 'manager'], 'ask to waive an outcome')
    requireOpen(o)
    await requireOwner(tx, args.orgId, args.actor, o.owner)
    if (o.waiveRequestedAt !== null) {
      throw new DomainError(
        'outcome.conflict_waiver_pending',
        `${o.waiveRequestedBy ?? '?'} already asked to waive ${o.id}; it awaits approval.`,
        { outcome: o.id },
      )
    }
    const reason = requireText(args.reason, 'outcome.reason_required', 'A written reason for the waiver')
    const at = args.now.toISOString()
    return changeOutcome(tx, {
      orgId: args.orgId,
      outcome: o,
      patch: { waiveRequestedBy: args.actor.id, waiveRequestedAt: at, waiveReason: reason },
      action: 'waive.request',
      actor: args.actor.id,
      at,
    })
  })
}
