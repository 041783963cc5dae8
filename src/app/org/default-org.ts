import type { Queryable } from '../ports/sql.ts'

/**
 * The organization a command works on: the one named, else the only one in the database, created
 * as `default` (USD, UTC) on first use. Several organizations and none named is an error.
 */
export async function resolveOrg(db: Queryable, org?: string): Promise<string> {
  if (org !== undefined) {
    const rows = await db.query<{ id: string }>('select id from organizations where id = $1', [org])
    if (rows.length === 0) throw new Error(`There is no organization "${org}".`)
    return org
  }
  const rows = await db.query<{ id: string }>('select id from organizations order by id limit 2')
  if (rows.length > 1) throw new Error('There are several organizations: choose one with --org.')
  const only = rows[0]
  if (only !== undefined) return only.id
  await db.query(
    `insert into organizations (id, name, currency, timezone) values ('default', 'Default', 'USD', 'UTC')
     on conflict (id) do nothing`,
  )
  return 'default'
}
