import { DomainError } from '../../core/domain-error.ts'
import type { Database } from '../ports/sql.ts'
import { requireRole } from './access.ts'
import { requireOpen, requireText } from './outcome-checks.ts'
import { type Actor, changeOutcome, getOutcomeForUpdate, type Outcome } from './outcome-record.ts'

/**
 * Decides a termination review: `separate`, or `retain` with a written reason. Either way the item
 * is `applied` (the review took place) with the decision and who decided. Retaining means nothing
 * more happens outside the plan: the rep stays on the plan and its rules apply again as stated from
 * the next close (streaks carry on; a rule that opens coaching may open a new plan; a review comes
 * again only if a new coaching plan fails). Separating records the decision; the employment end
 * itself comes in with the reps' data (left_on), which ends the rep's periods in the engine.
 * Owners and admins only.
 */
export async function decideTerminationReview(
  db: Database,
  args: { orgId: string; actor: Actor; now: Date; id: string; decision: string; reason?: string },
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const o = await getOutcomeForUpdate(tx, args.orgId, args.id)
    if (o.effect !== 'termination_review') {
      throw new DomainError(
        'outcome.conflict_not_review',
        `Outcome ${o.id} is a ${o.effect}, not a termination review.`,
        {
          outcome: o.id,
        },
      )
    }
    requireRole(args.actor, ['owner', 'admin'], 'decide a termination review')
    requireOpen(o)
    if (args.decision !== 'separate' && args.decision !== 'retain') {
      throw new DomainError(
        'outcome.bad_decision',
        `"${args.decision}" is not a decision: separate or retain.`,
        {
          outcome: o.id,
        },
      )
    }
    const reason =
      args.decision === 'retain'
        ? requireText(args.reason, 'outcome.reason_required', 'A written reason to retain')
        : (args.reason ?? '').trim() || null
    if (o.waiveRequestedAt !== null) {
      throw new DomainError(
        'outcome.conflict_waiver_pending',
        `A waiver of ${o.id} is awaiting approval; approve or reject it first.`,
        {
          outcome: o.id,
        },
      )
    }
    const at = args.now.toISOString()
    return changeOutcome(tx, {
      orgId: args.orgId,
      outcome: o,
      patch: {
        state: 'applied',
        appliedAt: at,
        appliedBy: args.actor.id,
        appliedNote: reason,
        decision: args.decision,
        decisionReason: reason,
        decidedBy: args.actor.id,
        decidedAt: at,
      },
      action: 'decide',
      actor: args.actor.id,
      at,
    })
  })
}
