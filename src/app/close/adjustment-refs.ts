import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodEnd, periodStart } from '../../core/calendar/period.ts'
import type { Queryable } from '../ports/sql.ts'
import type { RecordedCloses } from './compute-close.ts'

/** Payouts in minor units, by rep, then by period key. */
export type PeriodPayouts = Map<string, Map<string, bigint>>

/** At most this many deal ids per list in a reference; the count says how many there were. */
const DEALS_LISTED = 100

interface DealChanges {
  added: Set<string>
  changed: Set<string>
  removed: Set<string>
}

/**
 * What each prior-period adjustment refers to: per closed period whose recomputed payout differs
 * from the one stored at its close, the close, the payout then and now (minor units, as text) and
 * the deals credited to the rep in that period that were added, changed or removed since that
 * close (from the deals' `updated_at` and `deal_history`). A deal with a history row after the
 * close counts as changed (or removed, when it no longer credits the rep in that period); one
 * stored or updated after the close without such a row, as added.
 */
export async function adjustmentRefs(
  tx: Queryable,
  orgId: string,
  differences: ReadonlyMap<string, { owed: bigint; booked: bigint }>,
  truth: PeriodPayouts,
  recorded: RecordedCloses,
): Promise<Map<string, Record<string, unknown>>> {
  const reps = [...differences.keys()]
  const closeIds = [...recorded.values()].map((c) => c.closeId)
  const stored: PeriodPayouts = new Map()
  for (const row of await tx.query<{ rep_id: string; period: string; payout: string }>(
    `select rep_id, period, sum(payout_minor)::text as payout from results
      where org_id = $1 and close_id = any($2::text[]) and rep_id = any($3::text[]) group by rep_id, period`,
    [orgId, closeIds, reps],
  )) {
    const perRep = stored.get(row.rep_id) ?? new Map<string, bigint>()
    perRep.set(row.period, BigInt(row.payout))
    stored.set(row.rep_id, perRep)
  }
  const affected = new Map<string, string[]>()
  for (const rep of reps) {
    const periods = new Set([...(truth.get(rep)?.keys() ?? []), ...(stored.get(rep)?.keys() ?? [])])
    affected.set(
      rep,
      [...periods].filter((p) => (truth.get(rep)?.get(p) ?? 0n) !== (stored.get(rep)?.get(p) ?? 0n)).sort(),
    )
  }
  const changes = new Map<string, Map<string, DealChanges>>()
  for (const period of new Set([...affected.values()].flat())) {
    const close = recorded.get(period)
    if (close !== undefined) changes.set(period, await dealChanges(tx, orgId, period, close.closedAt, reps))
  }
  const refs = new Map<string, Record<string, unknown>>()
  for (const [rep, d] of differences) {
    refs.set(rep, {
      reason: 'late data in closed periods',
      owedMinor: String(d.owed),
      bookedMinor: String(d.booked),
      periods: (affected.get(rep) ?? []).map((period) => {
        const close = recorded.get(period)
        const deals = changes.get(period)?.get(rep)
        return {
          period,
          closeId: close?.closeId ?? null,
          closedAt: close?.closedAt ?? null,
          beforeMinor: String(stored.get(rep)?.get(period) ?? 0n),
          afterMinor: String(truth.get(rep)?.get(period) ?? 0n),
          ...listed('added', deals?.added),
          ...listed('changed', deals?.changed),
          ...listed('removed', deals?.removed),
        }
      }),
    })
  }
  return refs
}

function listed(name: string, ids: Set<string> | undefined): Record<string, unknown> {
  const sorted = [...(ids ?? [])].sort()
  return sorted.length > DEALS_LISTED
    ? { [name]: sorted.slice(0, DEALS_LISTED), [`${name}Count`]: sorted.length }
    : { [name]: sorted }
}

/** Deals of a period (by the date they were written with) added, changed or removed per rep since `since`. */
async function dealChanges(
  tx: Queryable,
  orgId: string,
  period: string,
  since: string,
  reps: readonly string[],
): Promise<Map<string, DealChanges>> {
  const key = parsePeriodKey(period)
  if (key === null) return new Map()
  const from = formatLocalDate(periodStart(key.kind, key.index))
  const until = formatLocalDate(periodEnd(key.kind, key.index) + 1)
  const inPeriod = (closedOn: unknown) =>
    typeof closedOn === 'string' && closedOn.slice(0, 10) >= from && closedOn.slice(0, 10) < until
  const wanted = new Set(reps)
  const out = new Map<string, DealChanges>()
  const of = (rep: string): DealChanges => {
    let c = out.get(rep)
    if (c === undefined) {
      c = { added: new Set(), changed: new Set(), removed: new Set() }
      out.set(rep, c)
    }
    return c
  }
  const history = await tx.query<{ deal_id: string; before: unknown; after: unknown }>(
    `select deal_id, before, after from deal_history
      where org_id = $1 and changed_at > $2
        and ((before ->> 'closed_on') >= $3 and (before ->> 'closed_on') < $4
          or (after ->> 'closed_on') >= $3 and (after ->> 'closed_on') < $4)
      order by changed_at`,
    [orgId, since, from, until],
  )
  const seen = new Set<string>()
  for (const row of history) {
    seen.add(row.deal_id)
    const before = json(row.before)
    const after = json(row.after)
    const was = inPeriod(before?.closed_on) ? creditedReps(before?.rep) : []
    const is = inPeriod(after?.closed_on) ? creditedReps(after?.rep) : []
    for (const rep of is) if (wanted.has(rep)) of(rep).changed.add(row.deal_id)
    for (const rep of was) if (wanted.has(rep) && !is.includes(rep)) of(rep).removed.add(row.deal_id)
  }
  for (const row of await tx.query<{ id: string; rep_id: string }>(
    `select d.id, c.rep_id from deals d join deal_credits c on c.org_id = d.org_id and c.deal_id = d.id
      where d.org_id = $1 and d.updated_at > $2 and d.closed_on >= $3 and d.closed_on < $4
        and c.rep_id = any($5::text[])`,
    [orgId, since, from, until, reps],
  )) {
    const c = of(row.rep_id)
    if (!seen.has(row.id) && !c.removed.has(row.id)) c.added.add(row.id)
  }
  return out
}

function json(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null
  return (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>
}

/** Rep ids of a deal's credits as stored in history ("r1:60;r2:40"). */
function creditedReps(credits: unknown): string[] {
  if (typeof credits !== 'string' || credits === '') return []
  return credits.split(';').map((part) => part.split(':')[0] ?? '')
}
