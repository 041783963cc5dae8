import { z } from 'zod'
import { errorBody } from './errors.ts'

/** Error responses every route documents: the one error body. */
export const errors = { '4xx': errorBody, '5xx': errorBody } as const

export const ok = z.object({ ok: z.literal(true) })

/** A local date, 'YYYY-MM-DD'. */
export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')

/** A period key: '2026-01', '2026-Q1' or '2026'. */
export const periodKey = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/, 'a period 2026-01, 2026-Q1 or 2026')

export const roleSchema = z.enum(['owner', 'admin', 'finance', 'manager', 'rep'])

/** An instant from the database as ISO 8601 UTC. */
export const isoOf = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()

export const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : isoOf(value)
