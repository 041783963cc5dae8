import { exampleDemoFiles } from '../../src/adapters/demo/demo-files.ts'
import { createDemo } from '../../src/app/demo/create-demo.ts'
import type { Database } from '../../src/app/ports/sql.ts'

/** The demo company (examples/) in a database, with the months closed that ended by `now`. */
export async function demoCompany(db: Database, orgId: string, now: Date): Promise<string[]> {
  return (await createDemo(db, { orgId, files: await exampleDemoFiles(), now })).closed
}
