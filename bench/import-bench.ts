// Import rates: reps, then deals, then the same deals again (nothing changes), through
// `importFile` as `followthrough import` runs it, into PGlite (in memory) and into PostgreSQL
// (a fresh schema, dropped after) when DATABASE_URL is set. Each engine runs in its own process,
// so that its peak RSS is its own.
//
//   node --import tsx bench/import-bench.ts                      10,000 reps, 1,000,000 deals
//   node --import tsx bench/import-bench.ts --deals 100000       a quicker run (or IMPORT_BENCH_DEALS)
//   DATABASE_URL=postgres://… node --import tsx bench/import-bench.ts
//
// bench/run.ts calls importBench() on its own data. A child run (`--child ENGINE --dir DIR`)
// prints one line `RESULT {json}`.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { migrate } from '../src/adapters/db/migrate.ts'
import { openPglite } from '../src/adapters/db/pglite-database.ts'
import { openPostgres } from '../src/adapters/db/postgres-database.ts'
import { fileSource } from '../src/adapters/import/import-sources.ts'
import { importFile } from '../src/app/import/import-file.ts'
import type { Database } from '../src/app/ports/sql.ts'
import { GENERATOR_VERSION, generateCompany } from './generate.ts'
import { resultOf, runChild } from './harness/child.ts'
import { bytes, grouped, seconds, table } from './harness/format.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Rows per second into PostgreSQL: the goal of the issue. */
export const GOAL_POSTGRES_ROWS_PER_SECOND = 50_000

type Engine = 'pglite' | 'postgres'

interface Step {
  readonly rows: number
  readonly seconds: number
  readonly added: number
  readonly unchanged: number
  /** CPU time of this process, and of the PostgreSQL backend when it runs on this machine. */
  readonly nodeCpuSeconds: number
  readonly serverCpuSeconds: number | null
}

export interface ImportBenchResult {
  readonly engine: Engine
  readonly reps: Step
  readonly deals: Step
  readonly again: Step
}

async function child(engine: Engine, dir: string): Promise<void> {
  const url = process.env.DATABASE_URL ?? ''
  const schema = `import_bench_${randomBytes(4).toString('hex')}`
  let db: Database
  if (engine === 'postgres') {
    const admin = await openPostgres(url)
    await admin.exec(`create schema ${schema}`)
    await admin.close()
    db = await openPostgres(url, schema)
  } else db = await openPglite()
  try {
    await migrate(db)
    const measured = withBackendCpu(db)
    db = measured.db
    await db.query(
      `insert into organizations (id, name, currency, timezone) values ('bench', 'Bench', 'USD', 'UTC')`,
    )
    const step = async (kind: 'reps' | 'deals'): Promise<Step> => {
      const cpu = process.cpuUsage()
      measured.reset()
      const started = performance.now()
      const out = await importFile(db, {
        orgId: 'bench',
        kind,
        file: fileSource(join(dir, `${kind}.csv`)),
        actor: 'bench',
        now: new Date('2026-12-31T12:00:00Z'),
      })
      const ended = performance.now()
      const used = process.cpuUsage(cpu)
      if (!out.ok) throw new Error(`${kind}.csv did not import: ${JSON.stringify(out.issues.slice(0, 3))}`)
      return {
        rows: out.counts.rows,
        seconds: (ended - started) / 1000,
        added: out.counts.added,
        unchanged: out.counts.unchanged,
        nodeCpuSeconds: (used.user + used.system) / 1e6,
        serverCpuSeconds: measured.seconds(),
      }
    }
    const reps = await step('reps')
    const deals = await step('deals')
    const again = await step('deals')
    const result: ImportBenchResult = { engine, reps, deals, again }
    console.log(`RESULT ${JSON.stringify(result)}`)
  } finally {
    await db.close()
    if (engine === 'postgres') {
      const admin = await openPostgres(url)
      await admin.exec(`drop schema if exists ${schema} cascade`)
      await admin.close()
    }
  }
}

/**
 * The CPU time of the PostgreSQL backends that ran the import's transactions, read from
 * /proc/PID/stat: on a shared machine, wall time says little. Null when the server is elsewhere
 * (or the engine is PGlite, whose work is this process's).
 */
function withBackendCpu(db: Database): { db: Database; reset: () => void; seconds: () => number | null } {
  let total: number | null = null
  const ticks = (pid: number): number | null => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      return (Number(fields[11]) + Number(fields[12])) / 100
    } catch {
      return null
    }
  }
  if (db.kind !== 'postgres') return { db, reset: () => {}, seconds: () => null }
  const transaction = db.transaction.bind(db)
  return {
    db: {
      ...db,
      transaction: (fn) =>
        transaction(async (tx) => {
          const [row] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid')
          const before = ticks(row?.pid ?? 0)
          try {
            return await fn(tx)
          } finally {
            const after = ticks(row?.pid ?? 0)
            if (before !== null && after !== null) total = (total ?? 0) + after - before
          }
        }),
    },
    reset: () => void (total = null),
    seconds: () => total,
  }
}

const cpuOf = (s: Step): string =>
  `${seconds(s.nodeCpuSeconds)} + ${s.serverCpuSeconds === null ? '—' : seconds(s.serverCpuSeconds)}`

