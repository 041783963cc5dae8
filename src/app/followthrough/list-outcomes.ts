import type { Queryable } from '../ports/sql.ts'
import { repOfPerson } from './access.ts'
import {
  type Actor,
  OUTCOME_COLUMNS,
  type Outcome,
  type OutcomeState,
  rowToOutcome,
} from './outcome-record.ts'

export interface OutcomeFilter {
  readonly state?: OutcomeState
  readonly period?: string
  /** The owner's rep id (the rep's manager at close time). */
  readonly owner?: string
  readonly rep?: string
  /** Only items past due (state overdue). */
  readonly overdue?: boolean
}

/**
 * The follow-through items of the organization, by due date, period, rep: every item for owners,
 * admins, finance and managers; a rep sees only their own.
 */
export async function listOutcomes(
  db: Queryable,
  args: { orgId: string; actor: Actor; now: Date } & OutcomeFilter,
): Promise<Outcome[]> {
  const where = ['o.org_id = $1', 'o.effect is not null']
  const params: unknown[] = [args.orgId]
  const add = (sql: string, value: unknown) => {
    params.push(value)
    where.push(sql.replace('?', `$${params.length}`))
  }
  if (args.actor.role === 'rep') add('o.rep_id = ?', (await repOfPerson(db, args.orgId, args.actor.id)) ?? '')
  if (args.state !== undefined) add('o.state = ?', args.state)
  if (args.overdue === true) add('o.state = ?', 'overdue')
  if (args.period !== undefined) add('o.period = ?', args.period)
  if (args.owner !== undefined) add('o.owner = ?', args.owner)
  if (args.rep !== undefined) add('o.rep_id = ?', args.rep)
  const rows = await db.query(
    `select ${OUTCOME_COLUMNS} from outcomes o where ${where.join(' and ')}
      order by o.due_on nulls last, o.period, o.rep_id, o.rule, o.effect, o.id`,
    params,
  )
  return rows.map(rowToOutcome)
}

/** An item's events in order (its history), for people and for tests. */
export async function listOutcomeEvents(
  db: Queryable,
  args: { orgId: string; id: string },
): Promise<{ seq: number; at: string; actor: string; action: string; before: unknown; after: unknown }[]> {
  const rows = await db.query<Record<string, unknown>>(
    'select seq, at, actor, action, before, after from outcome_events where org_id = $1 and outcome_id = $2 order by seq',
    [args.orgId, args.id],
  )
  const json = (v: unknown): unknown => v ?? null
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
    actor: String(r.actor),
    action: String(r.action),
    before: json(r.before),
    after: json(r.after),
  }))
}
