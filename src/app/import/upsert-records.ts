import type { Queryable } from '../ports/sql.ts'
import type { ImportKind } from './import-canonical.ts'

/** What an import did: rows added, rows changed (each with a history row), rows left as they were. */
export interface Changes {
  added: number
  changed: number
  unchanged: number
}

interface Spec {
  readonly table: string
  readonly history: string
  readonly historyKey: string
  /** Key columns and how a canonical row gives them. */
  readonly key: readonly string[]
  /** Stored columns (beyond the key) and the canonical row's field for each. */
  readonly columns: readonly (readonly [column: string, field: string])[]
}

const SPECS: Record<ImportKind, Spec> = {
  reps: {
    table: 'reps',
    history: 'rep_history',
    historyKey: 'rep_id',
    key: ['id'],
    columns: [
      ['name', 'name'],
      ['email', 'email'],
      ['team', 'team'],
      ['manager', 'manager'],
      ['plan', 'plan'],
      ['hired_on', 'hired_on'],
      ['left_on', 'left_on'],
      ['fields', 'fields'],
    ],
  },
  deals: {
    table: 'deals',
    history: 'deal_history',
    historyKey: 'deal_id',
    key: ['id'],
    columns: [
      ['closed_on', 'closed_on'],
      ['amount_minor', 'amount_minor'],
      ['mrr_minor', 'mrr_minor'],
      ['type', 'type'],
      ['customer', 'customer'],
      ['term_months', 'term_months'],
      ['cancelled_on', 'cancelled_on'],
      ['fields', 'fields'],
    ],
  },
  activities: {
    table: 'activities',
    history: 'activity_history',
    historyKey: 'activity_id',
    key: ['id'],
    columns: [
      ['rep_id', 'rep'],
      ['kind', 'kind'],
      ['occurred_on', 'occurred_on'],
      ['fields', 'fields'],
    ],
  },
  quotas: {
    table: 'quotas',
    history: 'quota_history',
    historyKey: 'rep_id',
    key: ['rep_id', 'period', 'metric'],
    columns: [['amount', 'amount']],
  },
}

const keyField = (kind: ImportKind, column: string): string =>
  kind === 'quotas' && column === 'rep_id' ? 'rep' : column

/** A stored or incoming value as comparable text ('' for null). */
function norm(column: string, value: unknown): string {
  if (value === null || value === undefined) return ''
  if (column === 'fields')
    return JSON.stringify(sortKeys(typeof value === 'string' ? JSON.parse(value) : value))
  if (column === 'amount')
    return String(value).includes('.') ? String(value).replace(/0+$/, '').replace(/\.$/, '') : String(value)
  return String(value)
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  )
}

