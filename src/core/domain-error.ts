/**
 * An expected refusal of a use case, with a stable code (`area.reason`, e.g. `outcome.not_due`),
 * a message for people and details for programs. The HTTP edge maps codes to statuses in one
 * table; the CLI prints the message and exits with status 1.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'DomainError'
  }
}
