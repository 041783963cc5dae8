import { DomainError } from '../../core/domain-error.ts'
import type { Actor } from '../acknowledgements/actor.ts'
import type { Queryable } from '../ports/sql.ts'
import { type Dispute, getDispute, recordDisputeEvent } from './dispute.ts'

/**
 * A rep disputes a line of one of their statements, named by its ledger entry's seq (stable: the
 * ledger is append-only and never renumbered, unlike a line's position, which a reopened and
 * re-closed period may change). Only the rep whose line it is may open it (`actor.repId`).
 * Refusals: dispute.no_message, .unknown_line, .not_own_line, .not_a_statement_line (a
 * reversal or an outcome record), .line_reversed (the period was reopened since), .period_open (no statement yet),
 * .already_open. Run it in a transaction.
 */
export async function openDispute(
  db: Queryable,
  args: { orgId: string; actor: Actor; now: Date; ledgerSeq: bigint; message: string },
): Promise<Dispute> {
  const { orgId } = args
  const message = args.message.trim()
  if (message === '')
    throw new DomainError('dispute.no_message', 'Say what is wrong with the line (--message).')
  const [entry] = await db.query<{
    period: string
    rep_id: string
    kind: string
    rule: string | null
    deal: string | null
    amount_minor: bigint
  }>(
    'select period, rep_id, kind, rule, deal, amount_minor from ledger_entries where org_id = $1 and seq = $2',
    [orgId, String(args.ledgerSeq)],
  )
  if (entry === undefined)
    throw new DomainError('dispute.unknown_line', `There is no ledger entry ${args.ledgerSeq}.`, {
      seq: String(args.ledgerSeq),
    })
  if ((args.actor.repId ?? null) !== entry.rep_id)
    throw new DomainError(
      'dispute.not_own_line',
      `Ledger entry ${args.ledgerSeq} is not a line of your statement.`,
      {
        seq: String(args.ledgerSeq),
      },
    )
  // Reversals undo entries of a reopened close; outcome entries record what a rule did, not money.
  if (entry.kind === 'reversal' || entry.kind === 'outcome')
    throw new DomainError(
      'dispute.not_a_statement_line',
      `Ledger entry ${args.ledgerSeq} is a ${entry.kind} record, not a statement line.`,
    )
  const reversed = await db.query(
    `select 1 from ledger_entries where org_id = $1 and kind = 'reversal' and ref ->> 'reverses' = $2`,
    [orgId, String(args.ledgerSeq)],
  )
  if (reversed.length > 0)
    throw new DomainError(
      'dispute.line_reversed',
      `Ledger entry ${args.ledgerSeq} was reversed when ${entry.period} was reopened; dispute the line of its new close.`,
    )
  const [period] = await db.query<{ status: string }>(
    'select status from periods where org_id = $1 and key = $2',
    [orgId, entry.period],
  )
  if (period?.status !== 'closed')
    throw new DomainError(
      'dispute.period_open',
      `${entry.period} is not closed: its statement is not final yet.`,
    )
  const [open] = await db.query<{ id: bigint }>(
    `select id from disputes where org_id = $1 and ledger_seq = $2 and state = 'open'`,
    [orgId, String(args.ledgerSeq)],
  )
  if (open !== undefined)
    throw new DomainError('dispute.already_open', `Dispute ${open.id} on this line is still open.`, {
      id: Number(open.id),
    })
  // Numbers per organization, one after another: concurrent openings wait for each other.
  await db.query(`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [
    `disputes:${orgId}`,
  ])
  const [next] = await db.query<{ id: bigint }>(
    'select coalesce(max(id), 0) + 1 as id from disputes where org_id = $1',
    [orgId],
  )
  const id = Number(next?.id ?? 1)
  const at = args.now.toISOString()
  const line = {
    kind: entry.kind,
    rule: entry.rule,
    deal: entry.deal,
    amountMinor: String(entry.amount_minor),
  }
  await db.query(
    `insert into disputes (org_id, id, rep_id, period, ledger_seq, line, message, opened_at, opened_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      orgId,
      id,
      entry.rep_id,
      entry.period,
      String(args.ledgerSeq),
      JSON.stringify(line),
      message,
      at,
      args.actor.id,
    ],
  )
  await recordDisputeEvent(db, {
    orgId,
    id,
    actor: args.actor.id,
    at,
    action: 'open',
    detail: { repId: entry.rep_id, period: entry.period, ledgerSeq: String(args.ledgerSeq), line, message },
    before: null,
  })
  return getDispute(db, orgId, id)
}
