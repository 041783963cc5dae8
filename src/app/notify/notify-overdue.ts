import type { Database } from '../ports/sql.ts'
import type { Directory } from './directory.ts'
import { composeOutcomes, type OutcomeToNotify, outcomeNotes } from './outcome-notes.ts'
import { type Posted, postNotifications } from './post-notifications.ts'

/**
 * Tells of overdue outcomes: each to its owner and to every person with the owner or admin role,
 * once per outcome and recipient (in the app, and by one email each listing what is new).
 */
export async function notifyOverdue(
  db: Database,
  args: { orgId: string; now: Date; directory: Directory; items: readonly OutcomeToNotify[] },
): Promise<Posted> {
  return postNotifications(db, {
    orgId: args.orgId,
    now: args.now,
    notes: outcomeNotes('outcome_overdue', args.items, args.directory, true),
    compose: composeOutcomes('outcome_overdue'),
  })
}
