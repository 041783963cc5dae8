import { DomainError } from '../../core/domain-error.ts'
import { appendLedger, type LedgerEntryInput } from '../ledger/ledger.ts'
import type { Queryable } from '../ports/sql.ts'

export type Effect =
  'bonus' | 'forfeit' | 'boost' | 'pto_days' | 'raise' | 'warning' | 'coaching' | 'termination_review'
export const EFFECTS: readonly Effect[] = [
  'bonus',
  'forfeit',
  'boost',
  'pto_days',
  'raise',
  'warning',
  'coaching',
  'termination_review',
]
/** Effects the close carries out itself (ledger lines, boosts): stored applied by 'close'. */
export const MONEY_EFFECTS: readonly Effect[] = ['bonus', 'forfeit', 'boost']

export type OutcomeState = 'due' | 'applied' | 'waived' | 'overdue' | 'void'
export type Role = 'owner' | 'admin' | 'finance' | 'manager' | 'rep'

/** Who acts: a person id (or 'close', 'system') and the role they act with. */
export interface Actor {
  readonly id: string
  readonly role: Role
}

/** One follow-through item: one effect of a rule that fired for a rep in a closed period. */
export interface Outcome {
  id: string
  closeId: string
  period: string
  repId: string
  planId: string | null
  rule: string
  effect: Effect
  /** The effect's value as the calc JSON writes it. */
  detail: unknown
  state: OutcomeState
  /** Local date 'YYYY-MM-DD'. */
  dueOn: string | null
  /** The rep's manager at close time (a rep id); null without one. */
  owner: string | null
  openedAt: string | null
  appliedAt: string | null
  appliedBy: string | null
  appliedNote: string | null
  appliedDetail: unknown
  waiveRequestedBy: string | null
  waiveRequestedAt: string | null
  waiveReason: string | null
  waivedBy: string | null
  waivedAt: string | null
  overdueAt: string | null
  decision: 'separate' | 'retain' | null
  decisionReason: string | null
  decidedBy: string | null
  decidedAt: string | null
  voidedAt: string | null
  voidReason: string | null
}

/** The outcome columns, with dates as text, for `select ${OUTCOME_COLUMNS} from outcomes o`. */
export const OUTCOME_COLUMNS = `o.id, o.close_id, o.period, o.rep_id, o.plan_id, o.rule, o.effect, o.detail, o.state,
  o.due_on::text as due_on, o.owner, o.opened_at, o.applied_at, o.applied_by, o.applied_note, o.applied_detail,
  o.waive_requested_by, o.waive_requested_at, o.waive_reason, o.waived_by, o.waived_at, o.overdue_at,
  o.decision, o.decision_reason, o.decided_by, o.decided_at, o.voided_at, o.void_reason`

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
const instant = (v: unknown): string | null =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString()
      : new Date(String(v)).toISOString()
// The port returns jsonb parsed (a JSON string value comes back as a string).
const json = (v: unknown): unknown => v ?? null

export function rowToOutcome(r: Record<string, unknown>): Outcome {
  return {
    id: String(r.id),
    closeId: String(r.close_id),
    period: String(r.period),
    repId: String(r.rep_id),
    planId: text(r.plan_id),
    rule: String(r.rule),
    effect: String(r.effect) as Effect,
    detail: json(r.detail),
    state: String(r.state) as OutcomeState,
    dueOn: text(r.due_on),
    owner: text(r.owner),
    openedAt: instant(r.opened_at),
    appliedAt: instant(r.applied_at),
    appliedBy: text(r.applied_by),
    appliedNote: text(r.applied_note),
    appliedDetail: json(r.applied_detail),
    waiveRequestedBy: text(r.waive_requested_by),
    waiveRequestedAt: instant(r.waive_requested_at),
    waiveReason: text(r.waive_reason),
    waivedBy: text(r.waived_by),
    waivedAt: instant(r.waived_at),
    overdueAt: instant(r.overdue_at),
    decision: text(r.decision) as Outcome['decision'],
    decisionReason: text(r.decision_reason),
    decidedBy: text(r.decided_by),
    decidedAt: instant(r.decided_at),
    voidedAt: instant(r.voided_at),
    voidReason: text(r.void_reason),
  }
}

/** The outcome of the organization, locked for the transaction; `outcome.not_found` otherwise (another organization's id included). */
export async function getOutcomeForUpdate(tx: Queryable, orgId: string, id: string): Promise<Outcome> {
  const [row] = await tx.query(
    `select ${OUTCOME_COLUMNS} from outcomes o where o.org_id = $1 and o.id = $2 for update`,
    [orgId, id],
  )
  if (row === undefined) throw new DomainError('outcome.not_found', `No outcome ${id}.`, { outcome: id })
  return rowToOutcome(row)
}

/** One change of an outcome: the fields it changed, before and after. */
export interface OutcomeChange {
  readonly outcome: Pick<Outcome, 'id' | 'closeId' | 'period' | 'repId' | 'rule' | 'effect'>
  readonly action: string
  readonly actor: string
  readonly before: Record<string, unknown> | null
  readonly after: Record<string, unknown> | null
}

