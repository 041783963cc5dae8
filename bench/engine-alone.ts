// The engine alone: reads the records into memory first (readRecords, not timed), then times
// runEngine only. Run as a child of bench/run.ts, with --expose-gc so the baseline is clean:
//
//   node --expose-gc --import tsx bench/engine-alone.ts --plan P --reps R --deals D --from 2026-01-01 --to 2026-12-31
//     [--runs N] [--cpu-profile FILE]
//
// Prints one line `RESULT {json}`; while the engine runs, V8's --trace-gc lines are printed too,
// from which the parent takes the heap's peak (V8 keeps no peak of its own).
import { writeFileSync, writeSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { parseArgs } from 'node:util'
import v8 from 'node:v8'
import { Worker } from 'node:worker_threads'
import { parseLocalDate } from '../src/core/calendar/civil.ts'
import { runEngine } from '../src/core/engine/run-engine.ts'
import type { RunResult } from '../src/core/engine/result.ts'
import { parsePlan } from '../src/core/plans/parse-plan.ts'
import { readRecords } from '../src/adapters/cli/read-records.ts'

export interface EngineAloneResult {
  readonly deals: number
  readonly credits: number
  readonly readSeconds: number
  /** Each run of runEngine, in seconds. */
  readonly runSeconds: readonly number[]
  readonly rssBeforeBytes: number
  /** The most RSS seen while the engine ran (sampled every 5 ms from a worker thread). */
  readonly rssPeakBytes: number
  /** The process's peak RSS over its whole life, reading included (getrusage). */
  readonly processPeakBytes: number
  readonly heapBeforeBytes: number
  readonly heapAfterBytes: number
  readonly repPeriods: number
  readonly lines: number
  /** The sum of the `mrr` commission lines, minor units, as a decimal string. */
  readonly mrrTotalMinor: string
  readonly mrrPayingLines: number
}

// A worker thread samples the process's RSS while the main thread is busy in runEngine.
const SAMPLER = `
const { workerData, parentPort } = require('node:worker_threads')
const cells = new BigInt64Array(workerData)
const sample = () => {
  const rss = BigInt(process.memoryUsage.rss())
  if (rss > Atomics.load(cells, 0)) Atomics.store(cells, 0, rss)
  if (Atomics.load(cells, 1) !== 0n) { clearInterval(timer); parentPort.close() }
}
const timer = setInterval(sample, 5)
sample()
parentPort.postMessage('ready')
`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      plan: { type: 'string' },
      reps: { type: 'string' },
      deals: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      runs: { type: 'string', default: '1' },
      // Writes a V8 CPU profile of the engine runs only (open it in Chrome DevTools or speedscope).
      'cpu-profile': { type: 'string' },
    },
  })
  const from = parseLocalDate(values.from ?? '')
  const to = parseLocalDate(values.to ?? '')
  if (
    values.plan === undefined ||
    values.reps === undefined ||
    values.deals === undefined ||
    from === null ||
    to === null
  ) {
    throw new Error(
      'usage: engine-alone.ts --plan P --reps R --deals D --from YYYY-MM-DD --to YYYY-MM-DD [--runs N]',
    )
  }
  const { plan, issues } = parsePlan(await readFile(values.plan, 'utf8'), values.plan)
  if (plan === null || issues.length > 0)
    throw new Error(`${values.plan}: ${issues.map((i) => i.message).join('; ')}`)

  const readStarted = performance.now()
  const read = await readRecords({ reps: values.reps, deals: values.deals }, [plan])
  const readSeconds = (performance.now() - readStarted) / 1000
  if (!read.ok) throw new Error(read.issues.map((i) => `${i.file}:${i.line}: ${i.message}`).join('\n'))
  const records = read.records

  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const before = process.memoryUsage()
  const cells = new BigInt64Array(new SharedArrayBuffer(16))
  const sampler = new Worker(SAMPLER, { eval: true, workerData: cells.buffer })
  await new Promise((resolve) => sampler.once('message', resolve))

  const profiler = values['cpu-profile'] === undefined ? null : new Session()
  if (profiler !== null) {
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.start')
  }
  const runSeconds: number[] = []
  let result: RunResult | null = null
  v8.setFlagsFromString('--trace-gc')
  for (let run = 0; run < Math.max(1, Number(values.runs)); run++) {
    result = null
    const started = performance.now()
    result = runEngine([plan], records, { from, to })
    runSeconds.push((performance.now() - started) / 1000)
  }
  v8.setFlagsFromString('--no-trace-gc')
  if (profiler !== null) {
    const { profile } = await profiler.post('Profiler.stop')
    writeFileSync(values['cpu-profile'] as string, JSON.stringify(profile))
    profiler.disconnect()
  }
  const heapAfterBytes = process.memoryUsage().heapUsed
  Atomics.store(cells, 1, 1n)
  await new Promise((resolve) => sampler.once('exit', resolve))
  const rssPeakBytes = Math.max(Number(cells[0]), process.memoryUsage.rss())

  let repPeriods = 0
  let lines = 0
  let mrrTotalMinor = 0n
  let mrrPayingLines = 0
  for (const planResult of result?.plans ?? []) {
    for (const period of planResult.periods) {
      for (const rep of period.reps) {
        repPeriods++
        for (const line of rep.lines) {
          lines++
          if (line.kind === 'commission' && line.rule === 'mrr') {
            mrrTotalMinor += line.amountMinor
            if (line.amountMinor !== 0n) mrrPayingLines++
          }
        }
      }
    }
  }
  const out: EngineAloneResult = {
    deals: records.deals.length,
    credits: records.deals.shareStart[records.deals.length] ?? 0,
    readSeconds,
    runSeconds,
    rssBeforeBytes: before.rss,
    rssPeakBytes,
    processPeakBytes: process.resourceUsage().maxRSS * 1024,
    heapBeforeBytes: before.heapUsed,
    heapAfterBytes,
    repPeriods,
    lines,
    mrrTotalMinor: mrrTotalMinor.toString(),
    mrrPayingLines,
  }
  writeSync(1, `RESULT ${JSON.stringify(out)}\n`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
})