const rate = (s: Step): string => `${grouped(s.rows / s.seconds)} rows/s`

/**
 * Rows per second were Node and the server each to have a core of their own: the file is read
 * once while the server stores the batches before (ADR 0010), so the slower of the two bounds
 * the import. On a shared machine the wall-clock rate also says how busy the machine was.
 */
const cpuBound = (s: Step): number | null =>
  s.serverCpuSeconds === null ? null : s.rows / Math.max(s.nodeCpuSeconds, s.serverCpuSeconds)

/**
 * Imports `dir`'s reps.csv and deals.csv (then deals.csv again) into each engine, one process
 * each, and returns the report's lines: rows/s beside the goal, and peak RSS.
 */
export async function importBench(dir: string, say: (text: string) => void = () => {}): Promise<string[]> {
  const engines: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
  const rows: string[][] = []
  const goals: string[][] = []
  for (const engine of engines) {
    say(`import into ${engine === 'pglite' ? 'PGlite (in memory)' : 'PostgreSQL (a fresh schema)'}`)
    const run = await runChild(process.execPath, [
      '--import',
      'tsx',
      join(ROOT, 'bench/import-bench.ts'),
      '--child',
      engine,
      '--dir',
      dir,
    ])
    const r = resultOf<ImportBenchResult>(run, `the import into ${engine}`)
    const name = engine === 'pglite' ? 'PGlite, in memory' : 'PostgreSQL'
    for (const [what, s] of [
      ['reps', r.reps],
      ['deals', r.deals],
      ['deals again (unchanged)', r.again],
    ] as const) {
      rows.push([
        `${name}: ${what}`,
        grouped(s.rows),
        seconds(s.seconds),
        cpuOf(s),
        rate(s),
        cpuBound(s) === null ? '' : `${grouped(cpuBound(s) ?? 0)} rows/s`,
      ])
    }
    rows.push([`${name}: peak RSS of the process`, '', '', '', bytes(run.peakRssBytes), ''])
    if (engine === 'postgres') {
      for (const [what, s] of [
        ['deals into PostgreSQL', r.deals],
        ['deals again into PostgreSQL', r.again],
      ] as const) {
        const measured = s.rows / s.seconds
        const bound = cpuBound(s)
        goals.push([
          what,
          `${grouped(measured)} rows/s`,
          bound === null ? '—' : `${grouped(bound)} rows/s`,
          `≥ ${grouped(GOAL_POSTGRES_ROWS_PER_SECOND)} rows/s`,
          measured >= GOAL_POSTGRES_ROWS_PER_SECOND ? 'met' : 'NOT MET',
        ])
      }
    }
  }
  const load = loadavg().map((l) => l.toFixed(2))
  const lines = [
    'import: followthrough import reps, then deals, then the same deals again; the file read once, checked and stored',
    `(load average after the runs: ${load.join(', ')} on ${cpus().length} cores; CPU-bound: rows / the larger of`,
    ' the two CPU times, the rate were Node and the server each to have a core of their own)',
    table(['import', 'rows', 'seconds', 'CPU s: Node + server', 'rate', 'CPU-bound'], rows),
  ]
  if (goals.length > 0) lines.push('', table(['goal', 'measured', 'CPU-bound', 'goal', ''], goals))
  else lines.push('(PostgreSQL not measured: set DATABASE_URL)')
  return lines
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      dir: { type: 'string' },
      seed: { type: 'string', default: '1' },
      reps: { type: 'string', default: '10000' },
      deals: { type: 'string', default: process.env.IMPORT_BENCH_DEALS ?? '1000000' },
    },
  })
  if (values.child !== undefined) {
    if (values.child !== 'pglite' && values.child !== 'postgres') throw new Error('--child pglite|postgres')
    if (values.dir === undefined) throw new Error('--dir DIR')
    return child(values.child, values.dir)
  }
  const [seed, reps, deals] = [values.seed, values.reps, values.deals].map(Number) as [number, number, number]
  if (![seed, reps, deals].every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new Error('--seed, --reps and --deals are whole numbers')
  // The same folder as bench/run.ts: data generated by either is reused by the other.
  const dir = join(ROOT, 'bench/out', `s${seed}-r${reps}-d${deals}-a10-g${GENERATOR_VERSION}`)
  const marker = join(dir, 'generated.json')
  if (!existsSync(marker)) {
    process.stderr.write(`… generating ${grouped(reps)} reps and ${grouped(deals)} deals into ${dir}\n`)
    const started = performance.now()
    const made = await generateCompany({ seed, reps, deals, activitiesPerRepMonth: 10, year: 2026 }, dir)
    writeFileSync(marker, JSON.stringify({ ...made, seconds: (performance.now() - started) / 1000 }, null, 2))
  }
  const generated = JSON.parse(readFileSync(marker, 'utf8')) as { deals: number; credits: number }
  const lines = await importBench(dir, (text) => process.stderr.write(`… ${text}\n`))
  console.log(
    [
      `data     seed ${seed}: ${grouped(reps)} reps, ${grouped(generated.deals)} deals (${grouped(generated.credits)} credits)`,
      ...lines,
    ].join('\n'),
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
