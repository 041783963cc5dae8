import { z } from 'zod'
import { approvePayouts, payrollFor, statementFor } from '../../../app/payouts/payouts.ts'
import { verifyLedger } from '../../../app/ledger/ledger.ts'
import { formatMoney, getCurrency } from '../../../core/money/money.ts'
import { orgTx, principalOf, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, ok, periodKey } from '../schemas.ts'
import { minorToJson, requireRepVisible, visibleReps } from '../scope.ts'

const csvCell = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)
const parse = (value: unknown): Record<string, unknown> =>
  (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>

const repResult = z
  .record(z.string(), z.unknown())
  .meta({ id: 'RepResult', description: 'A rep entry of the calc result (data-formats.md)' })

/** Results, leaderboards, statements, payroll export, payout approval, ledger verification. */
export async function payoutRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const params = z.object({ key: periodKey })
  const latestClose = `select id from close_runs where org_id = $1 and period = $2 and not dry_run and status = 'done' order by started_at desc limit 1`

  app.get(
    '/periods/:key/results',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['results'],
        summary: "The closed period's results per rep (a manager: the tree; a rep: their own)",
        params,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                repId: z.string(),
                planId: z.string(),
                planVersion: z.number(),
                payoutMinor: z.number(),
                balanceMinor: z.number(),
                result: repResult,
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const rows = await orgTx(request, deps, async (tx, principal) =>
        tx.query<{
          rep_id: string
          plan_id: string
          plan_version: number
          payout_minor: bigint
          balance_minor: bigint
          result: unknown
        }>(
          `select rep_id, plan_id, plan_version, payout_minor, balance_minor, result from results
            where org_id = $1 and close_id = (${latestClose}) and ($3::text[] is null or rep_id = any($3)) order by rep_id, plan_id`,
          [principal.orgId, request.params.key, await visibleReps(tx, principal)],
        ),
      )
      return {
        items: rows.map((r) => ({
          repId: r.rep_id,
          planId: r.plan_id,
          planVersion: Number(r.plan_version),
          payoutMinor: minorToJson(BigInt(r.payout_minor)),
          balanceMinor: minorToJson(BigInt(r.balance_minor)),
          result: parse(r.result),
        })),
      }
    },
  )

  app.get(
    '/periods/:key/leaderboard',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['results'],
        summary: 'Attainment of every rep for a closed period, highest first: never pay',
        params,
        querystring: z.object({ metric: z.string().optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                rank: z.number(),
                repId: z.string(),
                name: z.string(),
                team: z.string(),
                metric: z.string(),
                attainment: z.string().nullable(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const rows = await orgTx(request, deps, (tx, principal) =>
        tx.query<{ rep_id: string; name: string | null; team: string | null; result: unknown }>(
          `select r.rep_id, p.name, p.team, r.result from results r left join reps p on p.org_id = r.org_id and p.id = r.rep_id
            where r.org_id = $1 and r.close_id = (${latestClose}) order by r.rep_id`,
          [principal.orgId, request.params.key],
        ),
      )
      const entries = rows.map((r) => {
        const metrics = (parse(r.result).metrics ?? {}) as Record<string, { attainment: string | null }>
        const metric =
          request.query.metric ?? Object.keys(metrics).find((m) => metrics[m]?.attainment != null) ?? ''
        return {
          repId: r.rep_id,
          name: r.name ?? '',
          team: r.team ?? '',
          metric,
          attainment: metrics[metric]?.attainment ?? null,
        }
      })
      entries.sort(
        (a, b) =>
          Number(b.attainment ?? -Infinity) - Number(a.attainment ?? -Infinity) ||
          a.repId.localeCompare(b.repId),
      )
      return { items: entries.map((e, i) => ({ rank: i + 1, ...e })) }
    },
  )

  app.get(
    '/statements/:repId/:period',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['results'],
        summary: "A rep's statement for a closed period (a manager: the tree; a rep: their own)",
        params: z.object({ repId: z.string(), period: periodKey }),
        response: {
          200: z.object({
            repId: z.string(),
            period: z.string(),
            result: repResult.nullable(),
            moneyMetrics: z.array(z.string()),
            yearToDateMinor: z.number(),
            closedAt: z.string(),
            head: z.object({ seq: z.number(), hash: z.string() }),
            adjustments: z.array(z.record(z.string(), z.unknown())),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        await requireRepVisible(tx, principal, request.params.repId)
        const s = await statementFor(tx, {
          orgId: principal.orgId,
          rep: request.params.repId,
          period: request.params.period,
        })
        return {
          repId: request.params.repId,
          period: request.params.period,
          result: s.result as unknown as Record<string, unknown> | null,
          moneyMetrics: s.moneyMetrics,
          yearToDateMinor: minorToJson(s.yearToDateMinor),
          closedAt: s.closedAt,
          head: { seq: Number(s.head.seq), hash: s.head.hash },
          adjustments: s.adjustments,
        }
      }),
  )

  app.get(
    '/periods/:key/payroll.csv',
    {
      preHandler: requireRole('owner', 'admin', 'finance'),
      schema: {
        tags: ['payouts'],
        summary:
          'Payroll CSV of a closed period: rep,email,period,currency,amount,approved,ledger_head (lines=true: one row per ledger line)',
        params,
        querystring: z.object({ lines: z.enum(['true', 'false']).default('false') }),
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv'), ...errors },
      },
    },
    async (request, reply) => {
      const lines = request.query.lines === 'true'
      const payroll = await orgTx(request, deps, (tx, principal) =>
        payrollFor(tx, { orgId: principal.orgId, period: request.params.key, lines }),
      )
      const header = [
        'rep',
        'email',
        'period',
        'currency',
        'amount',
        ...(lines ? ['kind', 'rule', 'deal'] : []),
        'approved',
        'ledger_head',
      ]
      const approved =
        payroll.approval !== null ? `yes (${payroll.approval.by} ${payroll.approval.at})` : 'no'
      const out = [header.join(',')]
      for (const row of payroll.rows) {
        const cells = [
          row.rep,
          row.email,
          row.period,
          row.currency,
          formatMoney(row.amountMinor, getCurrency(row.currency)?.digits ?? 2),
        ]
        if (lines) cells.push(row.kind ?? '', row.rule ?? '', row.deal ?? '')
        cells.push(approved, payroll.head.hash)
        out.push(cells.map(csvCell).join(','))
      }
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="payroll-${request.params.key}.csv"`)
      return `${out.join('\n')}\n`
    },
  )

  app.post(
    '/periods/:key/payouts/approve',
    {
      preHandler: requireRole('owner', 'finance'),
      schema: {
        tags: ['payouts'],
        summary: "Record finance's approval of a closed period's payouts",
        params,
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      await orgTx(request, deps, (tx) =>
        approvePayouts(tx, {
          orgId: principal.orgId,
          period: request.params.key,
          actor: principal.personId,
          now: deps.now(),
        }),
      )
      return { ok: true as const }
    },
  )

  app.get(
    '/ledger/verify',
    {
      preHandler: requireRole('owner', 'admin', 'finance'),
      schema: {
        tags: ['payouts'],
        summary: 'Check the whole hash chain of the ledger and name the first broken entry',
        response: {
          200: z.object({
            ok: z.boolean(),
            entries: z.number(),
            head: z.string().nullable(),
            brokenAt: z.number().nullable(),
            reason: z.string().nullable(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const check = await orgTx(request, deps, (tx, principal) => verifyLedger(tx, principal.orgId))
      return check.ok
        ? { ok: true, entries: check.entries, head: check.head, brokenAt: null, reason: null }
        : {
            ok: false,
            entries: check.entries,
            head: null,
            brokenAt: Number(check.brokenAt),
            reason: check.reason,
          }
    },
  )
}
