import { createHash } from 'node:crypto'
import type { Database, Queryable } from '../ports/sql.ts'
import type { Recipient } from './directory.ts'
import { type Block, renderHtml, renderText } from './render.ts'

export type NotificationKind = 'outcome_due' | 'outcome_overdue' | 'pace_warning' | 'weekly_digest'

/** One in-app notification to post (and to email, grouped per recipient). */
export interface Note {
  readonly recipient: Recipient
  readonly kind: NotificationKind
  /** Kind, the ids of what it is about, the period or week; the recipient is added to it. */
  readonly about: string
  readonly subject: string
  readonly blocks: readonly Block[]
  readonly data: Readonly<Record<string, unknown>>
}

/** The email for the notes of one recipient that were new in this run. */
export type Compose = (
  recipient: Recipient,
  notes: readonly Note[],
) => { readonly subject: string; readonly blocks: readonly Block[] }

export interface Posted {
  /** In-app notifications posted now (those posted by an earlier run are not posted again). */
  readonly notifications: number
  /** Emails queued now, one per recipient with an address and something new. */
  readonly emails: number
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 24)

/** The dedupe key of a note: what it is about, and for whom. */
export const dedupeKeyOf = (note: Note): string => `${note.about}:${note.recipient.key}`

/**
 * Posts notes and queues their emails in one transaction: a note whose dedupe key was posted before
 * is skipped; each recipient's new notes make one email (`compose`), queued in the outbox under a
 * key of the recipient and those notes, so a run repeated, or run twice at once, posts and queues
 * once. Ids are derived from the keys. Sending is `deliverOutbox`'s part.
 */
export async function postNotifications(
  db: Database,
  args: { orgId: string; now: Date; notes: readonly Note[]; compose: Compose },
): Promise<Posted> {
  if (args.notes.length === 0) return { notifications: 0, emails: 0 }
  const at = args.now.toISOString()
  return db.transaction(async (tx) => {
    const fresh = new Set<string>()
    for (let start = 0; start < args.notes.length; start += 400) {
      const batch = args.notes.slice(start, start + 400)
      const params: unknown[] = [args.orgId, at]
      const values = batch.map((n) => {
        const key = dedupeKeyOf(n)
        params.push(
          `n_${hash(key)}`,
          n.recipient.personId,
          n.recipient.personId === null ? n.recipient.repId : null,
          n.kind,
          n.subject,
          renderText(n.blocks),
          JSON.stringify(n.data),
          key,
        )
        const p = params.length
        return `($1, $${p - 7}, $${p - 6}, $${p - 5}, $${p - 4}, $${p - 3}, $${p - 2}, $${p - 1}::jsonb, $${p}, $2)`
      })
      const rows = await tx.query<{ dedupe_key: string }>(
        `insert into notifications (org_id, id, person_id, rep_id, kind, subject, body, data, dedupe_key, created_at)
         values ${values.join(', ')} on conflict do nothing returning dedupe_key`,
        params,
      )
      for (const r of rows) fresh.add(r.dedupe_key)
    }
    const byRecipient = new Map<string, Note[]>()
    for (const n of args.notes) {
      if (!fresh.has(dedupeKeyOf(n)) || n.recipient.email === null) continue
      byRecipient.set(n.recipient.key, [...(byRecipient.get(n.recipient.key) ?? []), n])
    }
    let emails = 0
    for (const notes of byRecipient.values()) {
      const first = notes[0]
      if (first === undefined) continue
      const mail = args.compose(first.recipient, notes)
      const keys = notes.map(dedupeKeyOf).sort()
      const key = `${first.kind}:${first.recipient.key}:${hash(keys.join('\n'))}`
      emails += await queueEmail(tx, {
        orgId: args.orgId,
        at,
        key,
        kind: first.kind,
        to: first.recipient.email ?? '',
        subject: mail.subject,
        blocks: mail.blocks,
      })
    }
    return { notifications: fresh.size, emails }
  })
}

/** Queues one email under its dedupe key; 0 when that key was queued before. */
export async function queueEmail(
  tx: Queryable,
  m: {
    orgId: string
    at: string
    key: string
    kind: string
    to: string
    subject: string
    blocks: readonly Block[]
  },
): Promise<number> {
  const rows = await tx.query(
    `insert into outbox (org_id, id, dedupe_key, kind, recipient, subject, text_body, html_body, status, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9) on conflict do nothing returning id`,
    [
      m.orgId,
      `m_${hash(m.key)}`,
      m.key,
      m.kind,
      m.to,
      m.subject,
      renderText(m.blocks),
      renderHtml(m.blocks),
      m.at,
    ],
  )
  return rows.length
}

/** One email per recipient: the note as is, or the notes one after another under the first's subject. */
export const composeEach: Compose = (_, notes) => ({
  subject: `${notes[0]?.subject ?? ''}${notes.length > 1 ? ` (and ${notes.length - 1} more)` : ''}`,
  blocks:
    notes.length === 1
      ? (notes[0]?.blocks ?? [])
      : notes.flatMap((n) => [{ heading: n.subject }, ...n.blocks]),
})
