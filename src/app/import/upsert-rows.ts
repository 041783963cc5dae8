import type { ImportKind } from '../../core/imports/mapping.ts'
import type { Queryable } from '../ports/sql.ts'
import { creditsText, normalizeDecimal, stableJson, type StoredRow } from './stored-rows.ts'

type SqlType = 'text' | 'bigint' | 'int' | 'date' | 'jsonb' | 'numeric'

/** Where rows of one kind are stored, and their history. */
export interface TableSpec {
  readonly table: string
  readonly key: readonly string[]
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[]
  readonly history: { readonly table: string; readonly key: readonly string[] }
  /** Deals: credits in deal_credits, compared with the row. */
  readonly credits: boolean
}

const text = (name: string) => ({ name, type: 'text' as const })

export const TABLES: Readonly<Record<ImportKind, TableSpec>> = {
  reps: {
    table: 'reps',
    key: ['id'],
    columns: [
      text('name'),
      text('email'),
      text('team'),
      text('manager'),
      text('plan'),
      { name: 'hired_on', type: 'date' },
      { name: 'left_on', type: 'date' },
      { name: 'fields', type: 'jsonb' },
    ],
    history: { table: 'rep_history', key: ['rep_id'] },
    credits: false,
  },
  deals: {
    table: 'deals',
    key: ['id'],
    columns: [
      text('closed_on'),
      { name: 'amount_minor', type: 'bigint' },
      { name: 'mrr_minor', type: 'bigint' },
      text('type'),
      text('customer'),
      { name: 'term_months', type: 'int' },
      text('cancelled_on'),
      { name: 'fields', type: 'jsonb' },
    ],
    history: { table: 'deal_history', key: ['deal_id'] },
    credits: true,
  },
  activities: {
    table: 'activities',
    key: ['id'],
    columns: [text('rep_id'), text('kind'), text('occurred_on'), { name: 'fields', type: 'jsonb' }],
    history: { table: 'activity_history', key: ['activity_id'] },
    credits: false,
  },
  quotas: {
    table: 'quotas',
    key: ['rep_id', 'period', 'metric'],
    columns: [{ name: 'amount', type: 'numeric' }],
    history: { table: 'quota_history', key: ['rep_id', 'period', 'metric'] },
    credits: false,
  },
}

export type RowStatus = 'added' | 'changed' | 'unchanged'

export interface UpsertContext {
  readonly orgId: string
  readonly actor: string
  /** The instant of the import (ISO 8601): updated_at and changed_at. */
  readonly at: string
  readonly importId: string
  /** The table held none of the organization's rows when the import began: skip the lookups. */
  readonly assumeNew: boolean
}

const keyOf = (key: readonly string[]): string => key.join('\u0000')

/** `$from::t1[], $from+1::t2[], …` for unnest. */
const arrays = (types: readonly SqlType[], from: number): string =>
  types.map((t, i) => `$${from + i}::${t}[]`).join(', ')

/**
 * Stores a batch of rows in one round of statements: each compared with what is stored (values,
 * and a deal's credits), new rows added with one multi-row INSERT, changed ones with one UPDATE,
 * a history row (before, after) written for each changed row, unchanged rows left alone. Rows are
 * passed as arrays (unnest): a statement's size does not grow with its parameters. Returns each
 * row's status, in order.
 */
export async function upsertRows(
  tx: Queryable,
  spec: TableSpec,
  ctx: UpsertContext,
  rows: readonly StoredRow[],
): Promise<RowStatus[]> {
  const stored = ctx.assumeNew ? new Map<string, Stored>() : await loadStored(tx, spec, ctx.orgId, rows)
  const statuses: RowStatus[] = []
  const added: StoredRow[] = []
  const updated: StoredRow[] = []
  const newCredits: StoredRow[] = []
  const changed: { row: StoredRow; before: Stored }[] = []
  for (const row of rows) {
    const before = stored.get(keyOf(row.key))
    const sameCredits = before?.credits === row.credits?.text
    if (before === undefined) {
      statuses.push('added')
      added.push(row)
    } else if (sameCredits && spec.columns.every((c) => before.values[c.name] === row.values[c.name])) {
      statuses.push('unchanged')
      continue
    } else {
      statuses.push('changed')
      changed.push({ row, before })
      updated.push(row)
    }
    if (spec.credits && !sameCredits) newCredits.push(row)
  }
  // The rows were just looked up inside the import's transaction (imports of an organization
  // take turns): new rows need no ON CONFLICT, which costs a third more.
  if (added.length > 0) await insertRows(tx, spec, ctx, added)
  if (updated.length > 0) await updateRows(tx, spec, ctx, updated)
  if (newCredits.length > 0) await replaceCredits(tx, ctx.orgId, newCredits, stored)
  if (changed.length > 0) await insertHistory(tx, spec, ctx, changed)
  return statuses
}

interface Stored {
  readonly values: Record<string, string | null>
  readonly credits?: string
}

