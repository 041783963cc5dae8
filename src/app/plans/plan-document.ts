import { formatLocalDate } from '../../core/calendar/civil.ts'
import { localDayOf } from '../../core/calendar/business-days.ts'
import { DomainError } from '../../core/domain-error.ts'
import { buildPlanDocument, type PlanDocument } from '../../core/plans/plan-document.ts'
import type { Queryable } from '../ports/sql.ts'
import { getPlanVersion } from './plan-store.ts'

/**
 * The document of a published plan version (the latest when `version` is left out), built from
 * the very source the close runs. Its worked examples use the first whole period from the day
 * the version applies (or, with no such day, the day it was published in the plan's zone), so
 * one version always gives the same document. Refuses an unknown plan or version (`plan.unknown_plan`).
 */
export async function planDocument(
  db: Queryable,
  args: { orgId: string; planId: string; version?: number },
): Promise<PlanDocument> {
  const stored = await getPlanVersion(db, args.orgId, args.planId, args.version)
  if (stored === null) {
    const latest = args.version === undefined ? null : await getPlanVersion(db, args.orgId, args.planId)
    throw new DomainError(
      'plan.unknown_plan',
      latest === null
        ? `There is no published plan "${args.planId}".`
        : `There is no version ${args.version ?? ''} of plan ${args.planId}: it has versions 1 to ${latest.version}.`,
      { planId: args.planId, version: args.version ?? null },
    )
  }
  const [row] = await db.query<{ effective_from: unknown }>(
    'select effective_from from plan_versions where org_id = $1 and plan_id = $2 and version = $3',
    [args.orgId, args.planId, stored.version],
  )
  const effectiveFrom = localDate(row?.effective_from)
  const published = formatLocalDate(localDayOf(Date.parse(stored.publishedAt), stored.plan.timezone))
  return buildPlanDocument(stored.plan, {
    version: stored.version,
    hash: stored.hash,
    publishedAt: stored.publishedAt,
    examplesFrom: effectiveFrom ?? published,
  })
}

/** A `date` column as 'YYYY-MM-DD' (drivers give text or a Date at UTC midnight); null when empty. */
function localDate(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return String(value).slice(0, 10)
}
