import type { ImportKind } from '../../core/imports/mapping.ts'
import type { Queryable } from '../ports/sql.ts'
import { STORED_COLUMNS, type StoredBatch } from './stored-rows.ts'

type SqlType = 'text' | 'bigint' | 'int' | 'date' | 'jsonb' | 'numeric'

/** Where rows of one kind are stored, and their history. */
export interface TableSpec {
  readonly kind: ImportKind
  readonly table: string
  readonly key: readonly string[]
  /** In the order of STORED_COLUMNS. */
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[]
  readonly history: { readonly table: string; readonly key: readonly string[] }
  /** Deals: credits in deal_credits, compared with the row. */
  readonly credits: boolean
}

const TYPES: Readonly<Record<string, SqlType>> = {
  amount_minor: 'bigint',
  mrr_minor: 'bigint',
  term_months: 'int',
  hired_on: 'date',
  left_on: 'date',
  fields: 'jsonb',
  amount: 'numeric',
}

const spec = (
  kind: ImportKind,
  key: readonly string[],
  history: readonly [string, readonly string[]],
): TableSpec => ({
  kind,
  table: kind,
  key,
  columns: STORED_COLUMNS[kind].map((name) => ({ name, type: TYPES[name] ?? 'text' })),
  history: { table: history[0], key: history[1] },
  credits: kind === 'deals',
})

export const TABLES: Readonly<Record<ImportKind, TableSpec>> = {
  reps: spec('reps', ['id'], ['rep_history', ['rep_id']]),
  deals: spec('deals', ['id'], ['deal_history', ['deal_id']]),
  activities: spec('activities', ['id'], ['activity_history', ['activity_id']]),
  quotas: spec('quotas', ['rep_id', 'period', 'metric'], ['quota_history', ['rep_id', 'period', 'metric']]),
}

export interface BatchCounts {
  readonly added: number
  readonly changed: number
  readonly unchanged: number
}

export interface UpsertContext {
  readonly orgId: string
  readonly actor: string
  /** The instant of the import (ISO 8601): updated_at and changed_at. */
  readonly at: string
  readonly importId: string
  /** The table held none of the organization's rows when the import began: skip the lookups. */
  readonly assumeNew: boolean
}

/** A batch's statement and its parameters, the arrays already written as PostgreSQL array literals. */
export interface PreparedBatch {
  readonly length: number
  readonly assumeNew: boolean
  readonly sql: string
  readonly params: readonly unknown[]
}

/**
 * Stores a batch in one statement, set-based in SQL: the batch's columns come in as arrays
 * (unnest), are compared with the stored rows (`is distinct from`, and a deal's credits), new
 * rows are inserted, changed ones updated with a history row (before, after: each column as
 * text, fields as JSON, a deal's credits as `rep:percent;…`), unchanged ones left alone; a
 * changed deal's credits are replaced. When the table held none of the organization's rows,
 * the rows are inserted without looking anything up. See ADR 0006.
 */
export async function upsertBatch(
  tx: Queryable,
  spec: TableSpec,
  ctx: UpsertContext,
  batch: StoredBatch,
): Promise<BatchCounts> {
  return runBatch(tx, prepareBatch(spec, ctx, batch))
}

/**
 * The statement of `upsertBatch` with its parameters, built before it is sent: while the server
 * runs the statement before it, not in the pause between the two (ADR 0010).
 */
export function prepareBatch(spec: TableSpec, ctx: UpsertContext, batch: StoredBatch): PreparedBatch {
  const arrays = [
    ...batch.keys.map((k) => arrayLiteral(k)),
    ...spec.columns.map((c) =>
      arrayLiteral(batch.columns[c.name] ?? [], c.type === 'jsonb' ? '{}' : undefined),
    ),
  ]
  const credits = spec.credits
    ? [arrayLiteral(batch.credits.deal), arrayLiteral(batch.credits.rep), arrayLiteral(batch.credits.micro)]
    : []
  const base = { length: batch.length, assumeNew: ctx.assumeNew }
  if (ctx.assumeNew)
    return { ...base, sql: insertSql(spec), params: [ctx.orgId, ctx.at, ...arrays, ...credits] }
  return {
    ...base,
    sql: mergeSql(spec),
    params: [
      ctx.orgId,
      ctx.at,
      ctx.actor,
      ctx.importId,
      ...arrays,
      ...(spec.credits ? [arrayLiteral(batch.credits.key)] : []),
      ...credits,
    ],
  }
}

