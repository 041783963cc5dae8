import { formatLocalDate } from '../../core/calendar/civil.ts'
import { ZoneCalendar } from '../../core/calendar/instant.ts'
import type { Database } from '../ports/sql.ts'
import { OUTCOME_COLUMNS, type Outcome, recordChanges, rowToOutcome } from './outcome-record.ts'

/**
 * Marks `overdue` every `due` item whose due date has passed: the organization's local date at
 * `now` (its IANA time zone, through Temporal) is after `due_on`, so an item due on the 8th turns
 * overdue at local midnight starting the 9th, whatever the UTC offset that day. Returns the items
 * that became overdue now (for alerts); running it again returns none.
 */
export async function markOverdue(
  db: Database,
  args: { orgId: string; now: Date; actor?: string },
): Promise<{ today: string; overdue: Outcome[] }> {
  return db.transaction(async (tx) => {
    const [org] = await tx.query<{ timezone: string }>('select timezone from organizations where id = $1', [
      args.orgId,
    ])
    const today = formatLocalDate(new ZoneCalendar(org?.timezone ?? 'UTC').localDay(args.now.getTime()))
    const at = args.now.toISOString()
    const rows = await tx.query(
      `update outcomes as o set state = 'overdue', overdue_at = $3
        where o.org_id = $1 and o.state = 'due' and o.due_on < $2::date
        returning ${OUTCOME_COLUMNS}`,
      [args.orgId, today, at],
    )
    const overdue = rows
      .map(rowToOutcome)
      .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.id.localeCompare(b.id))
    await recordChanges(
      tx,
      args.orgId,
      overdue.map((o) => ({
        outcome: o,
        action: 'overdue',
        actor: args.actor ?? 'system',
        before: { state: 'due', overdueAt: null },
        after: { state: 'overdue', overdueAt: at, dueOn: o.dueOn, today },
      })),
      at,
    )
    return { today, overdue }
  })
}
