import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { createDemo, type DemoFiles } from '../../app/demo/create-demo.ts'
import { fileSource } from '../import/import-sources.ts'
import type { Io } from './main.ts'
import { dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

/** `demo`: the example company in the system of record. */
export function addStoreCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  dbOptions(
    program
      .command('demo')
      .description('Create the demo company in an empty database, its past months closed'),
  ).action(async (opts: DbOptions) => {
    done(await demoCommand(opts, io, openDb))
  })
}

/** `followthrough demo`: the example company in an empty database, its past months closed. */
export async function demoCommand(opts: DbOptions, io: Io, openDb: OpenDb): Promise<number> {
  const example = (name: string): string =>
    fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url))
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
  return withDb(opts, io, openDb, async (db, orgId) => {
    const out = await createDemo(db, {
      orgId,
      files,
      now: new Date(),
      onStep: (text) => io.stderr(`… ${text}\n`),
    })
    io.stdout(
      `The demo company is ready: ${out.closed.length} months closed (${out.closed[0] ?? '-'} to ${out.closed.at(-1) ?? '-'}).\n` +
        'Try: followthrough statement r01 2026-03 · followthrough export payroll 2026-03 · followthrough ledger verify\n',
    )
    return 0
  })
}
