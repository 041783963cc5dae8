import { type Command, Option } from 'commander'
import { openDatabase } from '../db/open-database.ts'
import { closeCommand, ledgerVerifyCommand, reopenCommand } from './close-command.ts'
import { disputesCommand } from './disputes-command.ts'
import type { Io } from './main.ts'
import { approvePayoutsCommand, exportPayrollCommand, statementCommand } from './payout-command.ts'
import { addStoreCommands } from './store-commands.ts'
import { addReportCommands } from './report-command.ts'
import { addProgressCommand } from './progress-command.ts'
import { importCommand } from './import-command.ts'
import { builtInMappings } from '../import/load-mapping.ts'
import { dbOptions, type DbOptions, type OpenDb } from './with-db.ts'
import { addWebhookCommands } from './webhooks-command.ts'
import { addWorkerCommand } from './worker-command.ts'
import { addNotifyCommands } from './notify-command.ts'
import { addOutcomesCommands } from './outcomes-command.ts'
import { addCoachingCommands } from './coaching-command.ts'

const openDb: OpenDb = (opts) => openDatabase(opts)

const format = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json']).default('table')

/** The commands that work on the system of record: close, ledger, statements, payroll. */
export function addDbCommands(program: Command, io: Io, done: (status: number) => void): void {
  addStoreCommands(program, io, openDb, done)
  addWebhookCommands(program, io, openDb, done)
  addWorkerCommand(program, io, openDb, done)
  disputesCommand(program, io, done, openDb)
  addReportCommands(program, io, openDb, done)
  addProgressCommand(program, io, openDb, done)
  addNotifyCommands(program, io, openDb, done)
  addOutcomesCommands(program, io, openDb, done)
  addCoachingCommands(program, io, openDb, done)
  dbOptions(
    program
      .command('import')
      .description(
        'Import reps, deals, activities or quotas from a CSV file: checked whole, all or nothing, idempotent',
      )
      .argument('<kind>', 'reps | deals | activities | quotas')
      .argument('<file>', 'a canonical CSV file, or an export read through --mapping')
      .option(
        '--mapping <name|file>',
        `a built-in mapping (${builtInMappings().join(', ')}) or a mapping YAML file`,
      )
      .option(
        '--preview',
        'show the first rows as they will be stored, and what would change; store nothing',
      ),
  ).action(async (kind: string, file: string, opts: DbOptions & { mapping?: string; preview?: boolean }) => {
    done(await importCommand({ kind, file, ...opts }, io, openDb))
  })
  const close = dbOptions(
    program
      .command('close')
      .description('Close a period (2026-01, 2026-Q1, 2026) for every plan of its kind, or --dry-run it')
      .argument('[period]', 'the period to close')
      .option(
        '--dry-run',
        'compute and show what the close would store, and what changed since the last dry run',
      )
      .addOption(format()),
  ).action(async (period: string | undefined, opts: DbOptions & { dryRun?: boolean; format?: string }) => {
    if (period === undefined) {
      io.stderr('close needs a PERIOD (e.g. followthrough close 2026-01)\n')
      done(2)
      return
    }
    done(await closeCommand(period, opts, io, openDb))
  })
  dbOptions(
    close
      .command('reopen')
      .description('Reopen a closed period: reverse its ledger entries with new ones, with a reason')
      .argument('<period>')
      .requiredOption('--reason <text>', 'why the period is reopened (kept in the audit log)'),
  ).action(async (period: string, opts: DbOptions & { reason: string }) => {
    done(await reopenCommand(period, opts, io, openDb))
  })

  const ledger = program.command('ledger').description('The append-only, hash-chained ledger')
  dbOptions(
    ledger.command('verify').description('Check the whole chain and name the first broken entry'),
  ).action(async (opts: DbOptions) => {
    done(await ledgerVerifyCommand(opts, io, openDb))
  })

  dbOptions(
    program
      .command('statement')
      .description("A rep's statement for a closed period")
      .argument('<rep>')
      .argument('<period>')
      .addOption(format())
      .option('--pdf <file>', 'also write the statement as a PDF to this file'),
  ).action(async (rep: string, period: string, opts: DbOptions & { format?: string; pdf?: string }) => {
    done(await statementCommand(rep, period, opts, io, openDb))
  })

  const exportCommand = program.command('export').description('Exports for finance')
  dbOptions(
    exportCommand
      .command('payroll')
      .description('CSV of what to pay for a closed period: rep,email,period,currency,amount')
      .argument('<period>')
      .option('--lines', 'one row per ledger line'),
  ).action(async (period: string, opts: DbOptions & { lines?: boolean }) => {
    done(await exportPayrollCommand(period, opts, io, openDb))
  })

  const payouts = program.command('payouts').description("Finance's approval of payouts")
  dbOptions(
    payouts
      .command('approve')
      .description("Record finance's approval of a closed period")
      .argument('<period>'),
  ).action(async (period: string, opts: DbOptions) => {
    done(await approvePayoutsCommand(period, opts, io, openDb))
  })
}
