// The database interface lives with the use cases (src/app/ports/sql.ts); adapters implement it.
export type { Database, Queryable } from '../../app/ports/sql.ts'
