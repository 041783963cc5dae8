import type { Queryable } from '../ports/sql.ts'
import type { Effect } from './outcome-record.ts'

/** The organization setting holding due days per effect, e.g. `{"default": 7, "warning": 3}`. */
export const DUE_DAYS_KEY = 'followthrough.due_days'
export const DEFAULT_DUE_DAYS = 7

/** Days from the period's last day to an item's due date, per effect (default 7; whole days 0–366). */
export async function loadDueDays(db: Queryable, orgId: string): Promise<(effect: Effect) => number> {
  const [row] = await db.query<{ value: unknown }>(
    'select value from org_settings where org_id = $1 and key = $2',
    [orgId, DUE_DAYS_KEY],
  )
  const value = typeof row?.value === 'string' ? (JSON.parse(row.value) as unknown) : row?.value
  const table = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const days = (v: unknown): number | null =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 366 ? v : null
  const fallback = days(table.default) ?? DEFAULT_DUE_DAYS
  return (effect) => days(table[effect]) ?? fallback
}

/** Sets the due days per effect (`default` and effect names); kept in org_settings, the change in the audit log. */
export async function setDueDays(
  db: Queryable,
  args: { orgId: string; actor: string; now: Date; days: Readonly<Record<string, number>> },
): Promise<void> {
  const [before] = await db.query<{ value: unknown }>(
    'select value from org_settings where org_id = $1 and key = $2',
    [args.orgId, DUE_DAYS_KEY],
  )
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'settings.change', $4, $5, $6)`,
    [
      args.orgId,
      args.now.toISOString(),
      args.actor,
      DUE_DAYS_KEY,
      before === undefined ? null : JSON.stringify(before.value),
      JSON.stringify(args.days),
    ],
  )
  await db.query(
    `insert into org_settings (org_id, key, value, updated_at, updated_by) values ($1, $2, $3, $4, $5)
     on conflict (org_id, key) do update set value = $3, updated_at = $4, updated_by = $5`,
    [args.orgId, DUE_DAYS_KEY, JSON.stringify(args.days), args.now.toISOString(), args.actor],
  )
}
