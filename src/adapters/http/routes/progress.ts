import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { judgeSession, sessionReadSql, sessionRowOf, type SessionRow } from '../../../app/auth/sessions.ts'
import { type Peeked, progressCacheOf, progressOf } from '../../../app/progress/progress-cache.ts'
import type { RepProgress } from '../../../app/progress/progress.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { formatMoney, formatMoneyForPeople, getCurrency } from '../../../core/money/money.ts'
import { formatFixed, type Rational } from '../../../core/money/rational.ts'
import { deferredSessionOf, signInWithSession } from '../authenticate.ts'
import { orgTx, principalOf, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, localDate } from '../schemas.ts'
import { minorToJson, visibleRepsGiven } from '../scope.ts'

/** An exact quantity as a decimal with 4 places (values in the metric's units, attainment factors). */
const decimal = (r: Rational): string => formatFixed(r, 4)
const decimalOrNull = (r: Rational | null): string | null => (r === null ? null : decimal(r))

const stake = z.object({
  kind: z.enum(['gate', 'tier', 'rule']),
  source: z.string(),
  at: z.string(),
  now: z.boolean(),
  gap: z.string().nullable(),
  amountMinor: z.number().nullable(),
  words: z.string(),
})

const metric = z.object({
  metric: z.string(),
  money: z.boolean(),
  value: z.string(),
  quota: z.string().nullable(),
  attainment: z.string().nullable(),
  projectedValue: z.string().nullable(),
  projectedAttainment: z.string().nullable(),
  stakes: z.array(stake),
  sentence: z.string(),
})

const repProgress = z
  .object({
    rep: z.string(),
    repName: z.string(),
    plan: z.string(),
    period: z.string(),
    currency: z.string(),
    closed: z.boolean(),
    asOf: z.string(),
    periodEnd: z.string(),
    elapsedBusinessDays: z.number(),
    totalBusinessDays: z.number(),
    metrics: z.array(metric),
    earnedSoFarMinor: z.number(),
    earnedSoFar: z.string(),
    earnedSoFarText: z.string(),
  })
  .meta({ id: 'RepProgress' })

type RepProgressJson = z.infer<typeof repProgress>

const query = z.object({ rep: z.string().optional(), asOf: localDate.optional() })
type Query = z.infer<typeof query>

/**
 * The JSON text of each cached progress, made and checked against the response's schema once (the
 * cache keeps the same objects per version): a response is these texts joined, sent as they are
 * (no serialization per request). The text is what the route's zod serializer would write.
 */
const textCache = new WeakMap<RepProgress, string>()

function toText(p: RepProgress): string {
  let out = textCache.get(p)
  if (out === undefined) {
    out = JSON.stringify(repProgress.parse(toJson(p)))
    textCache.set(p, out)
  }
  return out
}

function toJson(p: RepProgress): RepProgressJson {
  const currency = getCurrency(p.currency)
  return {
    rep: p.rep,
    repName: p.repName,
    plan: p.plan,
    period: p.period,
    currency: p.currency,
    closed: p.closed,
    asOf: p.asOf,
    periodEnd: p.periodEnd,
    elapsedBusinessDays: p.elapsedBusinessDays,
    totalBusinessDays: p.totalBusinessDays,
    metrics: p.metrics.map((m) => ({
      metric: m.metric,
      money: m.money,
      value: decimal(m.value),
      quota: decimalOrNull(m.quota),
      attainment: decimalOrNull(m.attainment),
      projectedValue: decimalOrNull(m.projectedValue),
      projectedAttainment: decimalOrNull(m.projectedAttainment),
      stakes: m.stakes.map((s) => ({
        kind: s.kind,
        source: s.source,
        at: decimal(s.at),
        now: s.now,
        gap: decimalOrNull(s.gap),
        amountMinor: s.amountMinor === null ? null : minorToJson(s.amountMinor),
        words: s.words,
      })),
      sentence: m.sentence,
    })),
    earnedSoFarMinor: minorToJson(p.earnedSoFarMinor),
    earnedSoFar: formatMoney(p.earnedSoFarMinor, currency?.digits ?? 2),
    earnedSoFarText:
      currency === null ? String(p.earnedSoFarMinor) : formatMoneyForPeople(p.earnedSoFarMinor, currency),
  }
}

