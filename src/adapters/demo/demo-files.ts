import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { DemoFiles } from '../../app/demo/create-demo.ts'
import { fileSource } from '../import/import-sources.ts'

const example = (name: string): string => fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url))

/** The example company shipped under examples/: its two plans and its CSV files. */
export async function exampleDemoFiles(): Promise<DemoFiles> {
  return {
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
}
