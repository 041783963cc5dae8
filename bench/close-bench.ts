// The period close at scale: a generated company loaded straight into the database (set-based SQL,
// not `import`), the bench plan published, then a close of one month timed on PGlite and on
// PostgreSQL (with DATABASE_URL), each in its own process so that its peak memory is its own.
//
//   node --import tsx bench/close-bench.ts                  10,000 reps, 1,000,000 deals (12 months)
//   CLOSE_BENCH_REPS=1000 CLOSE_BENCH_DEALS=100000 node --import tsx bench/close-bench.ts   quick
//   DATABASE_URL=postgres://… node --import tsx bench/close-bench.ts                        + PostgreSQL
//
// Times: the close of 2026-01 (nothing closed before: load, compute, store), then the close of
// 2026-02 (computed from the state stored with January's close when nothing of January changed:
// the carried path, ADR 0009); CLOSE_BENCH_MONTHS=12 closes every month in turn and reports the
// last (December, carried from November). Each close says which path it took: 'carried', or
// 'full' (recomputed from the first closed period, as every close did before ADR 0009).
import { randomBytes } from 'node:crypto'
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { migrate } from '../src/adapters/db/migrate.ts'
import { openPglite } from '../src/adapters/db/pglite-database.ts'
import { openPostgres } from '../src/adapters/db/postgres-database.ts'
import { readCsv } from '../src/adapters/csv/read-csv.ts'
import { closePeriod } from '../src/app/close/close-period.ts'
import { publishPlan } from '../src/app/plans/publish-plan.ts'
import type { Database } from '../src/app/ports/sql.ts'
import { parseMoney } from '../src/core/money/money.ts'
import { GENERATOR_VERSION, generateCompany } from './generate.ts'
import { resultOf, runChild } from './harness/child.ts'
import { bytes, grouped, seconds, table } from './harness/format.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PLAN = join(ROOT, 'bench/plan.yaml')
const ORG = 'bench'
const BATCH = 20_000
/** Goals of the issue, seconds for a close of one monthly period. */
export const CLOSE_GOALS = { pglite: 60, postgres: 10 } as const

type Engine = keyof typeof CLOSE_GOALS

export interface TimedClose {
  readonly period: string
  readonly seconds: number
  /** CPU time of the bench process (user + system) during the close: PGlite's work included. */
  readonly cpuSeconds: number
  readonly reps: number
  readonly entries: number
  /** 'carried': this period alone, from the state stored with the previous close; 'full': from the first closed period. */
  readonly path: 'carried' | 'full'
}

export interface CloseBenchResult {
  readonly engine: Engine
  readonly rows: { reps: number; deals: number; credits: number; activities: number }
  readonly loadSeconds: number
  readonly firstClose: TimedClose
  /** The last close of the run (2026-02 by default; CLOSE_BENCH_MONTHS=12 closes every month in turn). */
  readonly secondClose: TimedClose
  /** Every close of the run, in order. */
  readonly closes?: readonly TimedClose[]
  /** Peak RSS of the bench process, loading included (PGlite's database too; a PostgreSQL server's is not). */
  readonly peakRssBytes: number
  /** Peak RSS sampled during the two closes. */
  readonly closeRssPeakBytes: number
  readonly rssBeforeCloseBytes: number
}

const say = (text: string): void => void process.stderr.write(`… ${text}\n`)

