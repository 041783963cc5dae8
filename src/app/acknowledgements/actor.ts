import type { Queryable } from '../ports/sql.ts'

export type Role = 'owner' | 'admin' | 'finance' | 'manager' | 'rep'

/** Who acts: a person's id (for the audit log), their role, and the rep they sign in as, if any. */
export interface Actor {
  readonly id: string
  readonly role: Role
  readonly repId?: string | null
}

/** Owners, admins and finance see every rep; a manager the reps under them; a rep only themselves. */
export function seesEveryRep(actor: Actor): boolean {
  return actor.role === 'owner' || actor.role === 'admin' || actor.role === 'finance'
}

/**
 * The reps a manager's rep leads, at any depth of the manager tree (reps.manager), without the
 * manager.
 */
export async function repsUnder(db: Queryable, orgId: string, managerRepId: string): Promise<Set<string>> {
  const rows = await db.query<{ id: string }>(
    `with recursive under(id) as (
       select id from reps where org_id = $1 and manager = $2
       union
       select r.id from reps r join under u on r.manager = u.id where r.org_id = $1
     )
     select id from under`,
    [orgId, managerRepId],
  )
  return new Set(rows.map((r) => r.id).filter((id) => id !== managerRepId))
}

/** The rep ids an actor may see (null: all of them). */
export async function visibleReps(db: Queryable, orgId: string, actor: Actor): Promise<Set<string> | null> {
  if (seesEveryRep(actor)) return null
  const own = actor.repId ?? null
  if (actor.role === 'manager' && own !== null) return new Set([own, ...(await repsUnder(db, orgId, own))])
  return new Set(own === null ? [] : [own])
}

/** Instants from the database as ISO 8601 text. */
export const isoOf = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value))
