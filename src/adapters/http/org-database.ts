import { withOrgScope } from '../../app/ports/org-scope.ts'
import type { Database, Queryable } from '../../app/ports/sql.ts'

/**
 * The database seen by one organization, for use cases that take a whole `Database` (imports,
 * closes): every statement and transaction runs through withOrgScope. It cannot be closed.
 */
export function orgDatabase(db: Database, orgId: string): Database {
  return {
    kind: db.kind,
    query: <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
      withOrgScope(db, orgId, (tx: Queryable) => tx.query<T>(sql, params)),
    exec: (sql: string) => withOrgScope(db, orgId, (tx) => tx.exec(sql)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => withOrgScope(db, orgId, fn),
    close: () => Promise.reject(new Error('The server closes the database, not a request.')),
  }
}
