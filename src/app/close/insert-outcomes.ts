import { randomUUID } from 'node:crypto'
import type { ResultJson } from '../../core/engine/result-json.ts'
import type { Queryable } from '../ports/sql.ts'

const BATCH = 5000

/** Stores every rule that fired in a close as an outcome `due`, in batches (one insert of arrays each). */
export async function insertOutcomes(
  tx: Queryable,
  args: { orgId: string; closeId: string; period: string; result: ResultJson },
): Promise<void> {
  const rows: [string, string, string, string][] = []
  for (const plan of args.result.plans)
    for (const rep of plan.periods[0]?.reps ?? [])
      for (const o of rep.outcomes) rows.push([randomUUID(), rep.rep, o.rule, JSON.stringify(o.effects)])
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH)
    await tx.query(
      `insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state)
       select $1, u.id, $2, $3, u.rep, u.rule, u.effects, 'due'
         from unnest($4::text[], $5::text[], $6::text[], $7::jsonb[]) as u(id, rep, rule, effects)`,
      [
        args.orgId,
        args.closeId,
        args.period,
        batch.map((r) => r[0]),
        batch.map((r) => r[1]),
        batch.map((r) => r[2]),
        batch.map((r) => r[3]),
      ],
    )
  }
}
