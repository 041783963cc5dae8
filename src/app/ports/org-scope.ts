import type { Database, Queryable } from './sql.ts'

/** The role requests and jobs run as: not a superuser, owner of nothing, so row-level security applies. */
export const APP_ROLE = 'followthrough_app'

/**
 * Runs fn in one transaction scoped to one organization: the transaction switches to the app's
 * role (`set local role followthrough_app`, migration 0008) and sets `app.org_id`, both for the
 * transaction only, so row-level security policies (PostgreSQL and PGlite alike) refuse rows of any
 * other organization even where a query forgets its `org_id` filter. Every request of the server and
 * every job runs its queries through this.
 */
export async function withOrgScope<T>(
  db: Database,
  orgId: string,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`set local role ${APP_ROLE}`)
    await tx.query(`select set_config('app.org_id', $1, true)`, [orgId])
    return fn(tx)
  })
}
