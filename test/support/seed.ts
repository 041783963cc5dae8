import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { readCsv } from '../../src/adapters/csv/read-csv.ts'
import type { Queryable } from '../../src/app/ports/sql.ts'
import { parseMoney } from '../../src/core/money/money.ts'

async function rowsOf(text: string): Promise<Record<string, string>[]> {
  const records: string[][] = []
  await readCsv(Readable.from([text]), {
    record: (cells) => records.push(cells),
    error: (line, m) => {
      throw new Error(`${line}: ${m}`)
    },
  })
  const [header, ...rest] = records
  return rest.map((cells) =>
    Object.fromEntries((header ?? []).map((h, i) => [h.trim().toLowerCase(), (cells[i] ?? '').trim()])),
  )
}

async function insertMany(db: Queryable, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500)
    const params: unknown[] = []
    const values = batch.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`)
    await db.query(`insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`, params)
  }
}

/** Test data straight into the tables (what imports do, without their checks): plans, reps, deals, activities, quotas. */
export async function seed(
  db: Queryable,
  orgId: string,
  files: { plans: string[]; reps: string; deals: string; activities?: string; quotas?: string },
): Promise<void> {
  await db.query(
    `insert into organizations (id, name, currency, timezone) values ($1, $1, 'USD', 'UTC') on conflict do nothing`,
    [orgId],
  )
  for (const source of files.plans) {
    const id = /^id:\s*(\S+)/m.exec(source)?.[1] ?? 'plan'
    await db.query('insert into plans (org_id, id, name) values ($1, $2, $2) on conflict do nothing', [
      orgId,
      id,
    ])
    const [v] = await db.query<{ n: number }>(
      'select count(*)::int as n from plan_versions where org_id = $1 and plan_id = $2',
      [orgId, id],
    )
    await db.query(
      'insert into plan_versions (org_id, plan_id, version, hash, source) values ($1, $2, $3, $4, $5)',
      [orgId, id, (v?.n ?? 0) + 1, createHash('sha256').update(source).digest('hex'), source],
    )
  }
  const reps = await rowsOf(files.reps)
  await insertMany(
    db,
    'reps',
    ['org_id', 'id', 'name', 'email', 'team', 'manager', 'plan', 'hired_on', 'left_on', 'fields'],
    reps.map((r) => [
      orgId,
      r.id,
      r.name ?? '',
      r.email ?? '',
      r.team ?? '',
      r.manager || null,
      r.plan || null,
      r.hired_on || null,
      r.left_on || null,
      JSON.stringify(r),
    ]),
  )
  await seedDeals(db, orgId, files.deals)
  if (files.activities !== undefined) {
    const acts = await rowsOf(files.activities)
    await insertMany(
      db,
      'activities',
      ['org_id', 'id', 'rep_id', 'kind', 'occurred_on'],
      acts.map((a) => [orgId, a.id, a.rep, a.kind, a.occurred_on]),
    )
  }
  if (files.quotas !== undefined) {
    const quotas = await rowsOf(files.quotas)
    await insertMany(
      db,
      'quotas',
      ['org_id', 'rep_id', 'period', 'metric', 'amount'],
      quotas.map((q) => [orgId, q.rep, q.period, q.metric, q.amount]),
    )
  }
}

const DEAL_COLUMNS = new Set([
  'id',
  'rep',
  'closed_on',
  'amount',
  'mrr',
  'type',
  'customer',
  'term_months',
  'cancelled_on',
])

/** Inserts or replaces deals and their credits from deals.csv text. */
export async function seedDeals(db: Queryable, orgId: string, text: string): Promise<void> {
  const deals = await rowsOf(text)
  for (const d of deals) {
    await db.query('delete from deal_credits where org_id = $1 and deal_id = $2', [orgId, d.id])
    await db.query('delete from deals where org_id = $1 and id = $2', [orgId, d.id])
  }
  const extras = (d: Record<string, string>) =>
    Object.fromEntries(Object.entries(d).filter(([k]) => !DEAL_COLUMNS.has(k)))
  await insertMany(
    db,
    'deals',
    [
      'org_id',
      'id',
      'closed_on',
      'amount_minor',
      'mrr_minor',
      'type',
      'customer',
      'term_months',
      'cancelled_on',
      'fields',
    ],
    deals.map((d) => [
      orgId,
      d.id,
      d.closed_on,
      parseMoney(d.amount || '0', 2),
      parseMoney(d.mrr || '0', 2),
      d.type ?? '',
      d.customer ?? '',
      d.term_months ? Number(d.term_months) : null,
      d.cancelled_on || null,
      JSON.stringify(extras(d)),
    ]),
  )
  const credits: unknown[][] = []
  for (const d of deals) {
    for (const part of (d.rep ?? '').split(';')) {
      const [rep, pct] = part.split(':')
      const [whole = '0', frac = ''] = (pct ?? '100').split('.')
      credits.push([orgId, d.id, rep, Number(whole) * 10_000 + Number(frac.padEnd(4, '0'))])
    }
  }
  await insertMany(db, 'deal_credits', ['org_id', 'deal_id', 'rep_id', 'share_micro'], credits)
}

export const example = (name: string): string =>
  readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')
