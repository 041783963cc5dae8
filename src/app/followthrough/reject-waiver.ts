import type { Database } from '../ports/sql.ts'
import { requireApprover } from './approve-waiver.ts'
import { requireOpen, requireText } from './outcome-checks.ts'
import { type Actor, changeOutcome, getOutcomeForUpdate, type Outcome } from './outcome-record.ts'

/**
 * Rejects a requested waiver with a written reason (same people as approval): the request is
 * cleared from the item (kept in its events) and the item stays due or overdue.
 */
export async function rejectWaiver(
  db: Database,
  args: { orgId: string; actor: Actor; now: Date; id: string; reason: string },
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const o = await getOutcomeForUpdate(tx, args.orgId, args.id)
    requireOpen(o)
    requireApprover(args.actor, o)
    const reason = requireText(args.reason, 'outcome.reason_required', 'A written reason for the rejection')
    const at = args.now.toISOString()
    return changeOutcome(tx, {
      orgId: args.orgId,
      outcome: o,
      patch: { waiveRequestedBy: null, waiveRequestedAt: null, waiveReason: null },
      action: 'waive.reject',
      actor: args.actor.id,
      at,
      extra: { rejectReason: reason },
    })
  })
}
