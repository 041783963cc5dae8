import { type Actor, visibleReps } from '../acknowledgements/actor.ts'
import type { Queryable } from '../ports/sql.ts'
import { DISPUTE_COLUMNS, type Dispute, type DisputeState, disputeHistory, toDispute } from './dispute.ts'

/**
 * Disputes with their answers and history, newest first: a rep sees their own, a manager those of
 * the reps under them (and their own), owners, admins and finance all. Filter by state, rep or
 * the disputed line's period.
 */
export async function listDisputes(
  db: Queryable,
  args: { orgId: string; actor: Actor; state?: DisputeState; repId?: string; period?: string },
): Promise<Dispute[]> {
  const visible = await visibleReps(db, args.orgId, args.actor)
  const rows = await db.query<Record<string, unknown>>(
    `select ${DISPUTE_COLUMNS} from disputes
      where org_id = $1 and ($2::text is null or state = $2) and ($3::text is null or rep_id = $3)
        and ($4::text is null or period = $4)
      order by id desc`,
    [args.orgId, args.state ?? null, args.repId ?? null, args.period ?? null],
  )
  const mine = rows.filter((r) => visible === null || visible.has(String(r.rep_id)))
  const history = await disputeHistory(
    db,
    args.orgId,
    mine.map((r) => Number(r.id)),
  )
  return mine.map((r) => toDispute(r, history.get(Number(r.id)) ?? []))
}
