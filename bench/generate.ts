// Generates a synthetic managed-services company as canonical CSV files (data-formats.md):
// reps.csv, deals.csv, activities.csv and quotas.csv. Seeded: the same options give the same
// bytes. Written in chunks, so 10,000,000 deals need no more memory than one month of them.
//
//   node --import tsx bench/generate.ts --seed 1 --reps 10000 --deals 1000000 --out DIR
//   node --import tsx bench/generate.ts --example --out examples
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { ACTIVITY_HEADER, writeActivities } from './generator/activities.ts'
import { buildCompany, type Company } from './generator/company.ts'
import { CsvFile } from './generator/csv-file.ts'
import { DateFormatter } from './generator/dates.ts'
import { DEAL_HEADER, writeDeals } from './generator/deals.ts'
import { buildExampleCompany } from './generator/example-company.ts'
import { Prng } from './generator/prng.ts'

/** Bumped whenever the same options would write different bytes: cached data is keyed by it. */
export const GENERATOR_VERSION = 1

export interface GenerateOptions {
  readonly seed: number
  /** People in reps.csv (AEs, managers and directors); the example profile has its own 15. */
  readonly reps: number
  readonly deals: number
  /** Calls, meetings and leads per AE and month, on average. */
  readonly activitiesPerRepMonth: number
  readonly year: number
  /** `bench`: a company of any size; `example`: the small company of examples/, with its story. */
  readonly profile?: 'bench' | 'example'
}

export interface GeneratedCompany {
  readonly reps: number
  readonly deals: number
  /** Rep shares of deals: what the engine credits. */
  readonly credits: number
  readonly activities: number
  readonly quotas: number
  readonly files: {
    readonly reps: string
    readonly deals: string
    readonly activities: string
    readonly quotas: string
  }
}

/** Writes the four CSV files of a generated company into `dir`. */
export async function generateCompany(options: GenerateOptions, dir: string): Promise<GeneratedCompany> {
  await mkdir(dir, { recursive: true })
  const company: Company =
    options.profile === 'example'
      ? buildExampleCompany(new Prng(options.seed), options.year)
      : buildCompany(new Prng(options.seed), options.reps, options.year)
  const dates = new DateFormatter(company.zone)
  const files = {
    reps: join(dir, 'reps.csv'),
    deals: join(dir, 'deals.csv'),
    activities: join(dir, 'activities.csv'),
    quotas: join(dir, 'quotas.csv'),
  }

  const reps = new CsvFile(files.reps, [
    'id',
    'name',
    'email',
    'manager',
    'team',
    'plan',
    'hired_on',
    'left_on',
  ])
  for (const p of company.people) {
    const manager = p.manager < 0 ? '' : (company.people[p.manager]?.id ?? '')
    const leftOn = p.leftOn === null ? '' : dates.date(p.leftOn)
    reps.row([p.id, p.name, p.email, manager, p.team, p.plan, dates.date(p.hiredOn), leftOn])
  }
  await reps.close()

  const deals = new CsvFile(files.deals, DEAL_HEADER)
  const dealCounts = await writeDeals(
    company,
    new Prng(mix(options.seed, 1)),
    { count: options.deals, dateTimeShare: options.profile === 'example' ? 0.04 : 0.01 },
    deals,
    dates,
  )
  await deals.close()

  const activities = new CsvFile(files.activities, ACTIVITY_HEADER)
  const activityCount = await writeActivities(
    company,
    new Prng(mix(options.seed, 2)),
    options.activitiesPerRepMonth,
    activities,
    dates,
  )
  await activities.close()

  const quotas = new CsvFile(files.quotas, ['rep', 'period', 'metric', 'amount'])
  for (const q of company.quotas) quotas.row([q.rep, q.period, q.metric, q.amount])
  await quotas.close()

  return {
    reps: company.people.length,
    deals: dealCounts.deals,
    credits: dealCounts.credits,
    activities: activityCount,
    quotas: company.quotas.length,
    files,
  }
}

/** A second seed derived from the first, so each file has its own stream. */
function mix(seed: number, stream: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + stream * 0x9e3779b9) >>> 0
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seed: { type: 'string', default: '1' },
      reps: { type: 'string' },
      deals: { type: 'string' },
      'activities-per-rep-month': { type: 'string' },
      year: { type: 'string', default: '2026' },
      example: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  })
  if (values.out === undefined)
    throw new Error('usage: generate.ts [--example] --seed N --reps N --deals N --out DIR')
  const example = values.example === true
  const int = (text: string | undefined, fallback: number, name: string): number => {
    const n = text === undefined ? fallback : Number(text)
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not ${text}`)
    return n
  }
  const options: GenerateOptions = {
    seed: int(values.seed, 1, 'seed'),
    reps: int(values.reps, example ? 15 : 10_000, 'reps'),
    deals: int(values.deals, example ? 420 : 1_000_000, 'deals'),
    activitiesPerRepMonth: int(
      values['activities-per-rep-month'],
      example ? 330 : 10,
      'activities-per-rep-month',
    ),
    year: int(values.year, 2026, 'year'),
    profile: example ? 'example' : 'bench',
  }
  const started = performance.now()
  const made = await generateCompany(options, values.out)
  const seconds = (performance.now() - started) / 1000
  console.log(
    `${values.out}: ${made.reps} reps, ${made.deals} deals (${made.credits} credits), ` +
      `${made.activities} activities, ${made.quotas} quota overrides in ${seconds.toFixed(1)} s`,
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 2
  })
}
