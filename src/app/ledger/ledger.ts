import { createHash } from 'node:crypto'
import type { Queryable } from '../ports/sql.ts'

/** One money movement in the append-only ledger; amounts in minor units. */
export interface LedgerEntryInput {
  readonly period: string
  readonly repId: string
  /** A line kind (commission, spiff, …, prior-period adjustment) or `reversal`. */
  readonly kind: string
  readonly rule: string | null
  readonly deal: string | null
  readonly amountMinor: bigint
  readonly forfeitedMinor: bigint
  readonly cappedMinor: bigint
  readonly closeId: string
  /** What the entry refers to (a reversed entry, the changes behind an adjustment), as JSON. */
  readonly ref: Record<string, unknown> | null
}

export interface LedgerEntry extends LedgerEntryInput {
  readonly seq: bigint
  readonly createdAt: string
  readonly prevHash: string
  readonly hash: string
}

export const GENESIS = '0'.repeat(64)

/** The entry's hash: SHA-256 over the previous hash and every field, in a fixed order. */
export function hashEntry(prevHash: string, e: Omit<LedgerEntry, 'hash' | 'prevHash'>): string {
  const canonical = JSON.stringify([
    prevHash,
    String(e.seq),
    e.createdAt,
    e.period,
    e.repId,
    e.kind,
    e.rule,
    e.deal,
    String(e.amountMinor),
    String(e.forfeitedMinor),
    String(e.cappedMinor),
    e.closeId,
    e.ref === null ? null : stableJson(e.ref),
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
}

/** The newest entry's sequence number and hash (0 and the genesis hash for an empty ledger). */
export async function ledgerHead(db: Queryable, orgId: string): Promise<{ seq: bigint; hash: string }> {
  const rows = await db.query<{ seq: bigint; hash: string }>(
    'select seq, hash from ledger_entries where org_id = $1 order by seq desc limit 1',
    [orgId],
  )
  const row = rows[0]
  return row === undefined ? { seq: 0n, hash: GENESIS } : { seq: BigInt(row.seq), hash: row.hash }
}

const BATCH = 5000

/**
 * Appends entries to the organization's chain inside the caller's transaction, in batches (one
 * insert of column arrays each). Returns the new head. Entries are never updated or deleted (a
 * trigger refuses).
 */
export async function appendLedger(
  tx: Queryable,
  orgId: string,
  entries: readonly LedgerEntryInput[],
  createdAt: string,
): Promise<{ seq: bigint; hash: string }> {
  let { seq, hash } = await ledgerHead(tx, orgId)
  for (let start = 0; start < entries.length; start += BATCH) {
    const batch = entries.slice(start, start + BATCH)
    const columns: (string | null)[][] = Array.from({ length: 13 }, () => [])
    for (const e of batch) {
      seq += 1n
      const prevHash = hash
      hash = hashEntry(prevHash, { ...e, seq, createdAt })
      const row = [
        String(seq),
        e.period,
        e.repId,
        e.kind,
        e.rule,
        e.deal,
        String(e.amountMinor),
        String(e.forfeitedMinor),
        String(e.cappedMinor),
        e.closeId,
        e.ref === null ? null : JSON.stringify(e.ref),
        prevHash,
        hash,
      ]
      row.forEach((value, i) => columns[i]?.push(value))
    }
    await tx.query(
      `insert into ledger_entries (org_id, seq, created_at, period, rep_id, kind, rule, deal, amount_minor,
         forfeited_minor, capped_minor, close_id, ref, prev_hash, hash)
       select $1, u.seq, $2, u.period, u.rep_id, u.kind, u.rule, u.deal, u.amount, u.forfeited, u.capped,
              u.close_id, u.ref, u.prev_hash, u.hash
         from unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[],
                     $10::bigint[], $11::bigint[], $12::text[], $13::jsonb[], $14::text[], $15::text[])
           as u(seq, period, rep_id, kind, rule, deal, amount, forfeited, capped, close_id, ref, prev_hash, hash)`,
      [orgId, createdAt, ...columns],
    )
  }
  return { seq, hash }
}

/** Result of checking the whole chain: ok, or the first entry whose hash or link does not hold. */
export type LedgerCheck =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: bigint; readonly reason: string }

/** Recomputes every hash of the organization's chain in order and names the first broken entry. */
export async function verifyLedger(db: Queryable, orgId: string): Promise<LedgerCheck> {
  let prev = GENESIS
  let expectedSeq = 1n
  let count = 0
  for (let after = 0n; ;) {
    const rows = await db.query<Record<string, unknown>>(
      `select seq, created_at, period, rep_id, kind, rule, deal, amount_minor, forfeited_minor, capped_minor,
              close_id, ref, prev_hash, hash
         from ledger_entries where org_id = $1 and seq > $2 order by seq limit 5000`,
      [orgId, after],
    )
    if (rows.length === 0) return { ok: true, entries: count, head: prev }
    for (const row of rows) {
      const seq = BigInt(row.seq as bigint)
      if (seq !== expectedSeq) {
        return { ok: false, entries: count, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` }
      }
      const entry = rowToEntry(row)
      if (entry.prevHash !== prev) {
        return {
          ok: false,
          entries: count,
          brokenAt: seq,
          reason: `entry ${seq} does not link to entry ${seq - 1n}`,
        }
      }
      const recomputed = hashEntry(prev, entry)
      if (recomputed !== entry.hash) {
        return {
          ok: false,
          entries: count,
          brokenAt: seq,
          reason: `entry ${seq} was changed after it was written`,
        }
      }
      prev = entry.hash
      expectedSeq = seq + 1n
      count++
      after = seq
    }
  }
}

export function rowToEntry(row: Record<string, unknown>): LedgerEntry {
  const ref = row.ref
  return {
    seq: BigInt(row.seq as bigint),
    createdAt: toIso(row.created_at),
    period: String(row.period),
    repId: String(row.rep_id),
    kind: String(row.kind),
    rule: row.rule === null ? null : String(row.rule),
    deal: row.deal === null ? null : String(row.deal),
    amountMinor: BigInt(row.amount_minor as bigint),
    forfeitedMinor: BigInt(row.forfeited_minor as bigint),
    cappedMinor: BigInt(row.capped_minor as bigint),
    closeId: String(row.close_id),
    ref:
      ref === null || ref === undefined
        ? null
        : typeof ref === 'string'
          ? JSON.parse(ref)
          : (ref as Record<string, unknown>),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  }
}

function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value)
}