/** Generates (once) the company of this size and runs the close bench on each engine; returns the report lines. */
export async function runCloseBench(opts: {
  seed: number
  reps: number
  deals: number
  activitiesPerRepMonth: number
}): Promise<{ lines: string[]; results: CloseBenchResult[] }> {
  const dir = join(
    ROOT,
    'bench/out',
    `s${opts.seed}-r${opts.reps}-d${opts.deals}-a${opts.activitiesPerRepMonth}-g${GENERATOR_VERSION}`,
  )
  const marker = join(dir, 'generated.json')
  if (!existsSync(marker)) {
    say(`generating ${grouped(opts.reps)} reps and ${grouped(opts.deals)} deals into ${dir}`)
    const started = performance.now()
    const made = await generateCompany(
      {
        seed: opts.seed,
        reps: opts.reps,
        deals: opts.deals,
        activitiesPerRepMonth: opts.activitiesPerRepMonth,
        year: 2026,
      },
      dir,
    )
    writeFileSync(marker, JSON.stringify({ ...made, seconds: (performance.now() - started) / 1000 }, null, 2))
  }
  const engines: Engine[] = ['pglite']
  if ((process.env.DATABASE_URL ?? '') !== '') engines.push('postgres')
  const results: CloseBenchResult[] = []
  for (const engine of engines) {
    say(`close bench on ${engine}: load, publish, close 2026-01, close 2026-02`)
    const run = await runChild(process.execPath, [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      '--engine',
      engine,
      '--dir',
      dir,
    ])
    results.push(resultOf<CloseBenchResult>(run, `the close bench on ${engine}`))
  }
  const cpu = cpus()
  const first = results[0]
  const lines = [
    'Followthrough benchmark: the period close',
    `machine  ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${bytes(totalmem())} memory, Node ${process.version}`,
    `data     seed ${opts.seed}: ${grouped(first?.rows.reps ?? 0)} reps, ${grouped(first?.rows.deals ?? 0)} deals ` +
      `(${grouped(first?.rows.credits ?? 0)} credits), ${grouped(first?.rows.activities ?? 0)} activities, 12 months of 2026, ` +
      'loaded with set-based SQL; plan bench/plan.yaml',
    '',
    table(
      [
        'engine',
        'load (not timed below)',
        'close 2026-01',
        `close ${first?.secondClose.period ?? ''}`,
        'peak RSS in closes',
        'goal: one month',
        '',
      ],
      results.map((r) => [
        r.engine === 'pglite' ? 'PGlite (on disk)' : 'PostgreSQL',
        `${seconds(r.loadSeconds)} s`,
        `${seconds(r.firstClose.seconds)} s`,
        `${seconds(r.secondClose.seconds)} s (${r.secondClose.path} path)`,
        `${bytes(r.closeRssPeakBytes)} (load: ${bytes(r.peakRssBytes)})`,
        `< ${CLOSE_GOALS[r.engine]} s`,
        Math.max(r.firstClose.seconds, r.secondClose.seconds) < CLOSE_GOALS[r.engine] ? 'met' : 'NOT MET',
      ]),
    ),
    '',
    ...results.map(
      (r) =>
        `${r.engine === 'pglite' ? 'pglite  ' : 'postgres'} every close, seconds (path; CPU s of this process): ` +
        (r.closes ?? [r.firstClose, r.secondClose])
          .map((c) => `${c.period.slice(5)} ${seconds(c.seconds)} (${c.path}; ${seconds(c.cpuSeconds)})`)
          .join(', '),
    ),
    `closes   ${results.map((r) => `${r.engine}: ${grouped(r.firstClose.reps)} reps, ${grouped(r.firstClose.entries)} ledger entries in 2026-01; ${grouped(r.secondClose.entries)} in ${r.secondClose.period}`).join(' · ')}`,
    `load     average ${loadavg()[0]?.toFixed(2) ?? '?'} at the end (other work on the machine skews every figure)`,
    'memory   RSS of the bench process sampled during the closes (and its peak over the whole run, loading included);',
    '         PGlite runs inside it; the PostgreSQL server is another process',
  ]
  if (engines.length === 1) lines.push('note     set DATABASE_URL to measure PostgreSQL too')
  return { lines, results }
}