async function loadStored(
  tx: Queryable,
  spec: TableSpec,
  orgId: string,
  rows: readonly StoredRow[],
): Promise<Map<string, Stored>> {
  const select = spec.columns.map((c) => (c.type === 'jsonb' ? c.name : `${c.name}::text as ${c.name}`))
  // `= any` on the first key column keeps to the primary key's index; the rest of a longer key
  // (quotas) is matched below, rows of other keys being ignored.
  const found = await tx.query<Record<string, unknown>>(
    `select ${[...spec.key, ...select].join(', ')} from ${spec.table}
      where org_id = $1 and ${spec.key[0]} = any($2::text[])`,
    [orgId, [...new Set(rows.map((r) => r.key[0] ?? ''))]],
  )
  const out = new Map<string, Stored>()
  for (const r of found) {
    const values: Record<string, string | null> = {}
    for (const c of spec.columns) {
      const v = r[c.name]
      if (v === null || v === undefined) values[c.name] = null
      else if (c.type === 'jsonb') values[c.name] = stableJson(typeof v === 'string' ? JSON.parse(v) : v)
      else values[c.name] = c.type === 'numeric' ? normalizeDecimal(String(v)) : String(v)
    }
    out.set(keyOf(spec.key.map((k) => String(r[k]))), { values, ...(spec.credits ? { credits: '' } : {}) })
  }
  if (spec.credits && out.size > 0) {
    const shares = new Map<string, [string, number][]>()
    for (const c of await tx.query<{ deal_id: string; rep_id: string; share_micro: number }>(
      'select deal_id, rep_id, share_micro from deal_credits where org_id = $1 and deal_id = any($2::text[])',
      [orgId, [...out.keys()]],
    )) {
      const list = shares.get(c.deal_id) ?? []
      list.push([c.rep_id, Number(c.share_micro)])
      shares.set(c.deal_id, list)
    }
    for (const [id, list] of shares) {
      const s = out.get(id)
      if (s !== undefined) out.set(id, { ...s, credits: creditsText(list) })
    }
  }
  return out
}

/** The key and column values of rows as unnest parameters from $2 on, with their SQL types. */
function columnsOf(spec: TableSpec, rows: readonly StoredRow[]): { params: unknown[]; types: SqlType[] } {
  return {
    params: [
      ...spec.key.map((_, k) => rows.map((r) => r.key[k] ?? '')),
      ...spec.columns.map((c) => rows.map((r) => r.values[c.name] ?? null)),
    ],
    types: [...spec.key.map(() => 'text' as const), ...spec.columns.map((c) => c.type)],
  }
}

async function insertRows(tx: Queryable, spec: TableSpec, ctx: UpsertContext, rows: readonly StoredRow[]) {
  const { params, types } = columnsOf(spec, rows)
  const names = [...spec.key, ...spec.columns.map((c) => c.name)]
  await tx.query(
    `insert into ${spec.table} (org_id, ${names.join(', ')}, updated_at)
     select $1, u.*, $${params.length + 2}::timestamptz from unnest(${arrays(types, 2)}) as u`,
    [ctx.orgId, ...params, ctx.at],
  )
}

async function updateRows(tx: Queryable, spec: TableSpec, ctx: UpsertContext, rows: readonly StoredRow[]) {
  const { params, types } = columnsOf(spec, rows)
  const names = [...spec.key, ...spec.columns.map((c) => c.name)]
  await tx.query(
    `update ${spec.table} t set ${spec.columns.map((c) => `${c.name} = u.${c.name}`).join(', ')},
            updated_at = $${params.length + 2}::timestamptz
       from unnest(${arrays(types, 2)}) as u(${names.join(', ')})
      where t.org_id = $1 and ${spec.key.map((k) => `t.${k} = u.${k}`).join(' and ')}`,
    [ctx.orgId, ...params, ctx.at],
  )
}

/** A deal's credits replaced whole: the stored ones deleted, the new ones inserted. */
async function replaceCredits(
  tx: Queryable,
  orgId: string,
  rows: readonly StoredRow[],
  stored: ReadonlyMap<string, Stored>,
) {
  const replaced = rows.filter((r) => stored.has(keyOf(r.key))).map((r) => r.key[0] ?? '')
  if (replaced.length > 0) {
    await tx.query('delete from deal_credits where org_id = $1 and deal_id = any($2::text[])', [
      orgId,
      replaced,
    ])
  }
  const deal: string[] = []
  const rep: string[] = []
  const micro: number[] = []
  for (const r of rows) {
    for (const [repId, share] of r.credits?.shares ?? []) {
      deal.push(r.key[0] ?? '')
      rep.push(repId)
      micro.push(share)
    }
  }
  await tx.query(
    `insert into deal_credits (org_id, deal_id, rep_id, share_micro)
     select $1, * from unnest($2::text[], $3::text[], $4::int[])`,
    [orgId, deal, rep, micro],
  )
}

async function insertHistory(
  tx: Queryable,
  spec: TableSpec,
  ctx: UpsertContext,
  changed: readonly { row: StoredRow; before: Stored }[],
) {
  const snapshot = (values: Record<string, string | null>, credits: string | undefined): string => {
    const out: Record<string, unknown> = {}
    for (const c of spec.columns) {
      const v = values[c.name] ?? null
      out[c.name] = c.type === 'jsonb' && v !== null ? JSON.parse(v) : v
    }
    if (credits !== undefined) out.rep = credits
    return JSON.stringify(out)
  }
  const keyTypes = spec.history.key.map(() => 'text' as const)
  await tx.query(
    `insert into ${spec.history.table} (org_id, ${spec.history.key.join(', ')}, before, after, changed_at, changed_by, import_id)
     select $1, u.*, $${keyTypes.length + 4}::timestamptz, $${keyTypes.length + 5}, $${keyTypes.length + 6}
       from unnest(${arrays([...keyTypes, 'jsonb', 'jsonb'], 2)}) as u`,
    [
      ctx.orgId,
      ...spec.history.key.map((_, k) => changed.map((c) => c.row.key[k] ?? '')),
      changed.map((c) => snapshot(c.before.values, c.before.credits)),
      changed.map((c) => snapshot({ ...c.row.values }, c.row.credits?.text)),
      ctx.at,
      ctx.actor,
      ctx.importId,
    ],
  )
}
