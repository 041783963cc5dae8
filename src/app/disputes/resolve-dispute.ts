import { parsePeriodKey, periodKey } from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import { type Actor, repsUnder } from '../acknowledgements/actor.ts'
import { appendLedger } from '../ledger/ledger.ts'
import type { Queryable } from '../ports/sql.ts'
import { type Dispute, getDispute, recordDisputeEvent } from './dispute.ts'

/** How far ahead the next open period is looked for (periods of the disputed line's kind). */
const LOOKAHEAD = 120

/**
 * A manager answers a dispute, once. Accepted: an `adjustment` ledger entry of `amountMinor`
 * (positive pays the rep, negative takes back) for the rep, booked, like every prior-period
 * adjustment, in an open period after the disputed one: `period` when given (refused when it is
 * closed or not later), else the first period of the same kind after the disputed one that is not
 * closed. A closed period is never changed. Rejected: with a written reason. Owners and admins
 * answer any dispute, a manager those of the reps under them. Refusals: dispute.forbidden (a rep,
 * finance), .not_your_rep, .unknown, .already_resolved, .no_reason, .bad_amount, .bad_period,
 * .period_closed. Run it in a transaction.
 */
export async function resolveDispute(
  db: Queryable,
  args: {
    orgId: string
    actor: Actor
    now: Date
    id: number
    decision: 'accept' | 'reject'
    reason?: string
    amountMinor?: bigint
    period?: string
  },
): Promise<Dispute> {
  const { orgId, actor } = args
  if (actor.role !== 'owner' && actor.role !== 'admin' && actor.role !== 'manager')
    throw new DomainError(
      'dispute.forbidden',
      `A person with the role ${actor.role} cannot answer a dispute.`,
      {
        role: actor.role,
      },
    )
  const dispute = await getDispute(db, orgId, args.id, true)
  if (actor.role === 'manager') {
    const under = actor.repId == null ? new Set<string>() : await repsUnder(db, orgId, actor.repId)
    if (!under.has(dispute.repId))
      throw new DomainError('dispute.not_your_rep', `${dispute.repId} does not report to you.`, {
        repId: dispute.repId,
      })
  }
  if (dispute.state !== 'open')
    throw new DomainError('dispute.already_resolved', `Dispute ${dispute.id} was already ${dispute.state}.`, {
      id: dispute.id,
      state: dispute.state,
    })
  const reason = args.reason?.trim() ?? ''
  const at = args.now.toISOString()
  const before = { state: 'open' }
  if (args.decision === 'reject') {
    if (reason === '')
      throw new DomainError('dispute.no_reason', 'A rejected dispute needs a written reason (--reason).')
    await db.query(
      `update disputes set state = 'rejected', resolved_at = $3, resolved_by = $4, reason = $5
        where org_id = $1 and id = $2 and state = 'open'`,
      [orgId, dispute.id, at, actor.id, reason],
    )
    await recordDisputeEvent(db, {
      orgId,
      id: dispute.id,
      actor: actor.id,
      at,
      action: 'reject',
      detail: { state: 'rejected', reason },
      before,
    })
    return getDispute(db, orgId, dispute.id)
  }
  const amountMinor = args.amountMinor ?? 0n
  if (amountMinor === 0n)
    throw new DomainError(
      'dispute.bad_amount',
      'An accepted dispute needs the amount to adjust, not zero (--amount).',
    )
  const period = await bookingPeriod(db, orgId, dispute.period, args.period)
  // Serialized with closes, which append to the same chain.
  await db.query(`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [`close:${orgId}`])
  const ref = {
    dispute: String(dispute.id),
    disputedSeq: String(dispute.ledgerSeq),
    disputedPeriod: dispute.period,
    ...(reason === '' ? {} : { reason }),
  }
  const head = await appendLedger(
    db,
    orgId,
    [
      {
        period,
        repId: dispute.repId,
        kind: 'adjustment',
        rule: dispute.line.rule,
        deal: dispute.line.deal,
        amountMinor,
        forfeitedMinor: 0n,
        cappedMinor: 0n,
        closeId: `dispute:${dispute.id}`,
        ref,
      },
    ],
    at,
  )
  // Like every close and reopen, the chain's head after the append (detects removed newest entries).
  await db.query(
    'insert into ledger_heads (org_id, close_id, seq, hash, created_at) values ($1, $2, $3, $4, $5)',
    [orgId, `dispute:${dispute.id}`, String(head.seq), head.hash, at],
  )
  await db.query(
    `update disputes set state = 'accepted', resolved_at = $3, resolved_by = $4, reason = $5,
            adjustment_minor = $6, adjustment_period = $7, adjustment_seq = $8
      where org_id = $1 and id = $2 and state = 'open'`,
    [
      orgId,
      dispute.id,
      at,
      actor.id,
      reason === '' ? null : reason,
      String(amountMinor),
      period,
      String(head.seq),
    ],
  )
  await recordDisputeEvent(db, {
    orgId,
    id: dispute.id,
    actor: actor.id,
    at,
    action: 'accept',
    detail: {
      state: 'accepted',
      amountMinor: String(amountMinor),
      period,
      ledgerSeq: String(head.seq),
      ...(reason === '' ? {} : { reason }),
    },
    before,
  })
  return getDispute(db, orgId, dispute.id)
}

/** The period an accepted dispute's adjustment is booked in (see resolveDispute). */
async function bookingPeriod(
  db: Queryable,
  orgId: string,
  disputed: string,
  stated: string | undefined,
): Promise<string> {
  const of = parsePeriodKey(disputed)
  if (of === null)
    throw new DomainError('dispute.bad_period', `The disputed period "${disputed}" is not a period.`)
  const closed = new Set(
    (
      await db.query<{ key: string }>(
        `select key from periods where org_id = $1 and kind = $2 and status = 'closed'`,
        [orgId, of.kind],
      )
    ).map((p) => p.key),
  )
  if (stated !== undefined) {
    const key = parsePeriodKey(stated)
    if (key === null || key.kind !== of.kind || key.index <= of.index)
      throw new DomainError(
        'dispute.bad_period',
        `Book the adjustment in a ${of.kind} after ${disputed}, not "${stated}": a closed period is never changed.`,
      )
    if (closed.has(stated))
      throw new DomainError(
        'dispute.period_closed',
        `${stated} is closed: book the adjustment in an open period.`,
        {
          period: stated,
        },
      )
    return stated
  }
  for (let index = of.index + 1; index <= of.index + LOOKAHEAD; index++) {
    const key = periodKey(of.kind, index)
    if (!closed.has(key)) return key
  }
  throw new DomainError(
    'dispute.period_closed',
    `No open ${of.kind} after ${disputed} to book the adjustment in.`,
  )
}