/** Adds, updates (with history) or leaves each canonical row; deals' credits follow their deal. */
export async function upsertRecords(
  tx: Queryable,
  args: {
    orgId: string
    kind: ImportKind
    rows: readonly Record<string, string>[]
    actor: string
    now: Date
    file: string
  },
): Promise<Changes> {
  const spec = SPECS[args.kind]
  const at = args.now.toISOString()
  const existing = new Map<string, Record<string, unknown>>()
  const stored = await tx.query<Record<string, unknown>>(
    `select ${[...spec.key, ...spec.columns.map(([c]) => (c === 'hired_on' || c === 'left_on' ? `${c}::text as ${c}` : c))].join(', ')}
       from ${spec.table} where org_id = $1`,
    [args.orgId],
  )
  const credits = new Map<string, string>()
  if (args.kind === 'deals') {
    for (const c of await tx.query<{ deal_id: string; rep_id: string; share_micro: number }>(
      'select deal_id, rep_id, share_micro from deal_credits where org_id = $1 order by deal_id, rep_id',
      [args.orgId],
    )) {
      const list = credits.get(c.deal_id)
      credits.set(c.deal_id, (list === undefined ? '' : list + ';') + `${c.rep_id}:${c.share_micro}`)
    }
  }
  for (const row of stored) existing.set(spec.key.map((k) => String(row[k])).join('\u0000'), row)

  const changes: Changes = { added: 0, changed: 0, unchanged: 0 }
  const inserts: Record<string, string>[] = []
  for (const row of args.rows) {
    const key = spec.key.map((k) => row[keyField(args.kind, k)] ?? '').join('\u0000')
    const before = existing.get(key)
    if (before === undefined) {
      inserts.push(row)
      changes.added++
      continue
    }
    const sameCredits =
      args.kind !== 'deals' ||
      sortedCredits(row.credits ?? '') === sortedCredits(credits.get(row.id ?? '') ?? '')
    const same =
      sameCredits &&
      spec.columns.every(([column, field]) => norm(column, before[column]) === norm(column, row[field]))
    if (same) {
      changes.unchanged++
      continue
    }
    changes.changed++
    const sets = spec.columns.map(([column], i) => `${column} = $${i + spec.key.length + 2}`)
    await tx.query(
      `update ${spec.table} set ${sets.join(', ')} where org_id = $1 and ${spec.key.map((k, i) => `${k} = $${i + 2}`).join(' and ')}`,
      [
        args.orgId,
        ...spec.key.map((k) => row[keyField(args.kind, k)]),
        ...spec.columns.map(([c, f]) => value(c, row[f])),
      ],
    )
    if (args.kind === 'deals') await replaceCredits(tx, args.orgId, row)
    const after = { ...row }
    await tx.query(
      `insert into ${spec.history} (org_id, ${spec.historyKey}, ${args.kind === 'quotas' ? 'period, metric, ' : ''}changed_at, changed_by, before, after)
       values ($1, $2, ${args.kind === 'quotas' ? '$7, $8, ' : ''}$3, $4, $5, $6)`,
      [
        args.orgId,
        row[keyField(args.kind, spec.key[0] ?? 'id')],
        at,
        args.actor,
        JSON.stringify(
          { ...before, ...(args.kind === 'deals' ? { credits: credits.get(row.id ?? '') ?? '' } : {}) },
          bigintAsText,
        ),
        JSON.stringify(after),
        ...(args.kind === 'quotas' ? [row.period, row.metric] : []),
      ],
    )
  }
  for (let start = 0; start < inserts.length; start += 500) {
    const batch = inserts.slice(start, start + 500)
    const columns = [...spec.key, ...spec.columns.map(([c]) => c)]
    const params: unknown[] = []
    const values = batch.map((row) => {
      params.push(
        args.orgId,
        ...spec.key.map((k) => row[keyField(args.kind, k)]),
        ...spec.columns.map(([c, f]) => value(c, row[f])),
      )
      const base = params.length - columns.length - 1
      return `(${Array.from({ length: columns.length + 1 }, (_, i) => `$${base + i + 1}`).join(', ')})`
    })
    await tx.query(
      `insert into ${spec.table} (org_id, ${columns.join(', ')}) values ${values.join(', ')}`,
      params,
    )
    if (args.kind === 'deals') await insertCredits(tx, args.orgId, batch)
  }
  if (args.kind === 'reps') await assignFromPlanColumn(tx, args.orgId, args.rows, at, args.actor)
  await tx.query(
    `insert into imports (org_id, id, kind, file_name, file_hash, rows, started_at, finished_at, status, created_by)
     values ($1, gen_random_uuid()::text, $2, $3, '', $4, $5, $5, 'done', $6)`,
    [args.orgId, args.kind, args.file, args.rows.length, at, args.actor],
  )
  await tx.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'import', $4, null, $5)`,
    [args.orgId, at, args.actor, `${args.kind} ${args.file}`, JSON.stringify(changes)],
  )
  return changes
}

const bigintAsText = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v)
const sortedCredits = (text: string): string =>
  text
    .split(';')
    .filter((s) => s !== '')
    .sort()
    .join(';')

/** A canonical field as a column value: '' is null, except text columns that default to ''. */
function value(column: string, text: string | undefined): unknown {
  if (text === undefined) return null
  if (['name', 'email', 'team', 'type', 'customer'].includes(column)) return text
  if (column === 'amount_minor' || column === 'mrr_minor') return BigInt(text)
  return text === '' ? null : text
}

async function insertCredits(
  tx: Queryable,
  orgId: string,
  rows: readonly Record<string, string>[],
): Promise<void> {
  const params: unknown[] = []
  const values: string[] = []
  for (const row of rows) {
    for (const part of (row.credits ?? '').split(';')) {
      const [rep, micro] = part.split(':')
      params.push(orgId, row.id, rep, Number(micro))
      values.push(`($${params.length - 3}, $${params.length - 2}, $${params.length - 1}, $${params.length})`)
    }
  }
  if (values.length > 0) {
    await tx.query(
      `insert into deal_credits (org_id, deal_id, rep_id, share_micro) values ${values.join(', ')}`,
      params,
    )
  }
}

async function replaceCredits(tx: Queryable, orgId: string, row: Record<string, string>): Promise<void> {
  await tx.query('delete from deal_credits where org_id = $1 and deal_id = $2', [orgId, row.id])
  await insertCredits(tx, orgId, [row])
}

/** A rep's `plan` column puts the rep on that plan from hired_on (or today) unless already on it. */
async function assignFromPlanColumn(
  tx: Queryable,
  orgId: string,
  rows: readonly Record<string, string>[],
  at: string,
  actor: string,
): Promise<void> {
  for (const row of rows) {
    const plan = row.plan ?? ''
    if (plan === '') continue
    const open = await tx.query<{ plan_id: string }>(
      'select plan_id from plan_assignments where org_id = $1 and rep_id = $2 and valid_to is null',
      [orgId, row.id],
    )
    if (open.some((o) => o.plan_id === plan)) continue
    const from = row.hired_on !== undefined && row.hired_on !== '' ? row.hired_on : at.slice(0, 10)
    if (open.length > 0) {
      await tx.query(
        'update plan_assignments set valid_to = ($3::date - 1) where org_id = $1 and rep_id = $2 and valid_to is null',
        [orgId, row.id, from],
      )
    }
    await tx.query(
      `insert into plan_assignments (org_id, rep_id, plan_id, valid_from, created_at, created_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (org_id, rep_id, valid_from) do update set plan_id = excluded.plan_id`,
      [orgId, row.id, plan, from, at, actor],
    )
  }
}
