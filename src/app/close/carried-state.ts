import { createHash } from 'node:crypto'
import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import { type PeriodKind, periodEnd, periodKey, periodStart } from '../../core/calendar/period.ts'
import type { CarriedState } from '../../core/engine/state.ts'
import type { Records } from '../../core/records/records.ts'
import type { Queryable } from '../ports/sql.ts'

/**
 * What a close stores for the next close of its period kind (table close_states, ADR 0009): per
 * plan the engine's state at the end of the closed period, and per close (plan_id '') what every
 * closed period owes per rep as computed and the fingerprint of the data the closed periods were
 * computed from.
 */
export interface CloseCarry {
  readonly plans: readonly {
    readonly planId: string
    readonly version: number
    readonly state: CarriedState
  }[]
  readonly close: CloseSummary
}

export interface CloseSummary {
  /** 'carried' (computed from the previous close's state) or 'full' (recomputed from the first closed period). */
  readonly path: 'carried' | 'full'
  /** Per rep: what the closed periods (this one included) owe, by the engine, minor units as text. */
  readonly owedMinor: Readonly<Record<string, string>>
  /** Of the data of the closed periods, this one included. */
  readonly fingerprint: Fingerprint
}

/** Counts and sums of row hashes of whatever can change what a closed period computes. */
export type Fingerprint = Readonly<Record<string, string>>

/** The state stored with a close, or null when it has none (closed before 0010, or a dry run). */
export async function loadCarry(tx: Queryable, orgId: string, closeId: string): Promise<CloseCarry | null> {
  const rows = await tx.query<{ plan_id: string; plan_version: number; state: unknown }>(
    'select plan_id, plan_version, state from close_states where org_id = $1 and close_id = $2',
    [orgId, closeId],
  )
  const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v)
  let close: CloseSummary | null = null
  const plans: CloseCarry['plans'][number][] = []
  for (const row of rows) {
    if (row.plan_id === '') close = parse(row.state) as CloseSummary
    else
      plans.push({
        planId: row.plan_id,
        version: Number(row.plan_version),
        state: parse(row.state) as CarriedState,
      })
  }
  return close === null ? null : { plans, close }
}

