// The DuckDB peer: the benchmark plan (bench/plan.yaml) in SQL. Per rep and month of the plan's
// zone, the credited MRR of managed deals (mrr × share; a deal cancelled in the month it closed is
// not credited), for reps on msp-ae employed in the month; marginal tiers 100% / 150% / 200% at
// 100% / 150% of the flat 4,000.00 quota, gated below 50%, capped at 12,000.00, rounded to cents
// half away from zero. Exact DECIMAL arithmetic throughout.
//
//   node --import tsx bench/duckdb-peer.ts --mode memory|csv --dir DIR [--runs N]
//
// `memory` loads the files into typed tables first (timed apart), then times the query alone;
// `csv` times read_csv and the query together. Prints one line `RESULT {json}`.
import { writeSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'

export interface DuckdbPeerResult {
  readonly mode: 'memory' | 'csv'
  readonly threads: number
  readonly version: string
  /** memory: the load into typed tables; csv: 0. */
  readonly loadSeconds: number
  /** memory: the query alone; csv: read_csv and the query. Each run. */
  readonly querySeconds: readonly number[]
  readonly repMonths: number
  readonly mrrTotalMinor: string
  readonly mrrPayingLines: number
  readonly processPeakBytes: number
}

const ZONE = 'America/Chicago'
const FROM = "DATE '2026-01-01'"
const TO = "DATE '2026-12-01'"

/** A date or date-time cell as the local date in the session's zone (a date-time is converted). */
const localDate = (cell: string): string =>
  `CASE WHEN length(${cell}) = 10 THEN CAST(${cell} AS DATE) ELSE CAST(CAST(${cell} AS TIMESTAMPTZ) AS DATE) END`

const csv = (file: string): string =>
  `read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`

/** The per-rep-month result table, then its totals, from `credited(rep, month, mrr)` and `staff`. */
const PAY = `
  value AS (
    SELECT rep, month, sum(mrr) AS v FROM credited
    WHERE month BETWEEN ${FROM} AND ${TO}
    GROUP BY rep, month
  )
  SELECT value.rep, value.month, value.v,
    CASE WHEN value.v < 2000 THEN 0.00
      ELSE round(least(12000, least(value.v, 4000) + least(greatest(value.v - 4000, 0), 2000) * 1.5
        + greatest(value.v - 6000, 0) * 2), 2)
    END AS amount
  FROM value JOIN staff ON staff.rep = value.rep
  WHERE staff.plan = 'msp-ae'
    AND (staff.hired_on IS NULL OR staff.hired_on <= last_day(value.month))
    AND (staff.left_on IS NULL OR staff.left_on >= value.month)`

/** Typed tables like the engine's Records: shares split out, dates parsed, rep ids as indexes. */
function loadSql(dir: string): string[] {
  return [
    `CREATE TABLE staff AS SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS rep, id, plan,
       CAST(NULLIF(hired_on, '') AS DATE) AS hired_on, CAST(NULLIF(left_on, '') AS DATE) AS left_on
     FROM ${csv(join(dir, 'reps.csv'))}`,
    `CREATE TEMP TABLE deal_text AS SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS row, * FROM ${csv(join(dir, 'deals.csv'))}`,
    `CREATE TABLE deals AS SELECT row, id, type, customer,
       CAST(NULLIF(mrr, '') AS DECIMAL(18, 2)) AS mrr, CAST(NULLIF(amount, '') AS DECIMAL(18, 2)) AS amount,
       CAST(NULLIF(term_months, '') AS INTEGER) AS term_months,
       CASE WHEN length(closed_on) = 10 THEN CAST(closed_on AS DATE) END AS closed_day,
       CASE WHEN length(closed_on) > 10 THEN CAST(closed_on AS TIMESTAMPTZ) END AS closed_at,
       CASE WHEN length(cancelled_on) = 10 THEN CAST(cancelled_on AS DATE) END AS cancelled_day,
       CASE WHEN length(cancelled_on) > 10 THEN CAST(cancelled_on AS TIMESTAMPTZ) END AS cancelled_at
     FROM deal_text`,
    `CREATE TABLE credits AS SELECT t.row AS deal, staff.rep,
       CAST(CASE WHEN strpos(t.part, ':') = 0 THEN 1
         ELSE CAST(trim(split_part(t.part, ':', 2)) AS DECIMAL(9, 4)) * 0.01 END AS DECIMAL(9, 6)) AS share
     FROM (SELECT row, unnest(string_split(rep, ';')) AS part FROM deal_text) t
     JOIN staff ON staff.id = trim(split_part(t.part, ':', 1))`,
    `DROP TABLE deal_text`,
  ]
}

const QUERY_MEMORY = `
  CREATE OR REPLACE TEMP TABLE paid AS
  WITH local AS (
    SELECT row, mrr,
      date_trunc('month', coalesce(closed_day, CAST(closed_at AS DATE))) AS closed_month,
      date_trunc('month', coalesce(cancelled_day, CAST(cancelled_at AS DATE))) AS cancelled_month
    FROM deals WHERE type = 'managed'
  ),
  credited AS (
    SELECT credits.rep, local.closed_month AS month, local.mrr * credits.share AS mrr
    FROM credits JOIN local ON local.row = credits.deal
    WHERE local.cancelled_month IS NULL OR local.cancelled_month <> local.closed_month
  ),
  ${PAY}`

function queryCsv(dir: string): string {
  return `
  CREATE OR REPLACE TEMP TABLE paid AS
  WITH staff AS (
    SELECT id AS rep, plan, CAST(NULLIF(hired_on, '') AS DATE) AS hired_on, CAST(NULLIF(left_on, '') AS DATE) AS left_on
    FROM ${csv(join(dir, 'reps.csv'))}
  ),
  local AS (
    SELECT rep, CAST(NULLIF(mrr, '') AS DECIMAL(18, 2)) AS mrr,
      date_trunc('month', ${localDate('closed_on')}) AS closed_month,
      date_trunc('month', ${localDate("NULLIF(cancelled_on, '')")}) AS cancelled_month
    FROM ${csv(join(dir, 'deals.csv'))} WHERE type = 'managed'
  ),
  credited AS (
    SELECT trim(split_part(part, ':', 1)) AS rep, closed_month AS month,
      mrr * CAST(CASE WHEN strpos(part, ':') = 0 THEN 1
        ELSE CAST(trim(split_part(part, ':', 2)) AS DECIMAL(9, 4)) * 0.01 END AS DECIMAL(9, 6)) AS mrr
    FROM (SELECT *, unnest(string_split(rep, ';')) AS part FROM local)
    WHERE cancelled_month IS NULL OR cancelled_month <> closed_month
  ),
  ${PAY}`
}

const TOTALS = `SELECT count(*) AS rep_months, CAST(sum(amount) * 100 AS BIGINT) AS total_minor,
  count(*) FILTER (WHERE amount > 0) AS paying FROM paid`

async function timed(connection: DuckDBConnection, sql: string): Promise<number> {
  const started = performance.now()
  await connection.run(sql)
  return (performance.now() - started) / 1000
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mode: { type: 'string' }, dir: { type: 'string' }, runs: { type: 'string', default: '1' } },
  })
  const mode = values.mode
  const dir = values.dir
  if ((mode !== 'memory' && mode !== 'csv') || dir === undefined) {
    throw new Error('usage: duckdb-peer.ts --mode memory|csv --dir DIR [--runs N]')
  }
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  await connection.run(`SET TimeZone = '${ZONE}'`)
  const info = (
    await connection.runAndReadAll(`SELECT version() AS v, current_setting('threads') AS t`)
  ).getRowObjectsJson()[0]

  let loadSeconds = 0
  if (mode === 'memory') {
    for (const sql of loadSql(dir)) loadSeconds += await timed(connection, sql)
  }
  const querySeconds: number[] = []
  for (let run = 0; run < Math.max(1, Number(values.runs)); run++) {
    // The totals are part of the work (the engine's run returns its lines; here they are summed).
    querySeconds.push(
      (await timed(connection, mode === 'memory' ? QUERY_MEMORY : queryCsv(dir))) +
        (await timed(connection, TOTALS)),
    )
  }
  const totals = (await connection.runAndReadAll(TOTALS)).getRowObjectsJson()[0]
  const out: DuckdbPeerResult = {
    mode,
    threads: Number(info?.t),
    version: String(info?.v),
    loadSeconds,
    querySeconds,
    repMonths: Number(totals?.rep_months),
    mrrTotalMinor: String(totals?.total_minor ?? '0'),
    mrrPayingLines: Number(totals?.paying),
    processPeakBytes: process.resourceUsage().maxRSS * 1024,
  }
  connection.closeSync()
  writeSync(1, `RESULT ${JSON.stringify(out)}\n`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exitCode = 1
})
