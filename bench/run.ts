// `npm run bench`: the engine and `calc` against DuckDB on the same generated data, in one run.
//
//   npm run bench                               10,000 reps, 1,000,000 deals, 12 monthly periods
//   npm run bench -- --deals 10000000           ten times the deals
//   npm run bench -- --runs 3                   best of three runs of the engine and the query
//
// Data is generated once per seed and size under bench/out/ (gitignored) and reused. Each
// measurement runs in its own process, so that one's memory does not count against another's.
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { DuckdbPeerResult } from './duckdb-peer.ts'
import type { EngineAloneResult } from './engine-alone.ts'
import { GENERATOR_VERSION, generateCompany, type GeneratedCompany } from './generate.ts'
import { importBench } from './import-bench.ts'
import { runCloseBench } from './close-bench.ts'
import { serverBenchLines } from './server-bench.ts'
import { runWebBench, webBenchSize } from './web-bench.ts'
import { type ChildRun, heapPeakFromTrace, resultOf, runChild } from './harness/child.ts'
import { bytes, dollars, grouped, parseMinor, perSecond, seconds, table } from './harness/format.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PLAN = join(ROOT, 'bench/plan.yaml')
const GOAL_ENGINE = 2
const GOAL_CALC = 3

const say = (text: string): void => void process.stderr.write(`… ${text}\n`)

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      reps: { type: 'string', default: '10000' },
      deals: { type: 'string', default: '1000000' },
      'activities-per-rep-month': { type: 'string', default: '10' },
      runs: { type: 'string', default: '1' },
    },
  })
  // Other work on the machine skews every figure: say how busy it was when the bench began.
  const loadAtStart = loadavg()[0] ?? 0
  const whole = (name: keyof typeof values): number => {
    const n = Number(values[name])
    if (!Number.isSafeInteger(n) || n < 0)
      throw new Error(`--${name} must be a whole number, not ${values[name]}`)
    return n
  }
  const seed = whole('seed')
  const reps = whole('reps')
  const deals = whole('deals')
  const perRepMonth = whole('activities-per-rep-month')
  const runs = String(Math.max(1, whole('runs')))
  const dir = join(ROOT, 'bench/out', `s${seed}-r${reps}-d${deals}-a${perRepMonth}-g${GENERATOR_VERSION}`)

  // The data, generated once per seed and size.
  const marker = join(dir, 'generated.json')
  let generated: GeneratedCompany & { seconds: number; cached?: boolean }
  if (existsSync(marker)) {
    generated = { ...(JSON.parse(readFileSync(marker, 'utf8')) as typeof generated), cached: true }
  } else {
    say(`generating ${grouped(reps)} reps and ${grouped(deals)} deals into ${dir}`)
    const started = performance.now()
    const made = await generateCompany(
      { seed, reps, deals, activitiesPerRepMonth: perRepMonth, year: 2026 },
      dir,
    )
    generated = { ...made, seconds: (performance.now() - started) / 1000 }
    writeFileSync(marker, JSON.stringify(generated, null, 2))
  }
  const files = {
    reps: join(dir, 'reps.csv'),
    deals: join(dir, 'deals.csv'),
  }

  say('1/4 the engine alone (readRecords, then runEngine timed)')
  const engineRun = await runChild(process.execPath, [
    '--expose-gc',
    '--import',
    'tsx',
    join(ROOT, 'bench/engine-alone.ts'),
    '--plan',
    PLAN,
    '--reps',
    files.reps,
    '--deals',
    files.deals,
    '--from',
    '2026-01-01',
    '--to',
    '2026-12-31',
    '--runs',
    runs,
  ])
  const engine = resultOf<EngineAloneResult>(engineRun, 'the engine alone')
  const engineHeapPeak = Math.max(heapPeakFromTrace(engineRun.stdout), engine.heapAfterBytes)

  say('2/4 calc end to end, CSV files in, CSV out')
  const calcOut = join(dir, 'calc-output.csv')
  let calc: ChildRun | null = null
  for (let run = 0; run < Number(runs); run++) {
    const args = ['calc', '--plan', PLAN, '--reps', files.reps, '--deals', files.deals]
    const next = await runChild(
      join(ROOT, 'bin/followthrough'),
      [...args, '--from', '2026-01', '--to', '2026-12', '--format', 'csv'],
      calcOut,
    )
    if (next.status !== 0) throw new Error(`calc failed (exit ${next.status}):\n${next.stderr.slice(-4000)}`)
    if (calc === null || next.wallSeconds < calc.wallSeconds) calc = next
  }
  if (calc === null) throw new Error('calc did not run')
  const calcTotals = await mrrTotalsOfCsv(calcOut)

  say('3/4 DuckDB on tables in memory')
  const peer = [
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/duckdb-peer.ts'), '--dir', dir, '--runs', runs],
  ] as const
  const memoryRun = await runChild(peer[0], [...peer[1], '--mode', 'memory'])
  const duckMemory = resultOf<DuckdbPeerResult>(memoryRun, 'DuckDB in memory')
  say('4/4 DuckDB from the CSV files')
  const csvRun = await runChild(peer[0], [...peer[1], '--mode', 'csv'])
  const duckCsv = resultOf<DuckdbPeerResult>(csvRun, 'DuckDB from CSV')

  const engineSeconds = Math.min(...engine.runSeconds)
  const memorySeconds = Math.min(...duckMemory.querySeconds)
  const csvSeconds = Math.min(...duckCsv.querySeconds)
  const credits = engine.credits
  const dealsMb = bytes(statSync(files.deals).size)
  const cpu = cpus()

  const lines: string[] = []
  lines.push('Followthrough benchmark: the engine and calc against DuckDB, same data, same run')
  lines.push(
    `machine  ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${bytes(totalmem())} memory, ` +
      `Node ${process.version}, DuckDB ${duckMemory.version} (${duckMemory.threads} threads; the engine uses one); ` +
      `load average ${loadAtStart.toFixed(2)} at the start`,
  )
  lines.push(
    `data     seed ${seed}: ${grouped(generated.reps)} reps, ${grouped(engine.deals)} deals (${dealsMb}), ` +
      `${grouped(credits)} credits (rep shares), 12 monthly periods 2026-01…2026-12, ` +
      `${grouped(engine.repPeriods)} rep-months computed; ` +
      (generated.cached === true
        ? `generated earlier (${seconds(generated.seconds)} s)`
        : `generated in ${seconds(generated.seconds)} s`),
  )
  lines.push(
    `plan     bench/plan.yaml: new MRR, marginal tiers 100/150/200% at 100/150%, gate 50%, cap 12,000.00; no quota file`,
  )
  lines.push(`runs     ${runs === '1' ? 'one run each' : `best of ${runs}`}; ${dir}`)
  lines.push('')
  lines.push(
    table(
      ['measure', 'seconds', 'credits/s', 'peak RSS', 'V8 heap peak', 'not timed before it'],
      [
        [
          '1 engine: runEngine, records in memory',
          seconds(engineSeconds),
          perSecond(credits, engineSeconds),
          bytes(engine.rssPeakBytes),
          bytes(engineHeapPeak),
          `readRecords ${seconds(engine.readSeconds)} s`,
        ],
        [
          '  DuckDB: query on typed tables in memory',
          seconds(memorySeconds),
          perSecond(credits, memorySeconds),
          bytes(duckMemory.processPeakBytes),
          '—',
          `load ${seconds(duckMemory.loadSeconds)} s`,
        ],
        [
          '2 calc: CSV files → CSV, whole process',
          seconds(calc.wallSeconds),
          perSecond(credits, calc.wallSeconds),
          bytes(calc.peakRssBytes),
          '—',
          '',
        ],
        [
          '  DuckDB: read_csv + query',
          seconds(csvSeconds),
          perSecond(credits, csvSeconds),
          bytes(duckCsv.processPeakBytes),
          '—',
          '',
        ],
      ],
    ),
  )
  lines.push('')
  const ratioEngine = engineSeconds / memorySeconds
  const ratioCalc = calc.wallSeconds / csvSeconds
  lines.push(
    table(
      ['goal', 'measured', 'goal', ''],
      [
        [
          'engine / DuckDB in memory',
          `${ratioEngine.toFixed(1)}×`,
          `≤ ${GOAL_ENGINE}×`,
          ratioEngine <= GOAL_ENGINE ? 'met' : 'NOT MET',
        ],
        [
          'calc / DuckDB from CSV',
          `${ratioCalc.toFixed(1)}×`,
          `≤ ${GOAL_CALC}×`,
          ratioCalc <= GOAL_CALC ? 'met' : 'NOT MET',
        ],
      ],
    ),
  )
  lines.push('')
  const totals = [
    ['engine', engine.mrrTotalMinor, engine.mrrPayingLines],
    ['calc', calcTotals.totalMinor.toString(), calcTotals.paying],
    ['DuckDB in memory', duckMemory.mrrTotalMinor, duckMemory.mrrPayingLines],
    ['DuckDB from CSV', duckCsv.mrrTotalMinor, duckCsv.mrrPayingLines],
  ] as const
  const same = totals.every(([, t, n]) => t === totals[0][1] && n === totals[0][2])
  lines.push(
    `cross-check, mrr commission lines: ` +
      totals.map(([who, t, n]) => `${who} ${dollars(t)} (${grouped(n)} paying)`).join(' · ') +
      ` → ${same ? 'OK' : 'MISMATCH'}`,
  )
  lines.push(
    `memory   engine: RSS ${bytes(engine.rssBeforeBytes)} with the records loaded, ${bytes(engine.rssPeakBytes)} at the peak of the run ` +
      `(process peak incl. reading ${bytes(engine.processPeakBytes)}); calc peak by ${calc.peakBy}`,
  )
  lines.push('', ...(await importBench(dir, say)))
  lines.push('', ...(await runCloseBench({ seed, reps, deals, activitiesPerRepMonth: perRepMonth })).lines)
  lines.push('', ...(await serverBenchLines(seed)))
  lines.push('', ...(await runWebBench(webBenchSize(seed))).lines)
  console.log(lines.join('\n'))
  writeFileSync(
    join(ROOT, 'bench/out/last-run.json'),
    JSON.stringify(
      {
        machine: cpu[0]?.model,
        cores: cpu.length,
        node: process.version,
        generated,
        engine,
        engineHeapPeak,
        calc: {
          wallSeconds: calc.wallSeconds,
          peakRssBytes: calc.peakRssBytes,
          ...calcTotals,
          totalMinor: calcTotals.totalMinor.toString(),
        },
        duckMemory,
        duckCsv,
        ratioEngine,
        ratioCalc,
        same,
      },
      null,
      2,
    ),
  )
  if (!same) process.exitCode = 1
}

/** Sums the `mrr` commission lines of calc's CSV output (amount in currency units). */
async function mrrTotalsOfCsv(file: string): Promise<{ totalMinor: bigint; paying: number }> {
  let totalMinor = 0n
  let paying = 0
  let header: string[] | null = null
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const cells = line.split(',')
    if (header === null) {
      header = cells
      continue
    }
    const at = (name: string): string => cells[header?.indexOf(name) ?? -1] ?? ''
    if (at('kind') !== 'commission' || at('rule') !== 'mrr') continue
    const amount = parseMinor(at('amount'))
    totalMinor += amount
    if (amount !== 0n) paying++
  }
  return { totalMinor, paying }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