/**
 * Live progress of the open period: per rep and metric, progress to goal, pace by business days,
 * what is at stake, and the estimated earnings so far, computed by the one engine on the data as
 * it stands (kept per data version: see ProgressCache). A rep sees their own; a manager their
 * tree; owner, admin and finance everyone.
 */
export async function progressRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const cache = progressCacheOf(deps.db)
  /** What the session's combined read found kept, by request (only once the session was accepted). */
  const peekedBy = new WeakMap<FastifyRequest, Peeked | undefined>()

  /**
   * The sign-in of a session cookie, which the sign-in hook left to this route (`sessionInRoute`):
   * the session's row and the data version (and a manager's tree) in one statement, in the scope of
   * the session's organization when the session is live (`sessionReadSql`, `ProgressCache.peekAs`);
   * then the same rules as the hook (`judgeSession`, `signInWithSession`): expiry, sign-out, a
   * disabled person, the last_seen_at touch. API tokens and requests without a cookie went through
   * the hook as on every route.
   */
  const signIn = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const cookie = deferredSessionOf(request)
    if (cookie === undefined) return
    const now = deps.now()
    const session = sessionReadSql(cookie, now)
    // The query string was checked (the schema) before any preHandler.
    const asOf = (request.query as Query).asOf
    const { row, peeked } = await cache.peekAs<SessionRow>(
      deps.db,
      { row: session.row, orgOf: session.liveOrg },
      { now, ...(asOf === undefined ? {} : { asOf }) },
    )
    // No row: the session is not live (or unknown); its row whatever its state says which.
    const judged = await judgeSession(
      deps.db,
      session.id,
      row ?? (await sessionRowOf(deps.db, session.id)),
      now,
    )
    signInWithSession(request, reply, deps, cookie, judged)
    if (request.principal !== null) peekedBy.set(request, peeked)
  }

  app.get(
    '/progress',
    {
      config: { sessionInRoute: true },
      preHandler: [signIn, requireRole(...ROLES)],
      schema: {
        tags: ['progress'],
        summary: 'Progress, pace and what is at stake in the open period (as of today or a date)',
        querystring: query,
        response: { 200: z.object({ items: z.array(repProgress) }), ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const rep = request.query.rep ?? (principal.role === 'rep' ? (principal.repId ?? undefined) : undefined)
      const args = {
        orgId: principal.orgId,
        now: deps.now(),
        ...(request.query.asOf === undefined ? {} : { asOf: request.query.asOf }),
        // A manager's tree (visibleReps's) is read in the same statement as the data version.
        treeOf: principal.role === 'manager' ? principal.repId : null,
      }
      const answer = async (found: Peeked): Promise<string> => {
        const visible = visibleRepsGiven(principal, found.tree)
        if (rep !== undefined && visible !== null && !visible.includes(rep))
          throw new DomainError('auth.forbidden', `You may not see the rep "${rep}".`, { repId: rep })
        const cached = await found.progress()
        const seen = visible === null ? null : new Set(visible)
        const items = progressOf(cached, rep)
          .filter((r) => seen === null || seen.has(r.rep))
          .map(toText)
        return `{"items":[${items.join(',')}]}`
      }
      // Kept for the data version: read with the session (signIn) or in one statement, no
      // transaction, no engine run.
      const kept = peekedBy.has(request) ? peekedBy.get(request) : await cache.peek(deps.db, args)
      const text =
        kept !== undefined
          ? await answer(kept)
          : await orgTx(request, deps, async (tx) => answer(await cache.lookUp(tx, args)))
      // The items' texts were checked against the schema when made: sent as they are, not
      // serialized again. (A plain reply's type: the schema's typing wants the object itself.)
      return (reply as unknown as FastifyReply).type('application/json; charset=utf-8').send(text)
    },
  )
}
