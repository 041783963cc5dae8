import type { Queryable } from '../../app/ports/sql.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Principal } from './context.ts'

/**
 * The reps a principal may see: null for every rep (owner, admin, finance); for a manager the reps
 * whose manager chain leads to the manager's rep (the manager included); for a rep only the rep.
 */
export async function visibleReps(tx: Queryable, principal: Principal): Promise<string[] | null> {
  if (principal.role === 'owner' || principal.role === 'admin' || principal.role === 'finance') return null
  if (principal.repId === null) return []
  if (principal.role === 'rep') return [principal.repId]
  const rows = await tx.query<{ id: string }>(
    `with recursive tree (id) as (
       select id from reps where org_id = $1 and id = $2
       union
       select r.id from reps r join tree t on r.manager = t.id where r.org_id = $1
     ) select id from tree order by id`,
    [principal.orgId, principal.repId],
  )
  return rows.map((r) => r.id)
}

/** visibleReps with the manager's tree already read (`tree`: the reps under the manager's rep). */
export function visibleRepsGiven(principal: Principal, tree: readonly string[]): readonly string[] | null {
  if (principal.role === 'owner' || principal.role === 'admin' || principal.role === 'finance') return null
  if (principal.repId === null) return []
  if (principal.role === 'rep') return [principal.repId]
  return tree
}

/** Refuses (403) a rep outside what the principal may see. */
export async function requireRepVisible(tx: Queryable, principal: Principal, repId: string): Promise<void> {
  const visible = await visibleReps(tx, principal)
  if (visible !== null && !visible.includes(repId)) {
    throw new DomainError('auth.forbidden', `You may not see the rep "${repId}".`, { repId })
  }
}

/** Whether the principal sees every rep's pay (owner, admin, finance). */
export const seesAllPay = (principal: Principal): boolean =>
  principal.role === 'owner' || principal.role === 'admin' || principal.role === 'finance'

/** A JSON number from minor units, refused beyond the exact range of JSON numbers. */
export function minorToJson(amount: bigint): number {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new DomainError('result.out_of_range', `${amount} minor units cannot be carried exactly in JSON.`)
  }
  return Number(amount)
}
