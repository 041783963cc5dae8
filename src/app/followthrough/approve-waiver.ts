import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { requireOpen } from './outcome-checks.ts'
import { type Actor, changeOutcome, getOutcomeForUpdate, type Outcome } from './outcome-record.ts'

/**
 * Approves a requested waiver: the item becomes `waived`. Only a person with the owner or admin
 * role who is not the one who asked; a rep never (`outcome.forbidden_rep_approval`).
 */
export async function approveWaiver(
  db: Database,
  args: { orgId: string; actor: Actor; now: Date; id: string },
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const o = await getOutcomeForUpdate(tx, args.orgId, args.id)
    requireOpen(o)
    requireApprover(args.actor, o)
    const at = args.now.toISOString()
    return changeOutcome(tx, {
      orgId: args.orgId,
      outcome: o,
      patch: { state: 'waived', waivedBy: args.actor.id, waivedAt: at },
      action: 'waive.approve',
      actor: args.actor.id,
      at,
    })
  })
}

/** The checks of a second approver, shared by approve and reject. */
export function requireApprover(actor: Actor, o: Outcome): void {
  if (actor.role === 'rep') {
    throw new DomainError('outcome.forbidden_rep_approval', 'A rep can never approve or reject a waiver.', {
      outcome: o.id,
    })
  }
  if (actor.role !== 'owner' && actor.role !== 'admin') {
    throw new DomainError(
      'outcome.forbidden',
      `A waiver needs a person with the owner or admin role, not ${actor.role}.`,
      {
        outcome: o.id,
        role: actor.role,
        allowed: ['owner', 'admin'],
      },
    )
  }
  if (o.waiveRequestedAt === null) {
    throw new DomainError('outcome.conflict_no_waiver', `Nobody asked to waive ${o.id}.`, { outcome: o.id })
  }
  if (o.waiveRequestedBy === actor.id) {
    throw new DomainError(
      'outcome.forbidden_self_approval',
      `${actor.id} asked for this waiver; a second person must approve it.`,
      { outcome: o.id, requester: actor.id },
    )
  }
}
