import { z } from 'zod'
import {
  DEFAULT_DUE_DAYS,
  DUE_DAYS_KEY,
  loadDueDays,
  setDueDays,
} from '../../../app/followthrough/due-days.ts'
import { type Effect } from '../../../app/followthrough/outcome-record.ts'
import type { Queryable } from '../../../app/ports/sql.ts'
import { saveUnderPerformerSetting, UNDER_PERFORMERS_SETTING } from '../../../app/reports/peer-reports.ts'
import { UNDER_PERFORMER_DEFAULTS } from '../../../core/followthrough/under-performers.ts'
import { orgTx, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { errors } from '../schemas.ts'

/** The effects someone has to carry out (money effects are applied by the close itself). */
const DUE_EFFECTS = [
  'pto_days',
  'raise',
  'warning',
  'coaching',
  'termination_review',
] as const satisfies readonly Effect[]

const days = z.number().int().min(0).max(366)
const dueDays = z.object({
  default: days,
  pto_days: days,
  raise: days,
  warning: days,
  coaching: days,
  termination_review: days,
})
const settings = z
  .object({
    dueDays: dueDays.describe('Days from the period end to an outcome due date, per effect'),
    underPerformers: z
      .object({ k: z.number(), n: z.number() })
      .describe('Bottom quartile in K of the last N closed periods'),
  })
  .meta({ id: 'FollowThroughSettings' })

const parse = (value: unknown): unknown =>
  typeof value === 'string' ? (JSON.parse(value) as unknown) : value

async function setting(tx: Queryable, orgId: string, key: string): Promise<Record<string, unknown>> {
  const [row] = await tx.query<{ value: unknown }>(
    'select value from org_settings where org_id = $1 and key = $2',
    [orgId, key],
  )
  const value = parse(row?.value)
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
}

/** The settings as they apply now: the stored values, else the defaults. */
async function currentSettings(tx: Queryable, orgId: string): Promise<z.infer<typeof settings>> {
  const dueOf = await loadDueDays(tx, orgId)
  const stored = await setting(tx, orgId, DUE_DAYS_KEY)
  const fallback =
    typeof stored.default === 'number' &&
    Number.isInteger(stored.default) &&
    stored.default >= 0 &&
    stored.default <= 366
      ? stored.default
      : DEFAULT_DUE_DAYS
  const kn = await setting(tx, orgId, UNDER_PERFORMERS_SETTING)
  return {
    dueDays: {
      default: fallback,
      pto_days: dueOf('pto_days'),
      raise: dueOf('raise'),
      warning: dueOf('warning'),
      coaching: dueOf('coaching'),
      termination_review: dueOf('termination_review'),
    },
    underPerformers: {
      k: typeof kn.k === 'number' ? kn.k : UNDER_PERFORMER_DEFAULTS.k,
      n: typeof kn.n === 'number' ? kn.n : UNDER_PERFORMER_DEFAULTS.n,
    },
  }
}

/**
 * The organization's follow-through settings (owners and admins): due days per effect for the
 * outcomes a close opens, and K of N for under-performers. Changes go to the audit log.
 */
export async function settingsRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const admins = requireRole('owner', 'admin')

  app.get(
    '/settings/follow-through',
    {
      preHandler: admins,
      schema: {
        tags: ['settings'],
        summary: 'Due days per effect and K of N for under-performers, as they apply now',
        response: { 200: settings, ...errors },
      },
    },
    async (request) => orgTx(request, deps, (tx, principal) => currentSettings(tx, principal.orgId)),
  )

  app.put(
    '/settings/follow-through',
    {
      preHandler: admins,
      schema: {
        tags: ['settings'],
        summary:
          'Change due days (the whole table: `default` and any effects; those left out follow `default`) and/or K of N; closes after this use the new due days',
        body: z.object({
          dueDays: z
            .object({
              default: days.optional(),
              pto_days: days.optional(),
              raise: days.optional(),
              warning: days.optional(),
              coaching: days.optional(),
              termination_review: days.optional(),
            })
            .strict()
            .optional(),
          underPerformers: z
            .object({ k: z.number().int().min(1).max(120), n: z.number().int().min(1).max(120) })
            .optional(),
        }),
        response: { 200: settings, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const now = deps.now()
        const given = request.body.dueDays
        if (given !== undefined) {
          const table: Record<string, number> = {}
          for (const key of ['default', ...DUE_EFFECTS] as const) {
            const value = given[key]
            if (value !== undefined) table[key] = value
          }
          await setDueDays(tx, { orgId: principal.orgId, actor: principal.personId, now, days: table })
        }
        const kn = request.body.underPerformers
        if (kn !== undefined)
          await saveUnderPerformerSetting(tx, {
            orgId: principal.orgId,
            k: kn.k,
            n: kn.n,
            actor: principal.personId,
            now,
          })
        return currentSettings(tx, principal.orgId)
      }),
  )
}
