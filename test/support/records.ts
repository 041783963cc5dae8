import { parsePlan } from '../../src/core/plans/parse-plan.ts'
import type { Plan } from '../../src/core/plans/plan.ts'
import type { RowReader } from '../../src/core/records/header.ts'
import { IssueCollector } from '../../src/core/records/issues.ts'
import { emptyActivities } from '../../src/core/records/read-activities.ts'
import { readDeals } from '../../src/core/records/read-deals.ts'
import { readReps } from '../../src/core/records/read-reps.ts'
import type { Records } from '../../src/core/records/records.ts'

/** A plan from YAML text, or an error listing its issues. */
export function planFrom(yaml: string): Plan {
  const { plan, issues } = parsePlan(yaml, 'plan.yaml')
  if (plan === null) throw new Error(issues.map((i) => `${i.line}:${i.column}: ${i.message}`).join('\n'))
  return plan
}

function feed<T>(reader: RowReader<T>, rows: readonly (readonly string[])[]): T {
  rows.forEach((row, i) => (i === 0 ? reader.header(row, 1) : reader.row(row, i + 1)))
  return reader.finish()
}

/** Records from rows (header first) through the core readers, in memory; throws on bad input. */
export function recordsFrom(
  plans: readonly Plan[],
  reps: readonly (readonly string[])[],
  deals: readonly (readonly string[])[],
): Records {
  const issues = new IssueCollector()
  const repsRead = feed(readReps('reps.csv', issues), reps)
  const table = feed(readDeals('deals.csv', issues, { ...repsRead, plans }), deals)
  if (issues.count > 0)
    throw new Error(
      issues
        .list()
        .map((i) => `${i.file}:${i.line}: ${i.message}`)
        .join('\n'),
    )
  return {
    reps: repsRead.reps,
    repIndex: repsRead.repIndex,
    deals: table,
    activities: emptyActivities(),
    quotas: [],
  }
}
