import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { fileSource } from '../../src/adapters/import/import-sources.ts'
import { createDemo, type DemoFiles } from '../../src/app/demo/create-demo.ts'
import type { Database } from '../../src/app/ports/sql.ts'

const example = (name: string): string => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))

/** The demo company (examples/) in a database, with the months closed that ended by `now`. */
export async function demoCompany(db: Database, orgId: string, now: Date): Promise<string[]> {
  const files: DemoFiles = {
    plans: await Promise.all(
      ['plan.yaml', 'manager-plan.yaml'].map(async (file) => ({
        file: `examples/${file}`,
        text: await readFile(example(file), 'utf8'),
      })),
    ),
    csv: {
      reps: fileSource(example('reps.csv'), 'examples/reps.csv'),
      deals: fileSource(example('deals.csv'), 'examples/deals.csv'),
      activities: fileSource(example('activities.csv'), 'examples/activities.csv'),
      quotas: fileSource(example('quotas.csv'), 'examples/quotas.csv'),
    },
  }
  return (await createDemo(db, { orgId, files, now })).closed
}
