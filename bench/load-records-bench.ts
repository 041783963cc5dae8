// loadRecords alone: a generated company loaded once into a PostgreSQL schema kept between runs
// (or a fresh PGlite), then the records of a range read several times; wall and CPU of each read
// and a digest of what was read (equal digests: equal records).
//
//   DATABASE_URL=postgres://… node --import tsx bench/load-records-bench.ts             1,000 reps, 200,000 deals, 12 months
//   LR_REPS=10000 LR_DEALS=1000000 LR_TO=2026-01-31 DATABASE_URL=… node --import tsx bench/load-records-bench.ts
//   LR_CREDITED=10 …   only the deals of the first 10 reps      LR_DROP=1 …   drop the kept schema
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrate } from '../src/adapters/db/migrate.ts'
import { openPglite } from '../src/adapters/db/pglite-database.ts'
import { openPostgres } from '../src/adapters/db/postgres-database.ts'
import { loadRecords, type LoadRange } from '../src/app/close/load-records.ts'
import type { Database } from '../src/app/ports/sql.ts'
import { parsePlan } from '../src/core/plans/parse-plan.ts'
import type { Records } from '../src/core/records/records.ts'
import { load } from './close-bench.ts'
import { GENERATOR_VERSION, generateCompany } from './generate.ts'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const env = (name: string, fallback: string): string => process.env[name] ?? fallback
const reps = Number(env('LR_REPS', '1000'))
const deals = Number(env('LR_DEALS', '200000'))
const runs = Number(env('LR_RUNS', '5'))
const credited = Number(env('LR_CREDITED', '0'))
const url = env('DATABASE_URL', '')
const say = (text: string): void => void process.stderr.write(`… ${text}\n`)

/** A digest of every column of what was read. */
function digest(records: Records): string {
  const hash = createHash('sha256')
  const add = (value: unknown): void => {
    if (ArrayBuffer.isView(value))
      hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    else
      hash.update(JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? [...v] : v)) ?? 'undefined')
    hash.update('|')
  }
  for (const table of [records.deals, records.activities]) for (const v of Object.values(table)) add(v)
  add(records.reps)
  add(records.quotas.map((q) => ({ ...q, amount: `${q.amount.n}/${q.amount.d}` })))
  return hash.digest('hex').slice(0, 16)
}

async function open(): Promise<Database> {
  const dir = join(ROOT, 'bench/out', `s1-r${reps}-d${deals}-a10-g${GENERATOR_VERSION}`)
  if (!existsSync(join(dir, 'generated.json'))) {
    say(`generating into ${dir}`)
    const made = await generateCompany({ seed: 1, reps, deals, activitiesPerRepMonth: 10, year: 2026 }, dir)
    writeFileSync(join(dir, 'generated.json'), JSON.stringify(made, null, 2))
  }
  if (url === '') {
    const db = await openPglite()
    await migrate(db)
    say('loading into PGlite')
    await load(db, dir)
    await db.exec('analyze')
    return db
  }
  const schema = `load_records_bench_r${reps}_d${deals}`
  const admin = await openPostgres(url)
  if (process.env.LR_DROP === '1') {
    await admin.exec(`drop schema if exists ${schema} cascade`)
    await admin.close()
    process.exit(0)
  }
  const [found] = await admin.query<{ n: number }>(
    'select count(*)::int as n from information_schema.schemata where schema_name = $1',
    [schema],
  )
  if (found?.n === 0) {
    await admin.exec(`create schema ${schema}`)
    const db = await openPostgres(url, schema)
    await migrate(db)
    say(`loading into schema ${schema}`)
    await load(db, dir)
    await db.exec('analyze')
    await db.close()
  }
  await admin.close()
  return openPostgres(url, schema)
}

async function main(): Promise<void> {
  const db = await open()
  const parsed = parsePlan(readFileSync(join(ROOT, 'bench/plan.yaml'), 'utf8'), 'plan.yaml')
  if (parsed.plan === null) throw new Error('bench/plan.yaml does not check')
  const from = env('LR_FROM', '2026-01-01')
  const to = env('LR_TO', '2026-12-31')
  const periods: string[] = []
  for (let m = Number(from.slice(5, 7)); m <= Number(to.slice(5, 7)); m++)
    periods.push(`2026-${String(m).padStart(2, '0')}`)
  const range: LoadRange = {
    from,
    to,
    periods,
    activities: process.env.LR_ACTIVITIES === '1',
    ...(credited > 0
      ? { creditedTo: Array.from({ length: credited }, (_, i) => `r${String(i + 1).padStart(4, '0')}`) }
      : {}),
  }
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage()
    const t = performance.now()
    const out = await loadRecords(db, 'bench', [parsed.plan], to, range)
    const wall = performance.now() - t
    const used = process.cpuUsage(cpu)
    if (!out.ok) throw new Error(JSON.stringify(out.issues.slice(0, 5)))
    console.log(
      `${from}…${to} ${out.records.deals.length} deals ${out.records.activities.length} activities: ` +
        `${wall.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU, ` +
        `digest ${digest(out.records)}, load ${loadavg()[0]?.toFixed(2)}`,
    )
  }
  await db.close()
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
