import type { CelProgram } from '../../core/plans/cel.ts'
import type { Plan } from '../../core/plans/plan.ts'
import type { Queryable } from '../ports/sql.ts'
import type { RepSubset } from './progress.ts'

/** An audit entry written since a cached computation. */
export interface NewEntry {
  readonly action: string
  readonly at: string
  /** The import's kind (reps, deals, activities, quotas) for an `import` entry. */
  readonly kind: string | null
  readonly importId: string | null
}

/**
 * The reps whose progress the new entries can move, and the records to run them on; null when
 * only a whole computation is exact: anything but imports of deals and activities (a close, a
 * plan, reps, quotas…), or a plan that ranks reps against each other.
 *
 * The deals an import touched are those stored with its instant (`updated_at`: added and changed
 * alike); the reps they moved are those credited now and those credited before (the history of a
 * changed deal), likewise for activities. Their managers up the chain are recomputed with them
 * (their team metrics hold them), on the records of everyone below those managers when a plan
 * has team or directs metrics.
 */
export async function changedReps(
  db: Queryable,
  orgId: string,
  plans: readonly Plan[],
  entries: readonly NewEntry[],
): Promise<RepSubset | null> {
  if (entries.length === 0) return { reps: new Set(), creditedTo: [] }
  if (entries.some((e) => e.action !== 'import' || (e.kind !== 'deals' && e.kind !== 'activities')))
    return null
  if (plans.some(ranksReps)) return null
  const ats = [...new Set(entries.map((e) => e.at))]
  const imports = [...new Set(entries.map((e) => e.importId ?? ''))]
  const moved = new Set<string>()
  const deals = entries.some((e) => e.kind === 'deals')
    ? (
        await db.query<{ id: string }>(
          'select id from deals where org_id = $1 and updated_at = any($2::timestamptz[])',
          [orgId, ats],
        )
      ).map((d) => d.id)
    : []
  if (deals.length > 0) {
    for (const c of await db.query<{ rep_id: string }>(
      'select distinct rep_id from deal_credits where org_id = $1 and deal_id = any($2::text[])',
      [orgId, deals],
    ))
      moved.add(c.rep_id)
    for (const h of await db.query<{ rep: string | null }>(
      `select distinct before->>'rep' as rep from deal_history
        where org_id = $1 and deal_id = any($2::text[]) and import_id = any($3::text[])`,
      [orgId, deals, imports],
    ))
      for (const part of (h.rep ?? '').split(';')) if (part !== '') moved.add(part.split(':')[0] ?? '')
  }
  if (entries.some((e) => e.kind === 'activities')) {
    for (const a of await db.query<{ rep: string | null }>(
      `select distinct rep_id as rep from activities where org_id = $1 and updated_at = any($2::timestamptz[])
       union
       select distinct h.before->>'rep_id' from activity_history h
        where h.org_id = $1 and h.import_id = any($3::text[])`,
      [orgId, ats, imports],
    ))
      if (a.rep !== null) moved.add(a.rep)
  }
  const managers = new Map(
    (
      await db.query<{ id: string; manager: string | null }>(
        'select id, manager from reps where org_id = $1',
        [orgId],
      )
    ).map((r) => [r.id, r.manager]),
  )
  // The reps moved and their managers up the chain (a cycle stops where it closes).
  const reps = new Set<string>()
  for (const rep of moved) {
    let at: string | null | undefined = rep
    while (at !== null && at !== undefined && !reps.has(at)) {
      reps.add(at)
      at = managers.get(at)
    }
  }
  const teams = plans.some((p) => p.metrics.some((m) => m.of !== 'self'))
  const creditedTo = new Set(reps)
  if (teams) {
    const below = new Map<string, string[]>()
    for (const [id, manager] of managers)
      if (manager !== null) below.set(manager, [...(below.get(manager) ?? []), id])
    const queue = [...reps]
    while (queue.length > 0) {
      for (const d of below.get(queue.pop() as string) ?? [])
        if (!creditedTo.has(d)) {
          creditedTo.add(d)
          queue.push(d)
        }
    }
  }
  return { reps, creditedTo: [...creditedTo].sort() }
}

/** Whether a plan's rules read ranks (one rep's result then depends on every other's). */
function ranksReps(plan: Plan): boolean {
  return plan.rules.some(
    (r) =>
      reads(r.when, 'rank', 'ranked') ||
      (r.then.coaching !== undefined && reads(r.then.coaching.pass, 'rank', 'ranked')),
  )
}

const reads = (program: CelProgram, ...names: string[]): boolean =>
  program.reads === null || names.some((n) => program.reads?.has(n) === true)
