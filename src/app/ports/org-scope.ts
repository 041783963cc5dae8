import type { Database, Queryable } from './sql.ts'

/** The role requests and jobs run as: not a superuser, owner of nothing, so row-level security applies. */
export const APP_ROLE = 'followthrough_app'

/** Organization ids written into the scope's SQL text as they are: nothing to quote in them. */
const PLAIN_ID = /^[A-Za-z0-9_.-]{1,200}$/

/**
 * Runs fn in one transaction scoped to one organization: the transaction switches to the app's
 * role (`set local role followthrough_app`, migration 0008) and sets `app.org_id`, both for the
 * transaction only, so row-level security policies (PostgreSQL and PGlite alike) refuse rows of any
 * other organization even where a query forgets its `org_id` filter. Every request of the server and
 * every job runs its queries through this.
 *
 * Both settings go in one statement text (one round trip to the server, which a PostgreSQL
 * transaction also joins its `begin` to: docs/adr/0011-progress-under-load.md) when the id is plain
 * letters, digits, `_`, `.` and `-`; any other id is passed as a parameter, in a second round trip.
 */
export async function withOrgScope<T>(
  db: Database,
  orgId: string,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    if (PLAIN_ID.test(orgId))
      await tx.exec(`set local role ${APP_ROLE}; select set_config('app.org_id', '${orgId}', true)`)
    else {
      await tx.exec(`set local role ${APP_ROLE}`)
      await tx.query(`select set_config('app.org_id', $1, true)`, [orgId])
    }
    return fn(tx)
  })
}

/** A parameter written into SQL text as a literal: null, a bigint, or a plain id. */
function literal(value: unknown): string | undefined {
  if (value === null) return 'null'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string' && PLAIN_ID.test(value)) return `'${value}'`
  return undefined
}

/**
 * One read (a select) in the organization's scope, as `withOrgScope(db, orgId, (tx) => tx.query(sql,
 * params))` gives it. On PostgreSQL, when the id and every parameter are plain (null, a bigint, a
 * plain id), the scope's two settings and the read go as one statement text: the server runs the
 * text as one implicit transaction (the `set local`s end with it, on error too) and the connection
 * returns to the pool clean. One round trip instead of four (begin, scope, read, commit) for the
 * reads of hot paths: the progress endpoint's data version (docs/adr/0011-progress-under-load.md).
 */
export async function readInOrgScope<T>(
  db: Database,
  orgId: string,
  sql: string,
  params: readonly (string | bigint | null)[],
): Promise<T[]> {
  const values = params.map(literal)
  if (db.kind !== 'postgres' || !PLAIN_ID.test(orgId) || values.some((v) => v === undefined))
    return withOrgScope(db, orgId, (tx) => tx.query<T>(sql, [...params]))
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1]
    if (value === undefined) throw new Error(`The read has no parameter $${n}.`)
    return value
  })
  return db.query<T>(`set local role ${APP_ROLE}; select set_config('app.org_id', '${orgId}', true); ${text}`)
}

/**
 * One read in the scope of the organization that `orgOf`, a scalar subquery, names when the read
 * starts (a session's, when only its cookie is known: `sessionReadSql` in src/app/auth/sessions.ts).
 * The subquery is evaluated under the app's role already, so it sees only what the role may (a
 * security definer function such as `auth_session`); when it gives null the scope is no
 * organization and row-level security shows the read no row. `current_setting('app.org_id')` in
 * `sql` is the organization. Both texts must be literals the caller made safe: nothing is quoted.
 * On PostgreSQL the three statements go as one text (one round trip, one implicit transaction, as
 * in `readInOrgScope`); elsewhere in one transaction.
 */
export async function readInOrgScopeOf<T>(db: Database, orgOf: string, sql: string): Promise<T[]> {
  const scope = `set local role ${APP_ROLE}; select set_config('app.org_id', coalesce(${orgOf}, ''), true)`
  if (db.kind === 'postgres') return db.query<T>(`${scope}; ${sql}`)
  return db.transaction(async (tx) => {
    await tx.exec(scope)
    return tx.query<T>(sql)
  })
}
