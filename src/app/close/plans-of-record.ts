import type { PeriodKind } from '../../core/calendar/period.ts'
import { parsePlan } from '../../core/plans/parse-plan.ts'
import type { Plan } from '../../core/plans/plan.ts'
import type { Queryable } from '../ports/sql.ts'

export interface PlanOfRecord {
  readonly plan: Plan
  readonly version: number
  readonly hash: string
}

interface VersionRow {
  plan_id: string
  version: number
  hash: string
  source: string
  effective_from: string | null
}

/** Parsed versions by plan, version and hash (a stored version never changes): parsed once per process. */
const parsedVersions = new Map<string, { source: string; plan: Plan }>()

function parseStored(row: VersionRow): PlanOfRecord {
  const key = `${row.plan_id}\u0000${row.version}\u0000${row.hash}`
  const known = parsedVersions.get(key)
  if (known !== undefined && known.source === row.source)
    return { plan: known.plan, version: Number(row.version), hash: row.hash }
  const { plan, issues } = parsePlan(row.source, `${row.plan_id} v${row.version}`)
  // Only checked plans are stored: one that no longer checks is a broken invariant, not input.
  if (plan === null)
    throw new Error(
      `Stored plan ${row.plan_id} v${row.version} no longer checks: ${issues[0]?.message ?? ''}`,
    )
  if (parsedVersions.size >= 256) parsedVersions.delete(parsedVersions.keys().next().value as string)
  parsedVersions.set(key, { source: row.source, plan })
  return { plan, version: Number(row.version), hash: row.hash }
}

/** The latest published version of every plan of the organization with periods of this kind. */
export async function plansOfRecord(
  db: Queryable,
  orgId: string,
  kind?: PeriodKind,
): Promise<PlanOfRecord[]> {
  const rows = await db.query<VersionRow>(
    `select v.plan_id, v.version, v.hash, v.source, v.effective_from
       from plan_versions v
      where v.org_id = $1
        and v.version = (select max(version) from plan_versions w where w.org_id = v.org_id and w.plan_id = v.plan_id)
      order by v.plan_id`,
    [orgId],
  )
  return rows.map(parseStored).filter((p) => kind === undefined || p.plan.period === kind)
}

/**
 * Every published version of the organization's plans, parsed on first use: which version is
 * effective on a date (the latest whose `effective_from` is on or before it, or null), and any
 * version by number.
 */
export class PlanVersions {
  private readonly parsed = new Map<string, PlanOfRecord>()

  private constructor(private readonly rows: readonly VersionRow[]) {}

  static async load(db: Queryable, orgId: string): Promise<PlanVersions> {
    return new PlanVersions(
      await db.query<VersionRow>(
        `select plan_id, version, hash, source, effective_from from plan_versions where org_id = $1
          order by plan_id, version`,
        [orgId],
      ),
    )
  }

  get planIds(): string[] {
    return [...new Set(this.rows.map((r) => r.plan_id))]
  }

  /** The version of a plan effective on a local date ('YYYY-MM-DD'), or null when none is yet. */
  effectiveOn(planId: string, date: string): PlanOfRecord | null {
    let found: VersionRow | null = null
    for (const row of this.rows) {
      if (row.plan_id !== planId) continue
      if (row.effective_from === null || row.effective_from <= date) {
        if (found === null || row.version > found.version) found = row
      }
    }
    return found === null ? null : this.get(found)
  }

  /** A version by number, or null when there is no such version. */
  version(planId: string, version: number): PlanOfRecord | null {
    const row = this.rows.find((r) => r.plan_id === planId && Number(r.version) === version)
    return row === undefined ? null : this.get(row)
  }

  private get(row: VersionRow): PlanOfRecord {
    const key = `${row.plan_id}\u0000${row.version}`
    let out = this.parsed.get(key)
    if (out === undefined) {
      out = parseStored(row)
      this.parsed.set(key, out)
    }
    return out
  }
}
