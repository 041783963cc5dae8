import { readFile } from 'node:fs/promises'
import { parseLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodEnd, periodStart } from '../../core/calendar/period.ts'
import { formatResultCsv } from '../../core/engine/result-csv.ts'
import { formatResultJson, ResultRangeError } from '../../core/engine/result-json.ts'
import { runEngine } from '../../core/engine/run-engine.ts'
import { formatPlanIssue, parsePlan } from '../../core/plans/parse-plan.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { formatInputIssue } from '../../core/records/issues.ts'
import { formatResultTable } from './format-table.ts'
import { readRecords } from './read-records.ts'

/** The options of `calc` as commander hands them over. */
export interface CalcOptions {
  readonly plan: readonly string[]
  readonly reps: string
  readonly deals: string
  readonly activities?: string
  readonly quotas?: string
  readonly from: string
  readonly to: string
  readonly format?: 'json' | 'table' | 'csv'
}

interface CalcIo {
  stdout(s: string): void
  stderr(s: string): void
  readonly isTTY: boolean
  readonly columns?: number
}

const BAD_INPUT = 1
const WRONG_USAGE = 2

/** A `--from`/`--to` value as an epoch day: a date as is, a period key as its first or last day. */
export function parseRangeEnd(text: string, end: 'first' | 'last'): number | null {
  const day = parseLocalDate(text)
  if (day !== null) return day
  const period = parsePeriodKey(text)
  if (period === null) return null
  return end === 'first' ? periodStart(period.kind, period.index) : periodEnd(period.kind, period.index)
}

async function readPlans(files: readonly string[], io: CalcIo): Promise<Plan[] | null> {
  const plans: Plan[] = []
  let failed = false
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
      io.stderr(`${file}: cannot read the plan: ${reason}\n`)
      failed = true
      continue
    }
    const { plan, issues } = parsePlan(text, file)
    for (const issue of issues) io.stderr(formatPlanIssue(issue) + '\n')
    if (plan === null || issues.length > 0) failed = true
    else plans.push(plan)
  }
  if (failed) return null
  const byId = new Map<string, Plan>()
  for (const plan of plans) {
    const first = byId.get(plan.id)
    if (first !== undefined) {
      io.stderr(
        `${plan.file}: plan id "${plan.id}" is already the id of ${first.file}; every plan of a run needs its own\n`,
      )
      return null
    }
    byId.set(plan.id, plan)
  }
  const first = plans[0]
  const other = plans.find((p) => p.currency.code !== first?.currency.code)
  if (first !== undefined && other !== undefined) {
    io.stderr(
      `All plans of one run share one currency: ${first.file} is in ${first.currency.code}, ${other.file} in ${other.currency.code}\n`,
    )
    return null
  }
  return plans
}

/**
 * `followthrough calc`: checks every input whole, evaluates the plans over the range and prints
 * the result; resolves to 0 computed, 1 bad input (nothing on stdout), 2 wrong usage.
 */
export async function calcCommand(opts: CalcOptions, io: CalcIo): Promise<number> {
  const from = parseRangeEnd(opts.from, 'first')
  const to = parseRangeEnd(opts.to, 'last')
  const expected = 'a date YYYY-MM-DD or a period key such as 2026-01, 2026-Q1 or 2026'
  if (from === null || to === null) {
    const [flag, value] = from === null ? ['--from', opts.from] : ['--to', opts.to]
    io.stderr(`error: ${flag} "${value}" is not ${expected}\n`)
    return WRONG_USAGE
  }
  if (to < from) {
    io.stderr(`error: --to ${opts.to} ends before --from ${opts.from} begins\n`)
    return WRONG_USAGE
  }

  const plans = await readPlans(opts.plan, io)
  if (plans === null) return BAD_INPUT

  const files = {
    reps: opts.reps,
    deals: opts.deals,
    ...(opts.activities === undefined ? {} : { activities: opts.activities }),
    ...(opts.quotas === undefined ? {} : { quotas: opts.quotas }),
  }
  const read = await readRecords(files, plans)
  if (!read.ok) {
    for (const issue of read.issues) io.stderr(formatInputIssue(issue) + '\n')
    if (read.more > 0) io.stderr(`… and ${read.more} more ${read.more === 1 ? 'problem' : 'problems'}\n`)
    return BAD_INPUT
  }

  const result = runEngine(plans, read.records, { from, to })
  const format = opts.format ?? (io.isTTY ? 'table' : 'json')
  let output: string
  try {
    if (format === 'json') output = formatResultJson(result) + '\n'
    else if (format === 'csv') output = formatResultCsv(result)
    else {
      const color = io.isTTY && (process.env['NO_COLOR'] ?? '') === ''
      output = formatResultTable(result, {
        color,
        ...(io.columns === undefined ? {} : { width: io.columns }),
      })
    }
  } catch (error) {
    if (!(error instanceof ResultRangeError)) throw error
    io.stderr(`error: ${error.message}\n`)
    return BAD_INPUT
  }
  io.stdout(output)
  return 0
}