/** One engine, in this process: a fresh database, the data loaded, two closes timed. */
async function child(engine: Engine, dir: string, months: number): Promise<CloseBenchResult> {
  let db: Database
  let cleanup: () => Promise<void>
  if (engine === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'close-bench-'))
    db = await openPglite(dataDir)
    cleanup = async () => {
      await db.close()
      await rm(dataDir, { recursive: true, force: true })
    }
  } else {
    const url = process.env.DATABASE_URL ?? ''
    const schema = `close_bench_${randomBytes(4).toString('hex')}`
    const admin = await openPostgres(url)
    await admin.exec(`create schema ${schema}`)
    db = await openPostgres(url, schema)
    cleanup = async () => {
      await db.close()
      await admin.exec(`drop schema ${schema} cascade`)
      await admin.close()
    }
  }
  try {
    await migrate(db)
    const started = performance.now()
    const rows = await load(db, dir)
    await db.exec('analyze')
    const loadSeconds = (performance.now() - started) / 1000
    const published = await db.transaction((tx) =>
      publishPlan(tx, {
        orgId: ORG,
        text: readFileSync(PLAN, 'utf8'),
        file: PLAN,
        actor: 'bench',
        now: new Date(),
      }),
    )
    if (!published.ok) throw new Error('bench/plan.yaml does not check')
    const rssBeforeCloseBytes = process.memoryUsage().rss
    let closeRssPeak = 0
    const timeClose = async (period: string) => {
      const sampler = setInterval(
        () => (closeRssPeak = Math.max(closeRssPeak, process.memoryUsage().rss)),
        25,
      )
      const t = performance.now()
      const cpu = process.cpuUsage()
      const out = await closePeriod(db, {
        orgId: ORG,
        period,
        actor: 'bench',
        now: new Date(),
        dryRun: false,
      })
      const secondsTaken = (performance.now() - t) / 1000
      const used = process.cpuUsage(cpu)
      clearInterval(sampler)
      // PGlite works on this thread: the sampler may not get a turn during a close.
      closeRssPeak = Math.max(closeRssPeak, process.memoryUsage().rss)
      const [count] = await db.query<{ n: number }>(
        'select count(*)::int as n from ledger_entries where org_id = $1 and close_id = $2',
        [ORG, out.closeId],
      )
      const reps = out.result.plans.reduce((s, p) => s + (p.periods[0]?.reps.length ?? 0), 0)
      say(`${engine}: closed ${period} in ${seconds(secondsTaken)} s (${out.path} path)`)
      return {
        period,
        seconds: secondsTaken,
        cpuSeconds: (used.user + used.system) / 1e6,
        reps,
        entries: count?.n ?? 0,
        path: out.path,
      }
    }
    const closes: TimedClose[] = []
    for (let m = 1; m <= months; m++) closes.push(await timeClose(`2026-${String(m).padStart(2, '0')}`))
    const firstClose = closes[0] as TimedClose
    const secondClose = closes[closes.length - 1] as TimedClose
    return {
      engine,
      rows,
      loadSeconds,
      firstClose,
      secondClose,
      closes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      closeRssPeakBytes: closeRssPeak,
      rssBeforeCloseBytes,
    }
  } finally {
    await cleanup()
  }
}

/** Rows of a CSV file in batches, each as records keyed by the header, stored while the file is read. */
async function eachBatch(file: string, size: number, fn: (rows: Record<string, string>[]) => Promise<void>) {
  let header: string[] | null = null
  let batch: Record<string, string>[] = []
  const pending: Record<string, string>[][] = []
  // readCsv takes the next chunk only when it has parsed the last one: store what it parsed first.
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(file)) {
      yield chunk as Buffer
      for (let b = pending.shift(); b !== undefined; b = pending.shift()) await fn(b)
    }
  }
  await readCsv(chunks(), {
    record: (cells) => {
      if (header === null) {
        header = cells
        return
      }
      const row: Record<string, string> = {}
      header.forEach((h, i) => (row[h] = cells[i] ?? ''))
      batch.push(row)
      if (batch.length === size) {
        pending.push(batch)
        batch = []
      }
    },
    error: (line, message) => {
      throw new Error(`${file}:${line}: ${message}`)
    },
  })
  if (batch.length > 0) pending.push(batch)
  for (const b of pending) await fn(b)
}

