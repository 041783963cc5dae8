import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import { calcCommand, type CalcOptions } from './calc-command.ts'
import { checkCommand } from './check-command.ts'

/** Where the CLI writes; tests pass their own to capture output. */
export interface Io {
  stdout(s: string): void
  stderr(s: string): void
  /** Whether stdout is a terminal: `calc` then defaults to the table, in colour. */
  readonly isTTY: boolean
  /** Terminal width for the table; 100 when unknown. */
  readonly columns?: number
}

export const USAGE_EXIT = 2

function processIo(): Io {
  // `calc ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  const tty = process.stdout.isTTY === true
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: tty,
    ...(tty && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: string
  }
  return pkg.version ?? '0.0.0'
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

/** Runs the followthrough command line; resolves to the exit status (0 done, 1 bad input, 2 wrong usage). */
export async function runCli(argv: string[], io: Io = processIo()): Promise<number> {
  let status = 0
  const program = new Command('followthrough')
    .description('Sales plans as written promises, evaluated the same way for everyone.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')

  program
    .command('calc')
    .description('Evaluate plans over reps, deals, activities and quotas from files')
    .requiredOption('--plan <file>', 'a plan file (YAML or JSON); repeat for more plans', collect)
    .requiredOption('--reps <file>', 'reps.csv')
    .requiredOption('--deals <file>', 'deals.csv')
    .option('--activities <file>', 'activities.csv')
    .option('--quotas <file>', 'quotas.csv')
    .requiredOption('--from <date>', 'first day: YYYY-MM-DD, or a period key (2026-01, 2026-Q1, 2026)')
    .requiredOption('--to <date>', 'last day: YYYY-MM-DD, or a period key meaning its last day')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a terminal, else json)').choices([
        'json',
        'table',
        'csv',
      ]),
    )
    .addHelpText(
      'after',
      '\nExample:\n  followthrough calc --plan plan.yaml --reps reps.csv --deals deals.csv --from 2026-01 --to 2026-Q2\n',
    )
    .action(async (opts: CalcOptions) => {
      status = await calcCommand(opts, io)
    })

  program
    .command('check')
    .description('Check plan files and report every problem as FILE:LINE:COL: message')
    .argument('<plan...>', 'plan files')
    .action(async (files: string[]) => {
      status = await checkCommand(files, io)
    })

  // The system of record's commands load the database, the server and their use cases: about 0.8 s
  // that `calc` and `check` (files in, result out) do not pay.
  if (argv[0] !== 'calc' && argv[0] !== 'check') {
    const [{ addDbCommands }, { planCommand }, { addServeCommand }] = await Promise.all([
      import('./db-commands.ts'),
      import('./plan-command.ts'),
      import('./serve-command.ts'),
    ])
    addDbCommands(program, io, (s) => (status = s))
    planCommand(program, io, (s) => (status = s))
    addServeCommand(program, io, (s) => (status = s))
  }

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_EXIT
    throw error
  }
  return status
}
