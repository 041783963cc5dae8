// `npm start`: until a database exists, runs `calc` over the example company in examples/.
import { existsSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from './adapters/cli/main.ts'

const example = (name: string): string => {
  const path = fileURLToPath(new URL(`../examples/${name}`, import.meta.url))
  // Relative to where the user stands, so messages and the hint read like what they would type.
  return relative(process.cwd(), path) || path
}

async function main(): Promise<number> {
  const files = {
    plan: example('plan.yaml'),
    managerPlan: example('manager-plan.yaml'),
    reps: example('reps.csv'),
    deals: example('deals.csv'),
    activities: example('activities.csv'),
    quotas: example('quotas.csv'),
  }
  const missing = Object.values(files).filter((file) => !existsSync(file))
  if (missing.length > 0) {
    process.stderr.write(`The example company is not there yet: missing ${missing.join(', ')}\n`)
    return 1
  }
  // prettier-ignore
  const args = [
    '--plan', files.plan,
    '--plan', files.managerPlan,
    '--reps', files.reps,
    '--deals', files.deals,
    '--activities', files.activities,
    '--quotas', files.quotas,
    '--from', '2026-01',
    '--to', '2026-12',
  ]
  const tty = process.stdout.isTTY === true
  const status = await runCli(['calc', ...args, '--format', 'table'], {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: tty,
    ...(tty && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
  })
  if (status === 0) {
    const pairs = args.flatMap((arg, i) => (i % 2 === 0 ? [`${arg} ${args[i + 1] ?? ''}`] : []))
    const lines = [pairs.slice(0, 2), pairs.slice(2, 4), pairs.slice(4, 6), pairs.slice(6)].map((line) =>
      line.join(' '),
    )
    process.stdout.write(
      '\nThat was the example company for 2026. Run calc yourself (--format json|table|csv):\n' +
        `  ./bin/followthrough calc ${lines.join(' \\\n      ')}\n`,
    )
  }
  return status
}

process.exitCode = await main()
