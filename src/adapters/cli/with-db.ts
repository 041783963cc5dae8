import type { Command } from 'commander'
import { resolveOrg } from '../../app/org/default-org.ts'
import type { Database } from '../../app/ports/sql.ts'
import { formatInputIssue } from '../../core/records/issues.ts'
import type { InputIssue } from '../../core/records/records.ts'
import type { Io } from './main.ts'

/** Options every database command takes. */
export interface DbOptions {
  data?: string
  org?: string
}

export type OpenDb = (opts: { dataDir?: string }) => Promise<Database>

/** Who the CLI acts as, for the audit log. */
export const actor = (): string => process.env.FOLLOWTHROUGH_ACTOR ?? process.env.USER ?? 'cli'

/** An expected refusal of a use case: printed on stderr (with any input issues), exit status 1. */
interface Refusal {
  readonly code: string
  readonly message: string
  readonly issues?: readonly InputIssue[]
}

function isRefusal(error: unknown): error is Refusal {
  if (!(error instanceof Error)) return false
  const code: unknown = (error as unknown as { code?: unknown }).code
  return typeof code === 'string' && /^[a-z]+\.[a-z_]+$/.test(code)
}

/** Opens the database, resolves the organization, runs a command and always closes the database. */
export async function withDb(
  opts: DbOptions,
  io: Io,
  openDb: OpenDb,
  run: (db: Database, orgId: string) => Promise<number>,
): Promise<number> {
  const refuse = (error: unknown): number => {
    if (!isRefusal(error)) throw error
    io.stderr(`${error.message}\n`)
    for (const issue of error.issues ?? []) io.stderr(`${formatInputIssue(issue)}\n`)
    return 1
  }
  let db: Database
  try {
    db = await openDb(opts.data === undefined ? {} : { dataDir: opts.data })
  } catch (error) {
    return refuse(error)
  }
  try {
    return await run(db, await resolveOrg(db, opts.org))
  } catch (error) {
    return refuse(error)
  } finally {
    await db.close()
  }
}

/** Adds the options every database command takes. */
export function dbOptions(command: Command): Command {
  return command
    .option(
      '--data <dir>',
      'the embedded database folder (default ./data or FOLLOWTHROUGH_DATA); ignored with DATABASE_URL',
    )
    .option('--org <id>', 'the organization (default: the only one)')
}