/** Stores a close's carried state, in its transaction. */
export async function storeCarry(
  tx: Queryable,
  orgId: string,
  closeId: string,
  carry: CloseCarry,
): Promise<void> {
  const rows = [
    ...carry.plans.map((p) => [p.planId, p.version, JSON.stringify(p.state)] as const),
    ['', 0, JSON.stringify(carry.close)] as const,
  ]
  await tx.query(
    `insert into close_states (org_id, close_id, plan_id, plan_version, state)
     select $1, $2, u.plan_id, u.version, u.state
       from unnest($3::text[], $4::int[], $5::jsonb[]) as u(plan_id, version, state)`,
    [orgId, closeId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  )
}

/**
 * The fingerprints of the data of two runs of closed periods, both from the first closed period
 * `first`: through `index - 1` (`before`: what the previous close stored, if nothing changed) and
 * through `index` (`after`: what this close stores). In one scan per table.
 *
 * A row counts in a range when its date (closed_on, occurred_on) falls in it: a date exactly,
 * a date-time within a day (it is placed in its period in the plan's time zone, which can move it
 * by a day). A deal's cancellation counts as written when it can fall in or before the range, and
 * as none otherwise: a deal cancelled after the closed periods changes none of them (its clawback
 * falls in a later period). Reps count
 * when hired by the end of the range (a rep hired later is employed in none of its periods), with
 * their plan assignments (and, by `withPlans`, the plan each is on in the run). Taken before the
 * records are read (statements of a transaction may see newer data than the one before): data
 * stored in between makes the next close's check fail (the full path), never pass wrongly.
 */
export async function fingerprints(
  tx: Queryable,
  orgId: string,
  kind: PeriodKind,
  first: number,
  index: number,
  activities: boolean,
): Promise<{ before: Record<string, string>; after: Record<string, string> }> {
  const day = (d: number) => formatLocalDate(d)
  const a = periodStart(kind, first)
  const endBefore = periodStart(kind, index) - 1
  const endAfter = periodEnd(kind, index)
  // $2 first day, $3 day before it; $4/$5 the day after / two days after the end before; $6/$7 after.
  const params = [
    orgId,
    day(a),
    day(a - 1),
    day(endBefore + 1),
    day(endBefore + 2),
    day(endAfter + 1),
    day(endAfter + 2),
  ]
  const inRange = (col: string, exact: string, slack: string) =>
    `(case when length(${col}) = 10 then ${col} >= $2 and ${col} < ${exact} else ${col} >= $3 and ${col} < ${slack} end)`
  const cancel = (exact: string, slack: string) =>
    `case when d.cancelled_on is null then '-'
          when (length(d.cancelled_on) = 10 and d.cancelled_on < ${exact}) or (length(d.cancelled_on) <> 10 and d.cancelled_on < ${slack})
          then d.cancelled_on else '-' end`
  const hash = (text: string) => `hashtextextended(${text}, 0)::numeric`
  const pair = (n: unknown, h: unknown) => `${String(n)}:${String(h ?? 0)}`
  const out = { before: {} as Record<string, string>, after: {} as Record<string, string> }

  const [deals] = await tx.query<Record<string, unknown>>(
    `with x as (
       select ${inRange('d.closed_on', '$4', '$5')} as inner_,
              concat_ws('|', d.id, d.closed_on, d.amount_minor, d.mrr_minor, d.type, d.customer,
                        coalesce(d.term_months::text, '-'), d.fields::text) as body,
              ${cancel('$4', '$5')} as cancel_before, ${cancel('$6', '$7')} as cancel_after
         from deals d
        where d.org_id = $1 and d.closed_on >= $3 and d.closed_on < $7 and ${inRange('d.closed_on', '$6', '$7')})
     select count(*) filter (where inner_) as n0, sum(${hash("body || '|' || cancel_before")}) filter (where inner_) as h0,
            count(*) as n1, sum(${hash("body || '|' || cancel_after")}) as h1
       from x`,
    params,
  )
  out.before.deals = pair(deals?.n0, deals?.h0)
  out.after.deals = pair(deals?.n1, deals?.h1)

  // The credits of those deals: joined for the deals in the range when they are the smaller part
  // of the organization's deals (by the dates they span), else all credits less those of the deals
  // outside it (a join costs more than a scan). The two agree unless a credit has no deal.
  const credit = hash("concat_ws('|', c.deal_id, c.rep_id, c.share_micro)")
  const [span] = await tx.query<{ lo: string | null; hi: string | null }>(
    'select min(closed_on) as lo, max(closed_on) as hi from deals where org_id = $1',
    [orgId],
  )
  const lo = span?.lo === null || span?.lo === undefined ? null : parseLocalDate(span.lo.slice(0, 10))
  const hi = span?.hi === null || span?.hi === undefined ? null : parseLocalDate(span.hi.slice(0, 10))
  const inside = lo === null || hi === null ? 0 : Math.min(endAfter, hi) - Math.max(a, lo) + 1
  const whole = lo === null || hi === null ? 1 : hi - lo + 1
  const [credits] =
    inside * 2 <= whole
      ? await tx.query<Record<string, unknown>>(
          `select count(*) filter (where ${inRange('d.closed_on', '$4', '$5')}) as n0,
                  sum(${credit}) filter (where ${inRange('d.closed_on', '$4', '$5')}) as h0,
                  count(*) as n1, sum(${credit}) as h1
             from deals d join deal_credits c on c.org_id = d.org_id and c.deal_id = d.id
            where d.org_id = $1 and d.closed_on >= $3 and d.closed_on < $7 and ${inRange('d.closed_on', '$6', '$7')}`,
          params,
        )
      : await tx.query<Record<string, unknown>>(
          `with every as (select count(*) as n, coalesce(sum(${credit}), 0) as h from deal_credits c where c.org_id = $1),
                outside as (
                  select count(*) as n0, coalesce(sum(${credit}), 0) as h0,
                         count(*) filter (where not ${inRange('d.closed_on', '$6', '$7')}) as n1,
                         coalesce(sum(${credit}) filter (where not ${inRange('d.closed_on', '$6', '$7')}), 0) as h1
                    from deals d join deal_credits c on c.org_id = d.org_id and c.deal_id = d.id
                   where d.org_id = $1 and (d.closed_on < $2 or d.closed_on >= $4)
                     and not ${inRange('d.closed_on', '$4', '$5')})
           select every.n - outside.n0 as n0, every.h - outside.h0 as h0,
                  every.n - outside.n1 as n1, every.h - outside.h1 as h1
             from every, outside`,
          params,
        )
  out.before.credits = pair(credits?.n0, credits?.h0)
  out.after.credits = pair(credits?.n1, credits?.h1)

  if (activities) {
    const [acts] = await tx.query<Record<string, unknown>>(
      `with x as (
         select ${inRange('a.occurred_on', '$4', '$5')} as inner_,
                ${hash("concat_ws('|', a.id, a.rep_id, a.kind, a.occurred_on, a.fields::text)")} as h
           from activities a
          where a.org_id = $1 and a.occurred_on >= $3 and a.occurred_on < $7 and ${inRange('a.occurred_on', '$6', '$7')})
       select count(*) filter (where inner_) as n0, sum(h) filter (where inner_) as h0, count(*) as n1, sum(h) as h1 from x`,
      params,
    )
    out.before.activities = pair(acts?.n0, acts?.h0)
    out.after.activities = pair(acts?.n1, acts?.h1)
  }

  const keysBefore: string[] = []
  for (let p = first; p < index; p++) keysBefore.push(periodKey(kind, p))
  const [quotas] = await tx.query<Record<string, unknown>>(
    `select count(*) filter (where period = any($2::text[])) as n0,
            sum(${hash("concat_ws('|', rep_id, period, metric, amount::text)")}) filter (where period = any($2::text[])) as h0,
            count(*) as n1, sum(${hash("concat_ws('|', rep_id, period, metric, amount::text)")}) as h1
       from quotas where org_id = $1 and period = any($3::text[])`,
    [orgId, keysBefore, [...keysBefore, periodKey(kind, index)]],
  )
  out.before.quotas = pair(quotas?.n0, quotas?.h0)
  out.after.quotas = pair(quotas?.n1, quotas?.h1)

  // $2: the end of the range before, $3 after (hired by then).
  const ends = [orgId, day(endBefore), day(endAfter)]
  const repBody = `concat_ws('|', r.id, r.name, r.email, r.team, coalesce(r.manager, '-'), coalesce(r.plan, '-'),
                             coalesce(r.hired_on::text, '-'), coalesce(r.left_on::text, '-'), r.fields::text)`
  const [reps] = await tx.query<Record<string, unknown>>(
    `select count(*) filter (where r.hired_on is null or r.hired_on <= $2::date) as n0,
            sum(${hash(repBody)}) filter (where r.hired_on is null or r.hired_on <= $2::date) as h0,
            count(*) as n1, sum(${hash(repBody)}) as h1
       from reps r where r.org_id = $1 and (r.hired_on is null or r.hired_on <= $3::date)`,
    ends,
  )
  out.before.reps = pair(reps?.n0, reps?.h0)
  out.after.reps = pair(reps?.n1, reps?.h1)
  const assignmentBody = `concat_ws('|', a.rep_id, a.plan_id, a.valid_from::text, coalesce(a.valid_to::text, '-'))`
  const [assignments] = await tx.query<Record<string, unknown>>(
    `select count(*) filter (where r.hired_on is null or r.hired_on <= $2::date) as n0,
            sum(${hash(assignmentBody)}) filter (where r.hired_on is null or r.hired_on <= $2::date) as h0,
            count(*) as n1, sum(${hash(assignmentBody)}) as h1
       from plan_assignments a join reps r on r.org_id = a.org_id and r.id = a.rep_id
      where a.org_id = $1 and (r.hired_on is null or r.hired_on <= $3::date)`,
    ends,
  )
  out.before.assignments = pair(assignments?.n0, assignments?.h0)
  out.after.assignments = pair(assignments?.n1, assignments?.h1)

  return out
}

/**
 * Adds to fingerprints (of `fingerprints`) the plan each rep is on in the run's records
 * (assignments resolve on the last day of the run), for the reps hired by the end of each range.
 */
export function withPlans(
  prints: { before: Record<string, string>; after: Record<string, string> },
  records: Records,
  kind: PeriodKind,
  index: number,
): { before: Fingerprint; after: Fingerprint } {
  return {
    before: { ...prints.before, plans: planOfReps(records, periodStart(kind, index) - 1) },
    after: { ...prints.after, plans: planOfReps(records, periodEnd(kind, index)) },
  }
}

function planOfReps(records: Records, hiredBy: number): string {
  const h = createHash('sha256')
  for (const rep of records.reps) {
    if (rep.hiredOn !== null && rep.hiredOn > hiredBy) continue
    h.update(`${rep.id}\t${rep.plan ?? ''}\n`)
  }
  return h.digest('hex')
}

/** Whether two fingerprints are of the same data (but for the entries named in `except`). */
export function sameData(stored: Fingerprint, now: Fingerprint, except: readonly string[] = []): boolean {
  const keys = new Set([...Object.keys(stored), ...Object.keys(now)])
  for (const k of keys) if (!except.includes(k) && stored[k] !== now[k]) return false
  return true
}
