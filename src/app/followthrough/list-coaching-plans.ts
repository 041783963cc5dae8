import type { Queryable } from '../ports/sql.ts'
import { repOfPerson } from './access.ts'
import { type CoachingPlan, type CoachingState, PLAN_COLUMNS, rowToPlan } from './coaching-record.ts'
import type { Actor } from './outcome-record.ts'

/** Coaching plans with how many items are scheduled and done; a rep sees only their own. */
export async function listCoachingPlans(
  db: Queryable,
  args: { orgId: string; actor: Actor; state?: CoachingState; rep?: string },
): Promise<(CoachingPlan & { items: number; done: number })[]> {
  const where = ['c.org_id = $1']
  const params: unknown[] = [args.orgId]
  const add = (sql: string, value: unknown) => {
    params.push(value)
    where.push(`${sql} $${params.length}`)
  }
  if (args.actor.role === 'rep') add('c.rep_id =', (await repOfPerson(db, args.orgId, args.actor.id)) ?? '')
  if (args.state !== undefined) add('c.state =', args.state)
  if (args.rep !== undefined) add('c.rep_id =', args.rep)
  const rows = await db.query(
    `select ${PLAN_COLUMNS},
            (select count(*)::int from coaching_items i where i.org_id = c.org_id and i.coaching_plan_id = c.id) as items,
            (select count(*)::int from coaching_items i where i.org_id = c.org_id and i.coaching_plan_id = c.id
                and i.done_at is not null) as done
       from coaching_plans c where ${where.join(' and ')}
      order by c.opened_period, c.rep_id, c.opened_at`,
    params,
  )
  return rows.map((r) => ({ ...rowToPlan(r), items: Number(r.items), done: Number(r.done) }))
}
