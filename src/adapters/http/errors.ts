import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { z } from 'zod'

/** The one error body of the API. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'Error' })

/**
 * The one table from a refusal's code to an HTTP status: an exact code first, then its area (the
 * part before the dot), then its reason (the part after). Codes not in the table are 400 when they
 * look like refusals (`area.reason`); anything else is a 500 with no details.
 */
const byCode: Readonly<Record<string, number>> = {
  'auth.required': 401,
  'auth.bad_credentials': 401,
  'auth.session_expired': 401,
  'auth.bad_token': 401,
  'auth.forbidden': 403,
  'auth.scope': 403,
  'auth.csrf': 403,
  'auth.throttled': 429,
  'auth.setup_done': 409,
  'auth.link_used': 410,
  'auth.link_expired': 410,
  'auth.bad_link': 404,
  'auth.email_taken': 409,
  'auth.weak_password': 400,
  'close.closed': 409,
  'close.in_progress': 409,
  'close.out_of_order': 409,
  'close.no_plans': 409,
  'close.bad_period': 400,
  'close.bad_data': 422,
  'payout.not_closed': 409,
  'payout.unknown_rep': 404,
  'plan.unknown_rep': 404,
  'plan.unknown_plan': 404,
  'plan.bad_date': 400,
  'plan.invalid': 422,
  'import.changed': 409,
  'import.invalid': 422,
  'dispute.not_own_line': 403,
  'dispute.period_open': 409,
  'dispute.line_reversed': 409,
  'dispute.not_a_statement_line': 409,
  'dispute.period_closed': 409,
  'quota.period_closed': 409,
  'quota.no_plan': 409,
  'acknowledgement.not_own': 403,
  'acknowledgement.not_assigned': 409,
  'acknowledgement.no_name': 409,
  'acknowledgement.name_mismatch': 422,
  'progress.bad_data': 422,
  'database.locked': 503,
  'request.not_found': 404,
  'request.too_large': 413,
}

const byReason: Readonly<Record<string, number>> = {
  not_found: 404,
  unknown: 404,
  conflict: 409,
  not_due: 409,
  already: 409,
  forbidden: 403,
}

/** The HTTP status for a refusal code. */
export function statusFor(code: string): number {
  const exact = byCode[code]
  if (exact !== undefined) return exact
  const reason = code.slice(code.indexOf('.') + 1)
  for (const [key, status] of Object.entries(byReason)) if (reason.startsWith(key)) return status
  return 400
}

/** A refusal: any error with a stable `area.reason` code (DomainError, CloseError, PayoutError…). */
function refusalOf(
  error: unknown,
): { code: string; message: string; details: Record<string, unknown> } | null {
  if (!(error instanceof Error)) return null
  const e = error as Error & { code?: unknown; details?: unknown; issues?: unknown }
  if (typeof e.code !== 'string' || !/^[a-z]+\.[a-z_]+$/.test(e.code)) return null
  const details: Record<string, unknown> =
    typeof e.details === 'object' && e.details !== null ? { ...(e.details as Record<string, unknown>) } : {}
  if (Array.isArray(e.issues) && e.issues.length > 0) details.issues = e.issues
  return { code: e.code, message: e.message, details }
}

/** Sends every error as `{ error: { code, message, details } }`; never a stack trace. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (hasZodFastifySchemaValidationErrors(error)) {
    void reply.code(400).send({
      error: {
        code: 'request.invalid',
        message: `The request is not valid: ${error.validation.length} problem(s).`,
        details: {
          problems: error.validation.map((v) => ({
            in: error.validationContext ?? 'body',
            path: v.instancePath,
            message: v.message ?? 'invalid',
          })),
        },
      },
    })
    return
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response does not match its schema')
    void reply
      .code(500)
      .send({ error: { code: 'server.error', message: 'Something went wrong.', details: {} } })
    return
  }
  const refusal = refusalOf(error)
  if (refusal !== null && !refusal.code.startsWith('database.migration')) {
    void reply.code(statusFor(refusal.code)).send({ error: refusal })
    return
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500
  if (status >= 400 && status < 500) {
    // Fastify's own refusals (bad JSON, too large, wrong content type): their message is safe.
    void reply.code(status).send({
      error: { code: `request.${status === 413 ? 'too_large' : 'bad'}`, message: error.message, details: {} },
    })
    return
  }
  request.log.error({ err: error }, 'request failed')
  void reply
    .code(500)
    .send({ error: { code: 'server.error', message: 'Something went wrong.', details: {} } })
}
