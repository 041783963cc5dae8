import { parseLocalDate } from '../../core/calendar/civil.ts'
import { DomainError } from '../../core/domain-error.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { requireOwner, requireRole } from './access.ts'
import { requireOpen, requireText } from './outcome-checks.ts'
import { type Actor, changeOutcome, getOutcomeForUpdate, type Outcome } from './outcome-record.ts'

/**
 * Records that an item was carried out (`due`/`overdue` → `applied`), with a note and what was done
 * (`detail`, required per effect: see `checkAppliedDetail`). Owners, admins, and the manager who owns it.
 */
export async function applyOutcome(
  db: Database,
  args: {
    orgId: string
    actor: Actor
    now: Date
    id: string
    note: string
    detail?: Record<string, unknown>
  },
): Promise<Outcome> {
  return db.transaction(async (tx) => {
    const o = await getOutcomeForUpdate(tx, args.orgId, args.id)
    requireRole(args.actor, ['owner', 'admin', 'manager'], 'apply an outcome')
    requireOpen(o)
    if (o.effect === 'termination_review') {
      throw new DomainError(
        'outcome.conflict_use_decide',
        'A termination review is decided (separate or retain), not applied.',
        {
          outcome: o.id,
        },
      )
    }
    await requireOwner(tx, args.orgId, args.actor, o.owner)
    if (o.waiveRequestedAt !== null) {
      throw new DomainError(
        'outcome.conflict_waiver_pending',
        `A waiver of ${o.id} is awaiting approval; approve or reject it first.`,
        {
          outcome: o.id,
        },
      )
    }
    const note = requireText(args.note, 'outcome.note_required', 'A note of what was done')
    const detail = await checkAppliedDetail(tx, args.orgId, o, args.detail ?? {})
    return changeOutcome(tx, {
      orgId: args.orgId,
      outcome: o,
      patch: {
        state: 'applied',
        appliedAt: args.now.toISOString(),
        appliedBy: args.actor.id,
        appliedNote: note,
        appliedDetail: detail,
      },
      action: 'apply',
      actor: args.actor.id,
      at: args.now.toISOString(),
    })
  })
}

const isDate = (v: unknown): v is string => typeof v === 'string' && parseLocalDate(v) !== null

/**
 * What must be said of what was done, per effect (refused with `outcome.detail_required`):
 * - pto_days: `days` granted (a positive number) and `exported` (where the grant went: payroll/HR reference);
 * - warning: `delivered_on` (date) and either `acknowledged_on` (date the rep acknowledged) or `refused: true`;
 * - raise: `effective_on` (date) and `raise` (the factor granted, e.g. "0.03");
 * - coaching: at least one training item or check-in scheduled on the rep's coaching plan.
 */
export async function checkAppliedDetail(
  tx: Queryable,
  orgId: string,
  o: Outcome,
  detail: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const missing = (what: string): never => {
    throw new DomainError('outcome.detail_required', `To apply a ${o.effect}, say ${what}.`, {
      outcome: o.id,
      effect: o.effect,
    })
  }
  switch (o.effect) {
    case 'pto_days':
      if (typeof detail.days !== 'number' || !(detail.days > 0)) missing('the PTO days granted ({"days": N})')
      if (typeof detail.exported !== 'string' || detail.exported.trim() === '')
        missing('where the PTO grant was exported ({"exported": "HR system ref"})')
      return detail
    case 'warning':
      if (!isDate(detail.delivered_on))
        missing('when the warning letter was delivered ({"delivered_on": "YYYY-MM-DD"})')
      if (!isDate(detail.acknowledged_on) && detail.refused !== true)
        missing('when the rep acknowledged it ({"acknowledged_on": "YYYY-MM-DD"}), or {"refused": true}')
      return detail
    case 'raise':
      if (!isDate(detail.effective_on))
        missing('when the raise takes effect ({"effective_on": "YYYY-MM-DD"})')
      if (typeof detail.raise !== 'string' || detail.raise.trim() === '')
        missing('the raise granted ({"raise": "0.03"})')
      return detail
    case 'coaching': {
      const [row] = await tx.query<{ n: number }>(
        `select count(*)::int as n from coaching_items i join coaching_plans c
            on c.org_id = i.org_id and c.id = i.coaching_plan_id
          where c.org_id = $1 and c.outcome_id = $2`,
        [orgId, o.id],
      )
      if ((row?.n ?? 0) === 0)
        missing('the training items and check-ins first (followthrough coaching schedule)')
      return { ...detail, items: row?.n ?? 0 }
    }
    default:
      return detail
  }
}