/** The generated files into the tables, with `insert … select from unnest(arrays)` batches. */
export async function load(db: Database, dir: string): Promise<CloseBenchResult['rows']> {
  const counts = { reps: 0, deals: 0, credits: 0, activities: 0 }
  await db.query(
    `insert into organizations (id, name, currency, timezone) values ($1, 'Bench MSP', 'USD', 'America/Chicago')`,
    [ORG],
  )
  const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v)
  await eachBatch(join(dir, 'reps.csv'), BATCH, async (rows) => {
    await db.query(
      `insert into reps (org_id, id, name, email, team, manager, plan, hired_on, left_on)
       select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[])`,
      [
        ORG,
        ...(['id', 'name', 'email', 'team'] as const).map((k) => rows.map((r) => r[k] ?? '')),
        ...(['manager', 'plan', 'hired_on', 'left_on'] as const).map((k) => rows.map((r) => orNull(r[k]))),
      ],
    )
    counts.reps += rows.length
  })
  say(`loaded ${grouped(counts.reps)} reps`)
  await eachBatch(join(dir, 'deals.csv'), BATCH, async (rows) => {
    const money = (text: string | undefined) =>
      String(parseMoney(text === undefined || text === '' ? '0' : text, 2))
    await db.query(
      `insert into deals (org_id, id, closed_on, amount_minor, mrr_minor, type, customer, term_months, cancelled_on)
       select $1, * from unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::int[], $9::text[])`,
      [
        ORG,
        rows.map((r) => r.id ?? ''),
        rows.map((r) => r.closed_on ?? ''),
        rows.map((r) => money(r.amount)),
        rows.map((r) => money(r.mrr)),
        rows.map((r) => r.type ?? ''),
        rows.map((r) => r.customer ?? ''),
        rows.map((r) => orNull(r.term_months)),
        rows.map((r) => orNull(r.cancelled_on)),
      ],
    )
    const deal: string[] = []
    const rep: string[] = []
    const micro: number[] = []
    for (const r of rows) {
      for (const part of (r.rep ?? '').split(';')) {
        const [id = '', pct = '100'] = part.split(':')
        const [whole = '0', frac = ''] = pct.split('.')
        deal.push(r.id ?? '')
        rep.push(id)
        micro.push(Number(whole) * 10_000 + Number(frac.padEnd(4, '0')))
      }
    }
    await db.query(
      `insert into deal_credits (org_id, deal_id, rep_id, share_micro)
       select $1, * from unnest($2::text[], $3::text[], $4::int[])`,
      [ORG, deal, rep, micro],
    )
    counts.deals += rows.length
    counts.credits += deal.length
  })
  say(`loaded ${grouped(counts.deals)} deals`)
  if (existsSync(join(dir, 'activities.csv'))) {
    await eachBatch(join(dir, 'activities.csv'), BATCH, async (rows) => {
      await db.query(
        `insert into activities (org_id, id, rep_id, kind, occurred_on)
         select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[])`,
        [ORG, ...(['id', 'rep', 'kind', 'occurred_on'] as const).map((k) => rows.map((r) => r[k] ?? ''))],
      )
      counts.activities += rows.length
    })
    say(`loaded ${grouped(counts.activities)} activities`)
  }
  return counts
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean', default: false },
      engine: { type: 'string', default: 'pglite' },
      dir: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  })
  if (values.child) {
    const engine = values.engine === 'postgres' ? 'postgres' : 'pglite'
    const months = Math.min(12, Math.max(2, Number(process.env.CLOSE_BENCH_MONTHS ?? 2)))
    console.log(`RESULT ${JSON.stringify(await child(engine, values.dir ?? '', months))}`)
    return
  }
  const { lines } = await runCloseBench({
    seed: Number(values.seed),
    reps: Number(process.env.CLOSE_BENCH_REPS ?? 10_000),
    deals: Number(process.env.CLOSE_BENCH_DEALS ?? 1_000_000),
    activitiesPerRepMonth: 10,
  })
  console.log(lines.join('\n'))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error)
    process.exitCode = 1
  })
}
