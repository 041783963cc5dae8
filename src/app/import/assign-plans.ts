import type { Queryable } from '../ports/sql.ts'
import type { StoredRow } from './stored-rows.ts'

export interface AssignContext {
  readonly orgId: string
  readonly actor: string
  /** The instant of the import (ISO 8601). */
  readonly at: string
  /** The import's date in the organization's time zone ('YYYY-MM-DD'). */
  readonly today: string
  readonly importId: string
  /** Plans published in the organization: reps are assigned only to these. */
  readonly published: ReadonlySet<string>
}

interface Assignment {
  rep_id: string
  plan_id: string
  valid_from: string
  valid_to: string | null
}

/**
 * Puts each imported rep on the plan its `plan` column names, unless the rep's open assignment is
 * already to that plan: a rep never assigned starts on `hired_on` (the import date when absent);
 * a rep moving from another plan starts on the import date (its hiring date when later), the open
 * assignment then ending the day before, or, when it starts that day or later, being replaced.
 * Each assignment is in the audit log. Returns how many reps were assigned.
 */
export async function assignPlans(
  tx: Queryable,
  ctx: AssignContext,
  reps: readonly StoredRow[],
): Promise<number> {
  const wanted = reps.filter((r) => r.values.plan != null && ctx.published.has(r.values.plan))
  if (wanted.length === 0) return 0
  const held = new Map<string, Assignment[]>()
  for (const a of await tx.query<Assignment>(
    `select rep_id, plan_id, valid_from::text as valid_from, valid_to::text as valid_to
       from plan_assignments where org_id = $1 and rep_id = any($2::text[])`,
    [ctx.orgId, wanted.map((r) => r.key[0] ?? '')],
  )) {
    held.set(a.rep_id, [...(held.get(a.rep_id) ?? []), a])
  }

  const ends: { rep: string; to: string }[] = []
  const starts: { rep: string; plan: string; from: string; before: Assignment | null }[] = []
  for (const row of wanted) {
    const rep = row.key[0] ?? ''
    const plan = row.values.plan as string
    const hiredOn = row.values.hired_on ?? null
    const history = held.get(rep) ?? []
    const open = history.find((a) => a.valid_to === null) ?? null
    if (open?.plan_id === plan) continue
    if (history.length === 0) {
      starts.push({ rep, plan, from: hiredOn ?? ctx.today, before: null })
      continue
    }
    const from = hiredOn !== null && hiredOn > ctx.today ? hiredOn : ctx.today
    if (open !== null && open.valid_from < from) ends.push({ rep, to: dayBefore(from) })
    // An open assignment starting on that day or later is replaced (same start, new plan).
    starts.push({
      rep,
      plan,
      from: open !== null && open.valid_from >= from ? open.valid_from : from,
      before: open,
    })
  }
  if (ends.length > 0) {
    await tx.query(
      `update plan_assignments p set valid_to = u.valid_to
         from unnest($2::text[], $3::date[]) as u(rep_id, valid_to)
        where p.org_id = $1 and p.rep_id = u.rep_id and p.valid_to is null`,
      [ctx.orgId, ends.map((e) => e.rep), ends.map((e) => e.to)],
    )
  }
  if (starts.length === 0) return 0
  await tx.query(
    `insert into plan_assignments (org_id, rep_id, plan_id, valid_from, valid_to, created_at, created_by)
     select $1, u.rep_id, u.plan_id, u.valid_from, null, $5::timestamptz, $6
       from unnest($2::text[], $3::text[], $4::date[]) as u(rep_id, plan_id, valid_from)
     on conflict (org_id, rep_id, valid_from) do update
       set plan_id = excluded.plan_id, valid_to = null, created_at = excluded.created_at, created_by = excluded.created_by`,
    [
      ctx.orgId,
      starts.map((s) => s.rep),
      starts.map((s) => s.plan),
      starts.map((s) => s.from),
      ctx.at,
      ctx.actor,
    ],
  )
  await tx.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after)
     select $1, $2::timestamptz, $3, 'plan.assign', u.rep_id, u.before, u.after
       from unnest($4::text[], $5::jsonb[], $6::jsonb[]) as u(rep_id, before, after)`,
    [
      ctx.orgId,
      ctx.at,
      ctx.actor,
      starts.map((s) => s.rep),
      starts.map((s) =>
        s.before === null
          ? null
          : JSON.stringify({ plan_id: s.before.plan_id, valid_from: s.before.valid_from }),
      ),
      starts.map((s) => JSON.stringify({ plan_id: s.plan, valid_from: s.from, import_id: ctx.importId })),
    ],
  )
  return starts.length
}

/** The day before a 'YYYY-MM-DD' date. */
function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}
