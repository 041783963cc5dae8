import type { Command } from 'commander'
import { createDemo } from '../../app/demo/create-demo.ts'
import { exampleDemoFiles } from '../demo/demo-files.ts'
import { formatDemoLogins } from '../demo/format-demo-logins.ts'
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
  const files = await exampleDemoFiles()
  return withDb(opts, io, openDb, async (db, orgId) => {
    const out = await createDemo(db, {
      orgId,
      files,
      now: new Date(),
      history: true,
      onStep: (text) => io.stderr(`… ${text}\n`),
    })
    io.stdout(
      `The demo company is ready: ${out.closed.length} months closed (${out.closed[0] ?? '-'} to ${out.closed.at(-1) ?? '-'}).\n` +
        'Try: followthrough statement r01 2026-03 · followthrough export payroll 2026-03 · followthrough ledger verify\n' +
        formatDemoLogins(out.logins),
    )
    return 0
  })
}
