import {
  type AcknowledgementStatus,
  acknowledgementStatus,
} from '../acknowledgements/acknowledgement-status.ts'
import type { Queryable } from '../ports/sql.ts'
import { DISPUTE_COLUMNS, type Dispute, disputeHistory, toDispute } from './dispute.ts'

/** What a statement adds about acknowledgement and disputes. Money in minor units. */
export interface StatementNotes {
  /** The plan version in force for the period and the rep's acknowledgement of it (null: on no plan). */
  readonly acknowledgement: AcknowledgementStatus | null
  /** Disputes of this period's lines, with their answers. */
  readonly disputes: readonly Dispute[]
  /** Adjustments of accepted disputes booked in this period (for lines of earlier periods). */
  readonly disputeAdjustments: readonly {
    disputeId: number
    disputedPeriod: string
    amountMinor: bigint
    ledgerSeq: bigint
  }[]
  /** The rep's ledger entries of the period with their seq: what a dispute names. */
  readonly ledgerLines: readonly {
    seq: bigint
    kind: string
    rule: string | null
    deal: string | null
    amountMinor: bigint
  }[]
}

/** The acknowledgement status, disputes and disputable ledger lines of a rep's statement. */
export async function statementNotes(
  db: Queryable,
  args: { orgId: string; rep: string; period: string },
): Promise<StatementNotes> {
  const rows = await db.query<Record<string, unknown>>(
    `select ${DISPUTE_COLUMNS} from disputes where org_id = $1 and rep_id = $2 and (period = $3 or adjustment_period = $3)
      order by id`,
    [args.orgId, args.rep, args.period],
  )
  const history = await disputeHistory(
    db,
    args.orgId,
    rows.map((r) => Number(r.id)),
  )
  const all = rows.map((r) => toDispute(r, history.get(Number(r.id)) ?? []))
  const lines = await db.query<{
    seq: bigint
    kind: string
    rule: string | null
    deal: string | null
    amount_minor: bigint
  }>(
    `select e.seq, e.kind, e.rule, e.deal, e.amount_minor from ledger_entries e
      where e.org_id = $1 and e.rep_id = $2 and e.period = $3 and e.kind not in ('reversal', 'outcome')
        and not exists (select 1 from ledger_entries r where r.org_id = e.org_id and r.kind = 'reversal'
                         and r.ref ->> 'reverses' = e.seq::text)
      order by e.seq`,
    [args.orgId, args.rep, args.period],
  )
  return {
    acknowledgement: await acknowledgementStatus(db, {
      orgId: args.orgId,
      repId: args.rep,
      period: args.period,
    }),
    disputes: all.filter((d) => d.period === args.period),
    disputeAdjustments: all.flatMap((d) =>
      d.adjustment === null || d.adjustment.period !== args.period
        ? []
        : [
            {
              disputeId: d.id,
              disputedPeriod: d.period,
              amountMinor: d.adjustment.amountMinor,
              ledgerSeq: d.adjustment.ledgerSeq,
            },
          ],
    ),
    ledgerLines: lines.map((l) => ({
      seq: BigInt(l.seq),
      kind: l.kind,
      rule: l.rule,
      deal: l.deal,
      amountMinor: BigInt(l.amount_minor),
    })),
  }
}
