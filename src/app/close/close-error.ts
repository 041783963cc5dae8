import type { InputIssue } from '../../core/records/records.ts'

/** Why a close did not happen; the CLI maps each to a message and an exit status. */
export class CloseError extends Error {
  constructor(
    readonly code:
      | 'close.bad_period'
      | 'close.closed'
      | 'close.in_progress'
      | 'close.out_of_order'
      | 'close.no_plans'
      | 'close.bad_data',
    message: string,
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(message)
  }
}
