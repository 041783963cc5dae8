import { markOverdue } from '../followthrough/mark-overdue.ts'
import { progressReport } from '../progress/progress.ts'
import type { NotifySources } from './run-notifications.ts'

/** What a notification run reads from the rest of the app: the outcome lifecycle and progress. */
export const appSources: NotifySources = {
  markOverdue: (db, args) => markOverdue(db, args),
  paces: async (db, args) =>
    (await progressReport(db, args)).reps
      .filter((r) => !r.closed)
      .map((r) => ({ period: r.period, pace: r, currency: r.currency })),
}
