import { repDirectory, type RepDirectory } from '../../core/imports/rep-directory.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { currencyOf } from '../../core/records/cells.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import { readReps, type RepsRead } from '../../core/records/read-reps.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'

/** What an import is checked against: the organization's plans and reps. */
export interface ImportContext {
  /** The latest published version of every plan. */
  readonly plans: readonly Plan[]
  /** Plan ids published, whatever their period. */
  readonly published: ReadonlySet<string>
  /** The stored reps as `calc` reads reps.csv, each on the plan assigned on `on` (see below). */
  readonly reps: RepsRead
  readonly directory: RepDirectory
  /** Minor digits of money, as the readers check it: the plans' currency, 2 without plans. */
  readonly digits: number
}

const COLUMNS = ['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on']

/**
 * Loads the plans and reps an import is checked against. A rep's plan is the assignment covering
 * `on` (a local date), else the latest one, else the rep's `plan` column. Stored reps that no
 * longer check are an error when `strict` (deals, activities and quotas are checked against them).
 */
export async function loadImportContext(
  db: Queryable,
  orgId: string,
  on: string,
  strict: boolean,
): Promise<ImportContext> {
  const plans = (await plansOfRecord(db, orgId)).map((p) => p.plan)
  const covering = new Map<string, string>()
  const latest = new Map<string, string>()
  for (const a of await db.query<{ rep_id: string; plan_id: string; covers: boolean }>(
    `select rep_id, plan_id, (valid_from <= $2::date and (valid_to is null or valid_to >= $2::date)) as covers
       from plan_assignments where org_id = $1 order by valid_from`,
    [orgId, on],
  )) {
    latest.set(a.rep_id, a.plan_id)
    if (a.covers) covering.set(a.rep_id, a.plan_id)
  }
  const rows = await db.query<Record<string, string | null>>(
    `select id, name, email, manager, team, plan, hired_on::text as hired_on, left_on::text as left_on
       from reps where org_id = $1 order by id`,
    [orgId],
  )
  const issues = new IssueCollector(5)
  const reader = readReps('reps in the database', issues)
  reader.header(COLUMNS, 1)
  rows.forEach((r, i) =>
    reader.row(
      COLUMNS.map(
        (c) => (c === 'plan' ? (covering.get(r.id ?? '') ?? latest.get(r.id ?? '') ?? r.plan) : r[c]) ?? '',
      ),
      i + 2,
    ),
  )
  const reps = reader.finish()
  if (strict && issues.count > 0) {
    const first = issues.list()[0]
    throw new Error(
      `The stored reps do not check (${first?.message ?? ''}); import a whole reps file to repair them.`,
    )
  }
  return {
    plans,
    published: new Set(
      (await db.query<{ id: string }>('select id from plans where org_id = $1', [orgId])).map((p) => p.id),
    ),
    reps,
    directory: repDirectory(reps.reps),
    digits: currencyOf(plans).digits,
  }
}
