import type { Database, Queryable } from './sql.ts'

/**
 * Runs fn in one transaction scoped to one organization: `app.org_id` is set for the transaction
 * only, so row-level security policies (PostgreSQL and PGlite alike) refuse rows of any other
 * organization even where a query forgets its `org_id` filter. Every request of the server and
 * every job runs its queries through this.
 */
export async function withOrgScope<T>(
  db: Database,
  orgId: string,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`select set_config('app.org_id', $1, true)`, [orgId])
    return fn(tx)
  })
}