/** Runs a prepared batch; the counts of its rows added, changed and left alone. */
export async function runBatch(tx: Queryable, batch: PreparedBatch): Promise<BatchCounts> {
  if (batch.length === 0) return { added: 0, changed: 0, unchanged: 0 }
  if (batch.assumeNew) {
    await tx.query(batch.sql, [...batch.params])
    return { added: batch.length, changed: 0, unchanged: 0 }
  }
  const [out] = await tx.query<{ added: number; changed: number }>(batch.sql, [...batch.params])
  const added = Number(out?.added ?? 0)
  const changed = Number(out?.changed ?? 0)
  return { added, changed, unchanged: batch.length - added - changed }
}

const NEEDS_ESCAPE = /["\\]/

/**
 * A PostgreSQL array literal of text or numbers, as pg writes one (`{"a","b\\"c",NULL}`), built in
 * one join rather than element by element; `nullFor` (when given) written as NULL.
 */
export function arrayLiteral(values: readonly (string | number | null)[], nullFor?: string): string {
  const parts = new Array<string>(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined || v === nullFor) parts[i] = 'NULL'
    else if (typeof v === 'number') parts[i] = String(v)
    else parts[i] = NEEDS_ESCAPE.test(v) ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`
  }
  return `{${parts.join(',')}}`
}

const names = (spec: TableSpec): string[] => [...spec.key, ...spec.columns.map((c) => c.name)]

/**
 * The unnested rows' columns as stored: an empty `fields` object comes as NULL (parsing a million
 * `{}` as jsonb cost the server more than a second, ADR 0010).
 */
function columnsOf(spec: TableSpec, alias: string, creditsKey = false): string {
  const cols = spec.columns.map((c) =>
    c.type === 'jsonb' ? `coalesce(${alias}.${c.name}, '{}'::jsonb) as ${c.name}` : `${alias}.${c.name}`,
  )
  return [
    ...spec.key.map((k) => `${alias}.${k}`),
    ...cols,
    ...(creditsKey ? [`${alias}.credits_key`] : []),
  ].join(', ')
}

/** `unnest($from::t1[], …) as alias(names…)` over the key and the columns (deals: and credits_key). */
function unnestOf(spec: TableSpec, from: number, alias: string, creditsKey = false): string {
  const types = [
    ...spec.key.map(() => 'text'),
    ...spec.columns.map((c) => c.type),
    ...(creditsKey ? ['text'] : []),
  ]
  const all = [...names(spec), ...(creditsKey ? ['credits_key'] : [])]
  return `unnest(${types.map((t, i) => `$${from + i}::${t}[]`).join(', ')}) as ${alias}(${all.join(', ')})`
}

/** The credits parameters after the key and columns: deal ids, rep ids, millionths. */
function creditsOf(spec: TableSpec, from: number): string {
  const at = from + names(spec).length
  return `unnest($${at}::text[], $${at + 1}::text[], $${at + 2}::int[]) as c(deal_id, rep_id, share_micro)`
}

const cache = new Map<string, string>()
const cached = (key: string, build: () => string): string => {
  let sql = cache.get(key)
  if (sql === undefined) cache.set(key, (sql = build()))
  return sql
}

/** Every row new: $1 org, $2 at, then the arrays. */
function insertSql(spec: TableSpec): string {
  return cached(`insert ${spec.kind}`, () => {
    const insert = `insert into ${spec.table} (org_id, ${names(spec).join(', ')}, updated_at)
      select $1, ${columnsOf(spec, 'u')}, $2::timestamptz from ${unnestOf(spec, 3, 'u')}`
    if (!spec.credits) return insert
    return `with rows as (${insert})
      insert into deal_credits (org_id, deal_id, rep_id, share_micro) select $1, c.* from ${creditsOf(spec, 3)}`
  })
}

/** Stored credits of deal `u.id` as compared: `rep:millionths` sorted by rep (bytes), joined by ';'. */
const STORED_CREDITS = `(select string_agg(k.rep_id || ':' || k.share_micro, ';' order by k.rep_id collate "C")
   from deal_credits k where k.org_id = $1 and k.deal_id = u.id)`

/** Credits as history keeps them: `rep:percent` sorted by rep, joined by ';' (r1:33.33;r2:66.67). */
const BEFORE_CREDITS = `(select string_agg(k.rep_id || ':' || trim_scale(k.share_micro / 10000.0)::text, ';'
                                order by k.rep_id collate "C")
   from deal_credits k where k.org_id = $1 and k.deal_id = u.id)`
const AFTER_CREDITS = `(select string_agg(split_part(s.x, ':', 1) || ':' || trim_scale(split_part(s.x, ':', 2)::numeric / 10000)::text,
                                ';' order by s.n)
   from unnest(string_to_array(u.credits_key, ';')) with ordinality as s(x, n))`

/** A row's values as history keeps them: every column as text, fields as JSON, a deal's credits. */
function snapshot(spec: TableSpec, alias: string, credits: string | null): string {
  const value = (c: TableSpec['columns'][number]): string => {
    const v = `${alias}.${c.name}`
    if (c.type === 'text' || c.type === 'jsonb') return v
    return c.type === 'numeric' ? `trim_scale(${v})::text` : `${v}::text`
  }
  const pairs = spec.columns.map((c) => `'${c.name}', ${value(c)}`)
  if (credits !== null) pairs.push(`'rep', ${credits}`)
  return `jsonb_build_object(${pairs.join(', ')})`
}

/**
 * Compare and store: $1 org, $2 at, $3 actor, $4 import id, then the arrays (deals: the key,
 * the columns, each deal's credits as compared, then the credits one by one). Returns one row:
 * added, changed.
 */
function mergeSql(spec: TableSpec): string {
  return cached(`merge ${spec.kind}`, () => {
    const [first = 'id'] = spec.key
    const cols = spec.columns.map((c) => c.name)
    const all = names(spec).join(', ')
    const on = (a: string, b: string) => spec.key.map((k) => `${a}.${k} = ${b}.${k}`).join(' and ')
    const list = (alias: string) => cols.map((c) => `${alias}.${c}`).join(', ')
    const differs =
      `(${list('o')}) is distinct from (${list('u')})` +
      (spec.credits ? ' or oc.credits is distinct from u.credits_key' : '')
    const isChanged = `o.${first} is not null and (${differs})`
    const deals = spec.credits
      ? {
          with: `c as (select * from ${creditsOf(spec, 6)}),`,
          // The stored credits of each deal: a look-up of the pkey per deal.
          join: `left join lateral (select ${STORED_CREDITS} as credits) oc on true`,
          flag: ', oc.credits is distinct from u.credits_key as new_credits',
          // A changed deal's credits: the reps no longer there deleted, the others set (their
          // keys differ from the deleted ones, so the statement's parts cannot collide).
          modify: `,
            dropped as (delete from deal_credits k
                         where k.org_id = $1 and k.deal_id = any(array(select d.id from d where d.changed and d.new_credits))
                           and (k.deal_id, k.rep_id) not in (select c.deal_id, c.rep_id from c)),
            added_credits as (insert into deal_credits (org_id, deal_id, rep_id, share_micro)
                               select $1, c.* from c join d on d.id = c.deal_id where d.added),
            set_credits as (insert into deal_credits (org_id, deal_id, rep_id, share_micro)
                             select $1, c.* from c join d on d.id = c.deal_id where d.changed and d.new_credits
                             on conflict (org_id, deal_id, rep_id) do update set share_micro = excluded.share_micro
                             where deal_credits.share_micro <> excluded.share_micro)`,
        }
      : { with: '', join: '', flag: '', modify: '' }
    return `with u as (select ${columnsOf(spec, 'r', spec.credits)} from ${unnestOf(spec, 5, 'r', spec.credits)}),
      ${deals.with}
      d as (select u.*, o.${first} is null as added, ${isChanged} as changed${deals.flag},
                   case when ${isChanged} then ${snapshot(spec, 'o', spec.credits ? BEFORE_CREDITS : null)} end as before,
                   case when ${isChanged} then ${snapshot(spec, 'u', spec.credits ? AFTER_CREDITS : null)} end as after
              from u left join ${spec.table} o on o.org_id = $1 and ${on('o', 'u')} ${deals.join}),
      inserted as (insert into ${spec.table} (org_id, ${all}, updated_at)
                   select $1, ${all}, $2::timestamptz from d where d.added),
      updated as (update ${spec.table} t set ${cols.map((c) => `${c} = d.${c}`).join(', ')}, updated_at = $2::timestamptz
                    from d where d.changed and t.org_id = $1 and ${on('t', 'd')}
                     and t.${first} = any(array(select d.${first} from d where d.changed))),
      history as (insert into ${spec.history.table}
                    (org_id, ${spec.history.key.join(', ')}, before, after, changed_at, changed_by, import_id)
                  select $1, ${spec.key.map((k) => `d.${k}`).join(', ')}, d.before, d.after, $2::timestamptz, $3, $4
                    from d where d.changed)${deals.modify}
      select count(*) filter (where d.added)::int as added, count(*) filter (where d.changed)::int as changed from d`
  })
}
