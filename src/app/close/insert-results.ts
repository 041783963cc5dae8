import type { ResultJson } from '../../core/engine/result-json.ts'
import type { Queryable } from '../ports/sql.ts'

const BATCH = 2000

/** Stores what a close computed per plan and rep (the rep's calc JSON, payout, balance), in batches. */
export async function insertResults(
  tx: Queryable,
  args: { orgId: string; closeId: string; period: string; result: ResultJson; versions: Map<string, number> },
): Promise<void> {
  const rows: [string, number, string, boolean, string, string, string][] = []
  for (const plan of args.result.plans) {
    for (const rep of plan.periods[0]?.reps ?? []) {
      rows.push([
        plan.id,
        args.versions.get(plan.id) ?? 0,
        rep.rep,
        Object.keys(rep.metrics).length > 0,
        JSON.stringify(rep),
        String(rep.payout),
        String(rep.balance),
      ])
    }
  }
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH)
    await tx.query(
      `insert into results (org_id, close_id, plan_id, plan_version, period, rep_id, computed, result, payout_minor, balance_minor)
       select $1, $2, u.plan_id, u.version, $3, u.rep, u.computed, u.result, u.payout, u.balance
         from unnest($4::text[], $5::int[], $6::text[], $7::boolean[], $8::jsonb[], $9::bigint[], $10::bigint[])
           as u(plan_id, version, rep, computed, result, payout, balance)`,
      [args.orgId, args.closeId, args.period, ...[0, 1, 2, 3, 4, 5, 6].map((i) => batch.map((r) => r[i]))],
    )
  }
}
