import { DomainError } from '../../core/domain-error.ts'
import type { Queryable } from '../ports/sql.ts'
import { isoOf } from '../acknowledgements/actor.ts'

export type DisputeState = 'open' | 'accepted' | 'rejected'

/** One event of a dispute's history (open, accept, reject), in order. */
export interface DisputeEvent {
  readonly seq: number
  readonly at: string
  readonly actor: string
  readonly action: 'open' | 'accept' | 'reject'
  readonly detail: Record<string, unknown>
}

/** A rep's dispute of one statement line (a ledger entry, by its seq), with the answer. */
export interface Dispute {
  readonly id: number
  readonly repId: string
  /** The period of the disputed line. */
  readonly period: string
  readonly ledgerSeq: bigint
  /** The disputed entry as it was. */
  readonly line: { kind: string; rule: string | null; deal: string | null; amountMinor: bigint }
  readonly message: string
  readonly openedAt: string
  readonly openedBy: string
  readonly state: DisputeState
  readonly resolvedAt: string | null
  readonly resolvedBy: string | null
  readonly reason: string | null
  /** For an accepted dispute: the adjustment booked, its period and its ledger entry. */
  readonly adjustment: { amountMinor: bigint; period: string; ledgerSeq: bigint } | null
  readonly history: readonly DisputeEvent[]
}

export const DISPUTE_COLUMNS = `id, rep_id, period, ledger_seq, line, message, opened_at, opened_by, state, resolved_at,
  resolved_by, reason, adjustment_minor, adjustment_period, adjustment_seq`

const json = (value: unknown): Record<string, unknown> =>
  (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<string, unknown>

export function toDispute(row: Record<string, unknown>, history: readonly DisputeEvent[]): Dispute {
  const line = json(row.line)
  const adjustment =
    row.adjustment_minor === null || row.adjustment_minor === undefined
      ? null
      : {
          amountMinor: BigInt(row.adjustment_minor as bigint),
          period: String(row.adjustment_period),
          ledgerSeq: BigInt(row.adjustment_seq as bigint),
        }
  return {
    id: Number(row.id),
    repId: String(row.rep_id),
    period: String(row.period),
    ledgerSeq: BigInt(row.ledger_seq as bigint),
    line: {
      kind: String(line.kind),
      rule: (line.rule as string | null) ?? null,
      deal: (line.deal as string | null) ?? null,
      amountMinor: BigInt(String(line.amountMinor ?? '0')),
    },
    message: String(row.message),
    openedAt: isoOf(row.opened_at),
    openedBy: String(row.opened_by),
    state: row.state as DisputeState,
    resolvedAt: row.resolved_at === null ? null : isoOf(row.resolved_at),
    resolvedBy: (row.resolved_by as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    adjustment,
    history,
  }
}

/** The history of disputes by id, each in order. */
export async function disputeHistory(
  db: Queryable,
  orgId: string,
  ids: readonly number[],
): Promise<Map<number, DisputeEvent[]>> {
  const out = new Map<number, DisputeEvent[]>()
  if (ids.length === 0) return out
  const rows = await db.query<{
    dispute_id: bigint
    seq: number
    at: unknown
    actor: string
    action: string
    detail: unknown
  }>(
    `select dispute_id, seq, at, actor, action, detail from dispute_events
      where org_id = $1 and dispute_id = any($2::bigint[]) order by dispute_id, seq`,
    [orgId, ids.map(String)],
  )
  for (const r of rows) {
    const id = Number(r.dispute_id)
    const list = out.get(id) ?? []
    list.push({
      seq: Number(r.seq),
      at: isoOf(r.at),
      actor: r.actor,
      action: r.action as DisputeEvent['action'],
      detail: json(r.detail),
    })
    out.set(id, list)
  }
  return out
}

/** One dispute with its history; `forUpdate` locks its row for the caller's transaction. */
export async function getDispute(
  db: Queryable,
  orgId: string,
  id: number,
  forUpdate = false,
): Promise<Dispute> {
  const [row] = await db.query<Record<string, unknown>>(
    `select ${DISPUTE_COLUMNS} from disputes where org_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
    [orgId, id],
  )
  if (row === undefined) throw new DomainError('dispute.unknown', `There is no dispute ${id}.`, { id })
  return toDispute(row, (await disputeHistory(db, orgId, [id])).get(id) ?? [])
}

/** Appends the next event of a dispute and its audit_log row (same instant, same actor). */
export async function recordDisputeEvent(
  db: Queryable,
  args: {
    orgId: string
    id: number
    actor: string
    at: string
    action: DisputeEvent['action']
    detail: Record<string, unknown>
    before: Record<string, unknown> | null
  },
): Promise<void> {
  await db.query(
    `insert into dispute_events (org_id, dispute_id, seq, at, actor, action, detail)
     select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6 from dispute_events where org_id = $1 and dispute_id = $2`,
    [args.orgId, args.id, args.at, args.actor, args.action, JSON.stringify(args.detail)],
  )
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      args.orgId,
      args.at,
      args.actor,
      `dispute.${args.action}`,
      `dispute:${args.id}`,
      args.before === null ? null : JSON.stringify(args.before),
      JSON.stringify(args.detail),
    ],
  )
}
