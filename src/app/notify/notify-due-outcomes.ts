import type { Database } from '../ports/sql.ts'
import type { Directory } from './directory.ts'
import { composeOutcomes, type OutcomeToNotify, outcomeNotes } from './outcome-notes.ts'
import { type Posted, postNotifications } from './post-notifications.ts'

/**
 * Tells owners of the due outcomes they have not been told of yet (in the app, and by one email
 * each listing them); an outcome without an owner goes to the owners and admins. Idempotent: the
 * key is the outcome and the recipient.
 */
export async function notifyDueOutcomes(
  db: Database,
  args: { orgId: string; now: Date; directory: Directory; items: readonly OutcomeToNotify[] },
): Promise<Posted> {
  return postNotifications(db, {
    orgId: args.orgId,
    now: args.now,
    notes: outcomeNotes('outcome_due', args.items, args.directory, false),
    compose: composeOutcomes('outcome_due'),
  })
}
