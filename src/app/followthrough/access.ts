import { DomainError } from '../../core/domain-error.ts'
import type { Queryable } from '../ports/sql.ts'
import type { Actor, Role } from './outcome-record.ts'

/** Refuses (`<area>.forbidden`) an actor whose role is not among `roles`. */
export function requireRole(actor: Actor, roles: readonly Role[], what: string, area = 'outcome'): void {
  if (!roles.includes(actor.role)) {
    throw new DomainError(`${area}.forbidden`, `A person with the role ${actor.role} cannot ${what}.`, {
      role: actor.role,
      allowed: roles,
    })
  }
}

/** The rep a person signs in as (a manager's or a rep's own rep id), or null. */
export async function repOfPerson(db: Queryable, orgId: string, personId: string): Promise<string | null> {
  const [row] = await db.query<{ rep_id: string | null }>(
    'select rep_id from people where org_id = $1 and id = $2',
    [orgId, personId],
  )
  return row?.rep_id ?? null
}

/**
 * Owners and admins act on every item; a manager only on the items they own (the person's rep is
 * the item's owner, the rep's manager at close time); refused with `<area>.forbidden_not_owner`.
 */
export async function requireOwner(
  db: Queryable,
  orgId: string,
  actor: Actor,
  owner: string | null,
  area = 'outcome',
): Promise<void> {
  if (actor.role === 'owner' || actor.role === 'admin') return
  const rep = await repOfPerson(db, orgId, actor.id)
  if (actor.role === 'manager' && rep !== null && rep === owner) return
  throw new DomainError(
    `${area}.forbidden_not_owner`,
    `${actor.id} is not the owner of this item (${owner ?? 'none'}).`,
    {
      actor: actor.id,
      owner,
    },
  )
}
