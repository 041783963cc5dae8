/**
 * The port through which use cases reach the system of record: SQL with $1…$n parameters, one
 * dialect (PostgreSQL, embedded as PGlite or as a server). bigint columns come back as `bigint`,
 * numeric as string, JSON parsed. Implemented in src/adapters/db.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  exec(sql: string): Promise<void>
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}
