import { z } from 'zod'
import { whatIfRecordsCacheOf } from '../../../app/what-if/records-cache.ts'
import { prepareWhatIf, whatIf } from '../../../app/what-if/what-if.ts'
import { orgTx, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { errors } from '../schemas.ts'
import { minorToJson } from '../scope.ts'

const issue = z.object({ file: z.string(), line: z.number(), column: z.number(), message: z.string() })
const line = z.object({
  kind: z.string(),
  rule: z.string().nullable(),
  actualMinor: z.number(),
  whatIfMinor: z.number(),
})
const repPeriod = z.object({
  period: z.string(),
  actualMinor: z.number(),
  whatIfMinor: z.number(),
  actualRules: z.array(z.string()),
  whatIfRules: z.array(z.string()),
})
const rep = z.object({
  repId: z.string(),
  name: z.string(),
  actualMinor: z.number(),
  whatIfMinor: z.number(),
  differenceMinor: z.number(),
  lines: z.array(line),
  periods: z.array(repPeriod),
})
const comparison = z
  .object({
    planId: z.string(),
    replaces: z.string(),
    currency: z.string(),
    periods: z.array(z.string()),
    reps: z.array(rep),
    totals: z.object({ actualMinor: z.number(), whatIfMinor: z.number(), differenceMinor: z.number() }),
    rules: z.array(
      z.object({
        rule: z.string(),
        effects: z.array(z.string()),
        kind: z.enum(['incentive', 'consequence', 'both']),
        actual: z.number(),
        whatIf: z.number(),
      }),
    ),
  })
  .meta({ id: 'WhatIf' })

/** The what-if: a draft plan run over the last closed periods, next to what was paid (owner, admin). */
export async function whatIfRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const cache = whatIfRecordsCacheOf(deps.db)
  app.get(
    '/what-if/window',
    {
      preHandler: requireRole('owner', 'admin'),
      schema: {
        tags: ['plans'],
        summary:
          "The closed periods a what-if of a published plan runs over and how many reps it covers; reads the window's records into the server's memory, so that the first run of a draft finds them there",
        querystring: z.object({
          plan: z.string().min(1).max(200),
          months: z.coerce.number().int().min(1).max(60).default(12),
        }),
        response: {
          200: z.object({ planId: z.string(), periods: z.array(z.string()), reps: z.number() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { plan, months } = request.query
      const out = await orgTx(request, deps, (tx, principal) =>
        prepareWhatIf(tx, { orgId: principal.orgId, planId: plan, months, cache }),
      )
      return { ...out, periods: [...out.periods] }
    },
  )
  app.post(
    '/what-if',
    {
      preHandler: requireRole('owner', 'admin'),
      schema: {
        tags: ['plans'],
        summary:
          'Run a draft plan over the last closed periods (default 12) and compare per rep with what was paid and which rules fired; stores nothing',
        body: z.object({
          source: z.string().min(1).max(1_000_000),
          file: z.string().min(1).max(200).default('draft.yaml'),
          months: z.number().int().min(1).max(60).default(12),
          replaces: z.string().min(1).max(200).optional(),
        }),
        response: {
          200: z.object({ issues: z.array(issue), result: comparison.nullable() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { source, file, months, replaces } = request.body
      const out = await orgTx(request, deps, (tx, principal) =>
        whatIf(tx, {
          orgId: principal.orgId,
          planText: source,
          file,
          months,
          cache,
          // The stored results read on a second connection while the records are read (ADR 0012).
          ...(deps.db.kind === 'postgres' ? { side: deps.db } : {}),
          ...(replaces === undefined ? {} : { replaces }),
        }),
      )
      if (!out.ok) return { issues: [...out.issues], result: null }
      const { ok: _ok, issues: _issues, ...result } = out
      // A thousand reps over 12 months is about 2 MB: written in one pass, amounts (bigint minor
      // units) as exact JSON numbers, instead of being copied and checked field by field.
      const body = JSON.stringify({ issues: [], result }, (_key, value: unknown) =>
        typeof value === 'bigint' ? minorToJson(value) : value,
      )
      // Text with a JSON type is sent as it is (no schema serializer); the schema above documents it.
      return reply.type('application/json; charset=utf-8').send(body as never)
    },
  )
}
