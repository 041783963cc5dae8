import { z } from 'zod'
import { DomainError } from '../../core/domain-error.ts'

/** `limit` (1–500, default 100) and an opaque `cursor` from the previous page's `nextCursor`. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(1000).optional(),
}

/** A page of items and the cursor of the next page (null on the last). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() })

/** The cursor of the row after which the next page starts: its sort key, opaque to clients. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** The sort key of a cursor; a refusal (400) when it was not made by encodeCursor. */
export function decodeCursor(cursor: string | undefined, length: number): (string | number)[] | null {
  if (cursor === undefined) return null
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(key) &&
      key.length === length &&
      key.every((k) => typeof k === 'string' || typeof k === 'number')
    ) {
      return key as (string | number)[]
    }
  } catch {
    // fall through to the refusal
  }
  throw new DomainError('request.bad_cursor', 'The cursor is not one this API gave.', { cursor })
}

/** Cuts limit + 1 fetched rows to a page, with the next cursor when there were more. */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  keyOf: (row: R) => (string | number)[],
  map: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  }
}
