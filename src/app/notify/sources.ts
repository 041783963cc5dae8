import { listDisputes } from '../disputes/list-disputes.ts'
import { markOverdue } from '../followthrough/mark-overdue.ts'
import { progressReport } from '../progress/progress.ts'
import type { NotifySources } from './run-notifications.ts'

/** What a notification run reads from the rest of the app: the outcome lifecycle, progress, disputes. */
export const appSources: NotifySources = {
  markOverdue: (db, args) => markOverdue(db, args),
  paces: async (db, args) =>
    (await progressReport(db, args)).reps
      .filter((r) => !r.closed)
      .map((r) => ({ period: r.period, pace: r, currency: r.currency })),
  disputes: async (db, { orgId }) =>
    (await listDisputes(db, { orgId, actor: { id: 'system', role: 'owner' }, state: 'open' })).map((d) => ({
      id: String(d.id),
      repId: d.repId,
      period: d.period,
      summary: `the ${d.line.kind} line${d.line.rule === null ? '' : ` of ${d.line.rule}`}${d.line.deal === null ? '' : `, deal ${d.line.deal}`}: “${d.message}”`,
      amountMinor: d.line.amountMinor,
    })),
}
