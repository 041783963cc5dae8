import type { Queryable } from '../../app/ports/sql.ts'
import { statementFor } from '../../app/payouts/payouts.ts'
import { getCurrency } from '../../core/money/money.ts'
import type { StatementPdfInput } from './statement-pdf.ts'

/** Everything the statement PDF prints: the statement, the organization's name and currency, the rep's name. */
export async function statementPdfInput(
  db: Queryable,
  args: { orgId: string; rep: string; period: string },
): Promise<StatementPdfInput> {
  const statement = await statementFor(db, args)
  const [org] = await db.query<{ name: string; currency: string }>(
    'select name, currency from organizations where id = $1',
    [args.orgId],
  )
  const [rep] = await db.query<{ name: string }>('select name from reps where org_id = $1 and id = $2', [
    args.orgId,
    args.rep,
  ])
  const code = org?.currency ?? 'USD'
  return {
    organization: org?.name ?? args.orgId,
    repId: args.rep,
    repName: rep === undefined || rep.name === '' ? null : rep.name,
    period: args.period,
    currency: getCurrency(code) ?? { code, digits: 2 },
    statement,
  }
}