/**
 * Records changes of outcomes at one instant: an outcome_events row each (next seq of its outcome),
 * an audit_log row (`outcome.<action>`) and a zero-amount ledger entry of kind `outcome` whose ref
 * names the outcome, the action and the event's seq. Batched; inside the caller's transaction.
 */
export async function recordChanges(
  tx: Queryable,
  orgId: string,
  changes: readonly OutcomeChange[],
  at: string,
): Promise<void> {
  if (changes.length === 0) return
  const ids = [...new Set(changes.map((c) => c.outcome.id))]
  const next = new Map<string, number>()
  for (let start = 0; start < ids.length; start += 1000) {
    const batch = ids.slice(start, start + 1000)
    const rows = await tx.query<{ outcome_id: string; seq: number }>(
      `select outcome_id, max(seq)::int as seq from outcome_events
        where org_id = $1 and outcome_id in (${batch.map((_, i) => `$${i + 2}`).join(', ')}) group by outcome_id`,
      [orgId, ...batch],
    )
    for (const r of rows) next.set(r.outcome_id, Number(r.seq))
  }
  const seqs = changes.map((c) => {
    const seq = (next.get(c.outcome.id) ?? 0) + 1
    next.set(c.outcome.id, seq)
    return seq
  })
  const stringify = (v: unknown): string | null => (v === null ? null : JSON.stringify(v))
  await insertRows(
    tx,
    'outcome_events',
    ['org_id', 'outcome_id', 'seq', 'at', 'actor', 'action', 'before', 'after'],
    changes.map((c, i) => [
      orgId,
      c.outcome.id,
      seqs[i],
      at,
      c.actor,
      c.action,
      stringify(c.before),
      stringify(c.after),
    ]),
  )
  await insertRows(
    tx,
    'audit_log',
    ['org_id', 'at', 'actor', 'action', 'subject', 'before', 'after'],
    changes.map((c) => [
      orgId,
      at,
      c.actor,
      `outcome.${c.action}`,
      c.outcome.id,
      stringify(c.before),
      stringify(c.after),
    ]),
  )
  const entries: LedgerEntryInput[] = changes.map((c, i) => ({
    period: c.outcome.period,
    repId: c.outcome.repId,
    kind: 'outcome',
    rule: c.outcome.rule,
    deal: null,
    amountMinor: 0n,
    forfeitedMinor: 0n,
    cappedMinor: 0n,
    // Not the close's own id: exports that list a close's lines by close_id stay money-only.
    closeId: `outcome:${c.outcome.closeId}`,
    ref: {
      outcome: c.outcome.id,
      effect: c.outcome.effect,
      action: c.action,
      seq: seqs[i] ?? 0,
      actor: c.actor,
    },
  }))
  await appendLedger(tx, orgId, entries, at)
}

/** Multi-row inserts in batches (at most 500 rows, well under the 65,535 parameters of one statement). */
export async function insertRows(
  tx: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const params: unknown[] = []
    const values = rows
      .slice(start, start + 500)
      .map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`)
    await tx.query(`insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`, params)
  }
}

/** The fields that differ between two versions of an outcome, as [before, after]. */
export function diffOutcome(a: Outcome, b: Outcome): [Record<string, unknown>, Record<string, unknown>] {
  const before: Record<string, unknown> = {}
  const after: Record<string, unknown> = {}
  for (const key of Object.keys(b) as (keyof Outcome)[]) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) {
      before[key] = a[key]
      after[key] = b[key]
    }
  }
  return [before, after]
}

const column = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const JSON_FIELDS = new Set(['detail', 'appliedDetail'])

/**
 * Changes an outcome's fields (only those in `patch`) and records the change (event, audit,
 * ledger) with the fields that changed, before and after. Returns the outcome after.
 */
export async function changeOutcome(
  tx: Queryable,
  args: {
    orgId: string
    outcome: Outcome
    patch: Partial<Outcome>
    action: string
    actor: string
    at: string
    /** Said with the change but not kept on the item (a rejection's reason), added to the event's `after`. */
    extra?: Record<string, unknown>
  },
): Promise<Outcome> {
  const fields = Object.keys(args.patch) as (keyof Outcome)[]
  const values = fields.map((f) => {
    const v = args.patch[f]
    return JSON_FIELDS.has(f) && v !== null && v !== undefined ? JSON.stringify(v) : v
  })
  await tx.query(
    `update outcomes set ${fields.map((f, i) => `${column(f)} = $${i + 3}`).join(', ')} where org_id = $1 and id = $2`,
    [args.orgId, args.outcome.id, ...values],
  )
  const after: Outcome = { ...args.outcome, ...args.patch }
  const [b, a] = diffOutcome(args.outcome, after)
  await recordChanges(
    tx,
    args.orgId,
    [{ outcome: after, action: args.action, actor: args.actor, before: b, after: { ...a, ...args.extra } }],
    args.at,
  )
  return after
}
