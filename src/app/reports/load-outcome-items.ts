import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodEnd } from '../../core/calendar/period.ts'
import type { OutcomeItem, OutcomeState } from '../../core/followthrough/outcome-item.ts'
import type { Queryable } from '../ports/sql.ts'
import { localDateOf, orgTimeZone } from './report-context.ts'

/** An outcome item with what the reports show besides the figures. */
export interface LoadedOutcome extends OutcomeItem {
  readonly repName: string
  readonly waiveReason: string | null
  /** Who approved the waiver, for people: their name (or email; the id when not a person). */
  readonly waivedBy: string | null
}

interface OutcomeRow {
  id: string
  period: string
  rep_id: string
  rule: string
  effect: string | null
  effects: unknown
  detail: unknown
  state: string
  due_on: string | null
  owner: string | null
  applied_at: unknown
  waived_at: unknown
  opened_at: unknown
  closed_at: unknown
  waive_reason: string | null
  waived_by: string | null
  team: string | null
  manager: string | null
  rep_name: string | null
  lines: unknown
}

const json = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v)

/**
 * Every outcome item of the organization (void ones left out) with its rep's team and manager (the
 * owner when set), dates as local dates in the organization's time zone, and money: a bonus
 * stated (its amount) against the bonus booked in the ledger; a forfeit stated (what the close's
 * result recorded as forfeited on the lines it names) against what the ledger still holds as
 * forfeited, after any reversal.
 */
export async function loadOutcomeItems(db: Queryable, orgId: string): Promise<LoadedOutcome[]> {
  const zone = await orgTimeZone(db, orgId)
  const rows = await db.query<OutcomeRow>(
    `select o.id, o.period, o.rep_id, o.rule, o.effect, o.effects, o.detail, o.state, o.due_on::text as due_on,
            o.owner, o.applied_at, o.waived_at, o.opened_at, c.finished_at as closed_at, o.waive_reason,
            coalesce(nullif(w.name, ''), w.email, o.waived_by) as waived_by,
            r.team, r.manager, r.name as rep_name, res.result -> 'lines' as lines
       from outcomes o
       left join reps r on r.org_id = o.org_id and r.id = o.rep_id
       left join people w on w.org_id = o.org_id and w.id = o.waived_by
       left join close_runs c on c.org_id = o.org_id and c.id = o.close_id
       left join results res on res.org_id = o.org_id and res.close_id = o.close_id and res.rep_id = o.rep_id
      where o.org_id = $1 and o.state <> 'void'
      order by o.period, o.rep_id, o.rule, o.id`,
    [orgId],
  )
  const ledger = new Map<string, { amount: bigint; forfeited: bigint }>()
  for (const e of await db.query<{
    period: string
    rep_id: string
    rule: string
    kind: string
    amount: string
    forfeited: string
  }>(
    `select period, rep_id, rule, case when kind = 'reversal' then ref ->> 'kind' else kind end as kind,
            sum(amount_minor)::text as amount, sum(forfeited_minor)::text as forfeited
       from ledger_entries where org_id = $1 and rule is not null
      group by 1, 2, 3, 4`,
    [orgId],
  )) {
    ledger.set(`${e.period}\u0000${e.rep_id}\u0000${e.rule}\u0000${e.kind}`, {
      amount: BigInt(e.amount),
      forfeited: BigInt(e.forfeited),
    })
  }
  const booked = (period: string, rep: string, rule: string, kind: string) =>
    ledger.get(`${period}\u0000${rep}\u0000${rule}\u0000${kind}`) ?? { amount: 0n, forfeited: 0n }

  return rows.map((row): LoadedOutcome => {
    const effectsJson = (json(row.effects) ?? {}) as Record<string, unknown>
    const effects = row.effect !== null ? [row.effect] : Object.keys(effectsJson)
    const key = parsePeriodKey(row.period)
    let stated = 0n
    let applied = 0n
    if (effects.includes('bonus')) {
      const amount = row.effect === 'bonus' ? json(row.detail) : effectsJson.bonus
      stated += typeof amount === 'number' ? BigInt(amount) : 0n
      applied += booked(row.period, row.rep_id, row.rule, 'bonus').amount
    }
    if (effects.includes('forfeit')) {
      const ids = (row.effect === 'forfeit' ? json(row.detail) : effectsJson.forfeit) as
        string[] | 'all' | undefined
      const lines = (json(row.lines) ?? []) as { kind: string; rule?: string; forfeited: number }[]
      for (const line of lines) {
        if (line.rule === undefined || !['commission', 'spiff', 'bonus'].includes(line.kind)) continue
        if (ids !== 'all' && !(ids ?? []).includes(line.rule)) continue
        stated += BigInt(line.forfeited)
        applied += booked(row.period, row.rep_id, line.rule, line.kind).forfeited
      }
    }
    const appliedOn =
      row.state === 'applied'
        ? (localDateOf(row.applied_at, zone) ??
          localDateOf(row.opened_at, zone) ??
          localDateOf(row.closed_at, zone))
        : null
    return {
      id: row.id,
      period: row.period,
      periodEnd: key === null ? row.period : formatLocalDate(periodEnd(key.kind, key.index)),
      rep: row.rep_id,
      repName: row.rep_name ?? '',
      manager: row.owner ?? row.manager ?? null,
      team: row.team ?? '',
      rule: row.rule,
      effects,
      state: (['due', 'applied', 'waived', 'overdue'].includes(row.state)
        ? row.state
        : 'due') as OutcomeState,
      dueOn: row.due_on,
      appliedOn,
      waivedOn: row.state === 'waived' ? localDateOf(row.waived_at, zone) : null,
      moneyStatedMinor: stated,
      moneyAppliedMinor: applied,
      waiveReason: row.waive_reason,
      waivedBy: row.waived_by,
    }
  })
}
