import { randomUUID } from 'node:crypto'
import { parsePeriodKey } from '../../core/calendar/period.ts'
import { appendLedger, rowToEntry } from '../ledger/ledger.ts'
import type { Database } from '../ports/sql.ts'
import { CloseError } from './close-period.ts'

/**
 * Reopens a closed period: every ledger entry of the period (but the adjustments of accepted
 * disputes, which are decisions, not computed) is reversed by a new entry (nothing is
 * deleted), the period is open again, and the reason is in the audit log. A later closed period
 * of the same kind must be reopened first.
 */
export async function reopenPeriod(
  db: Database,
  args: { orgId: string; period: string; reason: string; actor: string; now: Date },
): Promise<{ reversed: number; head: { seq: bigint; hash: string } }> {
  const key = parsePeriodKey(args.period)
  if (key === null)
    throw new CloseError('close.bad_period', `"${args.period}" is not a period (2026-01, 2026-Q1 or 2026).`)
  if (args.reason.trim() === '')
    throw new CloseError('close.bad_period', 'A reopen needs a reason (--reason).')
  return db.transaction(async (tx) => {
    const periods = await tx.query<{ key: string; status: string }>(
      'select key, status from periods where org_id = $1 and kind = $2 order by key',
      [args.orgId, key.kind],
    )
    if (!periods.some((p) => p.key === args.period && p.status === 'closed')) {
      throw new CloseError('close.bad_period', `${args.period} is not closed.`)
    }
    const later = periods.filter((p) => p.status === 'closed' && p.key > args.period).map((p) => p.key)
    if (later.length > 0) {
      throw new CloseError(
        'close.out_of_order',
        `Reopen ${later.join(', ')} first: they were closed after ${args.period}.`,
      )
    }
    // Money only: outcome entries record follow-through (zero amounts) and dispute adjustments are
    // kept by the next close; neither is reversed.
    const rows = await tx.query<Record<string, unknown>>(
      `select * from ledger_entries e where org_id = $1 and period = $2
          and kind not in ('reversal', 'outcome') and close_id not like 'dispute:%'
          and not exists (select 1 from ledger_entries r where r.org_id = e.org_id and r.kind = 'reversal'
                           and r.ref ->> 'reverses' = e.seq::text)
        order by seq`,
      [args.orgId, args.period],
    )
    const closeId = randomUUID()
    const at = args.now.toISOString()
    const entries = rows.map((row) => {
      const e = rowToEntry(row)
      return {
        period: e.period,
        repId: e.repId,
        kind: 'reversal',
        rule: e.rule,
        deal: e.deal,
        amountMinor: -e.amountMinor,
        forfeitedMinor: -e.forfeitedMinor,
        cappedMinor: -e.cappedMinor,
        closeId,
        ref: { reverses: String(e.seq), kind: e.kind, reason: args.reason },
      }
    })
    const head = await appendLedger(tx, args.orgId, entries, at)
    await tx.query(
      `insert into close_runs (org_id, id, period, started_at, finished_at, status, dry_run, snapshot)
       values ($1, $2, $3, $4, $4, 'reopened', false, null)`,
      [args.orgId, closeId, args.period, at],
    )
    await tx.query(
      'insert into ledger_heads (org_id, close_id, seq, hash, created_at) values ($1, $2, $3, $4, $5)',
      [args.orgId, closeId, head.seq, head.hash, at],
    )
    await tx.query(`update periods set status = 'open' where org_id = $1 and key = $2`, [
      args.orgId,
      args.period,
    ])
    await tx.query(
      `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'period.reopen', $4, $5, $6)`,
      [
        args.orgId,
        at,
        args.actor,
        args.period,
        JSON.stringify({ status: 'closed' }),
        JSON.stringify({ status: 'open', reason: args.reason, reversed: entries.length }),
      ],
    )
    return { reversed: entries.length, head }
  })
}
