import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { createDemo, type DemoFiles } from '../../app/demo/create-demo.ts'
import { importCanonical, type CsvRows, type ImportKind } from '../../app/import/import-canonical.ts'
import { formatInputIssue } from '../../core/records/issues.ts'
import type { InputIssue } from '../../core/records/records.ts'
import { readCsv } from '../csv/read-csv.ts'
import type { Io } from './main.ts'
import { actor, dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

/** Reads a CSV file whole into records with their lines (CSV problems as issues). */
export async function readCsvFile(file: string): Promise<CsvRows> {
  const rows: { cells: string[]; line: number }[] = []
  const issues: InputIssue[] = []
  await readCsv(createReadStream(file, { highWaterMark: 1 << 20 }), {
    record: (cells, line) => rows.push({ cells, line }),
    error: (line, message) => issues.push({ file, line, message }),
  })
  return { file, rows, issues }
}

/** `import` and `demo`: bringing data into the system of record. */
export function addStoreCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  dbOptions(
    program
      .command('import')
      .description(
        'Import a canonical CSV file (reps, deals, activities or quotas): checked whole, all or nothing, idempotent',
      )
      .argument('<kind>', 'reps | deals | activities | quotas')
      .argument('<file>')
      .option('--preview', 'show the first rows as they will be stored, and store nothing'),
  ).action(async (kind: string, file: string, opts: DbOptions & { preview?: boolean }) => {
    if (!['reps', 'deals', 'activities', 'quotas'].includes(kind)) {
      io.stderr(`import: "${kind}" is not reps, deals, activities or quotas\n`)
      return done(2)
    }
    done(await importCommand(kind as ImportKind, file, opts, io, openDb))
  })

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
      reps: await readCsvFile(example('reps.csv')),
      deals: await readCsvFile(example('deals.csv')),
      activities: await readCsvFile(example('activities.csv')),
      quotas: await readCsvFile(example('quotas.csv')),
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

async function importCommand(
  kind: ImportKind,
  file: string,
  opts: DbOptions & { preview?: boolean },
  io: Io,
  openDb: OpenDb,
): Promise<number> {
  let csv: CsvRows
  try {
    csv = await readCsvFile(file)
  } catch (error) {
    io.stderr(`${file}:0: cannot read the file: ${(error as Error).message}\n`)
    return 1
  }
  return withDb(opts, io, openDb, async (db, orgId) => {
    const started = performance.now()
    const out = await importCanonical(db, {
      orgId,
      kind,
      csv,
      actor: actor(),
      now: new Date(),
      preview: opts.preview === true,
    })
    if (!out.ok) {
      for (const issue of out.issues) io.stderr(`${formatInputIssue(issue)}\n`)
      if (out.more > 0) io.stderr(`… and ${out.more} more problems\n`)
      io.stderr('Nothing was stored.\n')
      return 1
    }
    if (opts.preview === true) {
      io.stdout(previewTable(out.preview) + '\nPreview only: nothing was stored.\n')
      return 0
    }
    const seconds = (performance.now() - started) / 1000
    const { added, changed, unchanged } = out.changes
    io.stdout(
      `Imported ${file}: ${added} added, ${changed} changed, ${unchanged} unchanged (${seconds.toFixed(1)} s).\n`,
    )
    return 0
  })
}

function previewTable(rows: readonly Record<string, string>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'fields')
  const widths = columns.map((c) => Math.min(30, Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length))))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.slice(0, 30).padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(columns), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n')
}
