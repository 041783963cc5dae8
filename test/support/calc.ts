import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/adapters/cli/main.ts'
import type { ResultJson } from '../../src/core/engine/result-json.ts'

/** The files of one `calc` run, as text; plans by file name. */
export interface CalcInput {
  plans: Record<string, string>
  reps: string
  deals: string
  activities?: string
  quotas?: string
  from: string
  to: string
}

export interface CalcOutput {
  status: number
  stdout: string
  stderr: string
  /** The parsed JSON result when the run succeeded. */
  json: ResultJson
}

/** Runs `followthrough calc --format json` over files written to a fresh temporary folder. */
export async function calc(input: CalcInput, format: 'json' | 'csv' = 'json'): Promise<CalcOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'followthrough-'))
  try {
    const write = (name: string, text: string): string => {
      const path = join(dir, name)
      writeFileSync(path, text)
      return path
    }
    const argv = ['calc']
    for (const [name, text] of Object.entries(input.plans)) argv.push('--plan', write(name, text))
    argv.push('--reps', write('reps.csv', input.reps), '--deals', write('deals.csv', input.deals))
    if (input.activities !== undefined) argv.push('--activities', write('activities.csv', input.activities))
    if (input.quotas !== undefined) argv.push('--quotas', write('quotas.csv', input.quotas))
    argv.push('--from', input.from, '--to', input.to, '--format', format)
    let stdout = ''
    let stderr = ''
    const status = await runCli(argv, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      isTTY: false,
    })
    const json = (status === 0 && format === 'json' ? JSON.parse(stdout) : { plans: [] }) as ResultJson
    return { status, stdout, stderr, json }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The entry of one rep in one period of the first plan (undefined when not listed). */
export function repIn(out: CalcOutput, period: string, rep: string, plan = 0) {
  return out.json.plans[plan]?.periods.find((p) => p.period === period)?.reps.find((r) => r.rep === rep)
}

/** Lines as compact tuples [kind, rule, amount, forfeited, capped] for readable expectations. */
export function lineTuples(
  entry: ReturnType<typeof repIn>,
): [string, string | undefined, number, number, number][] {
  return (entry?.lines ?? []).map((l) => [l.kind, l.rule, l.amount, l.forfeited, l.capped])
}
