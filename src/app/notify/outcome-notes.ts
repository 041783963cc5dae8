import { type Currency, formatMoneyForPeople } from '../../core/money/money.ts'
import type { Queryable } from '../ports/sql.ts'
import type { Directory, Recipient } from './directory.ts'
import type { Compose, Note, NotificationKind } from './post-notifications.ts'
import { type Block, count, dateForPeople } from './render.ts'

/** An outcome to be carried out, as notifications describe it. */
export interface OutcomeToNotify {
  readonly id: string
  readonly period: string
  readonly repId: string
  readonly rule: string
  readonly effect: string
  /** The effect's value as the calc JSON writes it. */
  readonly detail: unknown
  /** 'YYYY-MM-DD'; null when not set. */
  readonly dueOn: string | null
  /** The owner's rep id (the rep's manager); null when nobody owns it. */
  readonly owner: string | null
}

/** Outcomes in one state ('due' or 'overdue'), not voided, oldest due first. */
export async function listOutcomesInState(
  db: Queryable,
  orgId: string,
  state: 'due' | 'overdue',
): Promise<OutcomeToNotify[]> {
  const rows = await db.query<{
    id: string
    period: string
    rep_id: string
    rule: string
    effect: string
    detail: unknown
    due_on: string | null
    owner: string | null
  }>(
    `select id, period, rep_id, rule, effect, detail, due_on::text as due_on, owner from outcomes
      where org_id = $1 and state = $2 and effect is not null and voided_at is null
      order by due_on nulls last, id`,
    [orgId, state],
  )
  return rows.map((r) => ({
    id: r.id,
    period: r.period,
    repId: r.rep_id,
    rule: r.rule,
    effect: r.effect,
    // The port returns jsonb parsed: a string here is the JSON string itself (a warning's text).
    detail: r.detail,
    dueOn: r.due_on,
    owner: r.owner === '' ? null : r.owner,
  }))
}

/** One effect in words from its calc JSON value ("2 days of paid time off", "a formal warning: “…”"). */
export function describeOutcomeEffect(effect: string, detail: unknown, currency: Currency): string {
  const quoted = typeof detail === 'string' && detail !== '' ? `: “${detail}”` : ''
  switch (effect) {
    case 'pto_days':
      return `${String(detail)} ${Number(detail) === 1 ? 'day' : 'days'} of paid time off`
    case 'raise': {
      const pct = typeof detail === 'string' || typeof detail === 'number' ? percentOf(String(detail)) : null
      return pct === null ? 'a salary raise' : `a salary raise of ${pct}`
    }
    case 'warning':
      return `a formal warning${quoted}`
    case 'termination_review':
      return `a termination review${quoted}`
    case 'coaching': {
      const c = detail as { periods?: number; program?: string } | null
      const program = typeof c?.program === 'string' ? ` (${c.program})` : ''
      return `a coaching plan${program}`
    }
    case 'bonus':
      return typeof detail === 'number'
        ? `a ${formatMoneyForPeople(BigInt(detail), currency)} bonus`
        : 'a bonus'
    default:
      return effect.replace(/_/g, ' ')
  }
}

/** "0.03" → "3%", exact for a decimal factor; null when not a decimal. */
function percentOf(factor: string): string | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(factor)
  if (m === null) return null
  const digits = (m[2] ?? '') + (m[3] ?? '')
  const scale = (m[3] ?? '').length - 2
  const padded = scale > 0 ? digits.padStart(scale + 1, '0') : digits + '0'.repeat(-scale)
  const whole = scale > 0 ? padded.slice(0, -scale) : padded
  const frac = scale > 0 ? padded.slice(-scale).replace(/0+$/, '') : ''
  return `${m[1]}${whole.replace(/^0+(?=\d)/, '')}${frac === '' ? '' : `.${frac}`}%`
}

const WORDS: Record<'outcome_due' | 'outcome_overdue', { state: string; action: string }> = {
  outcome_due: {
    state: 'Due',
    action:
      'Carry it out by the due date and record what was done, or ask for a waiver with a written reason (a second person approves it).',
  },
  outcome_overdue: {
    state: 'Overdue',
    action:
      'It was neither applied nor waived by its due date. Carry it out and record what was done, or ask for a waiver with a written reason.',
  },
}

/** The notes of outcomes: each to its owner (to the owners and admins when it has none), and with `alsoExecutives` to them too. */
export function outcomeNotes(
  kind: 'outcome_due' | 'outcome_overdue',
  items: readonly OutcomeToNotify[],
  dir: Directory,
  alsoExecutives: boolean,
): Note[] {
  const notes: Note[] = []
  for (const o of items) {
    const what = describeOutcomeEffect(o.effect, o.detail, dir.currency)
    const rep = dir.repName(o.repId)
    const due = o.dueOn === null ? '' : ` by ${dateForPeople(o.dueOn)}`
    const subject = `${WORDS[kind].state}${kind === 'outcome_due' ? due : ''}: ${what} for ${rep} (${o.period})`
    const owner = o.owner === null ? null : dir.rep(o.owner)
    const recipients = new Map<string, Recipient>()
    if (owner !== null) recipients.set(owner.key, owner)
    if (owner === null || alsoExecutives) for (const e of dir.executives) recipients.set(e.key, e)
    for (const recipient of recipients.values()) {
      const yours = owner !== null && recipient.key === owner.key
      const blocks: Block[] = [
        {
          p: `${rep}'s plan states ${what} (rule ${o.rule}, period ${o.period}).${o.dueOn === null ? '' : ` It is due on ${dateForPeople(o.dueOn)}.`}`,
        },
        {
          p: yours
            ? `You own it. ${WORDS[kind].action} In the app, or: followthrough outcomes apply ${o.id} --note "what was done" (or: followthrough outcomes waive ${o.id} --reason "why").`
            : owner === null
              ? 'Nobody owns it (the rep had no manager at the close): an owner or admin carries it out and records it, or asks for a waiver with a written reason.'
              : `Its owner is ${owner.name}. You are told as an owner or admin of the organization.`,
        },
      ]
      notes.push({
        recipient,
        kind,
        about: `${kind}:${o.id}`,
        subject,
        blocks,
        data: {
          outcome: o.id,
          rep: o.repId,
          period: o.period,
          effect: o.effect,
          dueOn: o.dueOn,
          owner: o.owner,
        },
      })
    }
  }
  return notes
}

/** Up to this many items, a grouped email describes each in full; beyond, it lists them. */
const DETAILED_ITEMS = 5

/** One email per recipient: the single note as is, or a list of every new item. */
export function composeOutcomes(kind: NotificationKind): Compose {
  return (recipient, notes) => {
    const [only] = notes
    if (notes.length === 1 && only !== undefined)
      return { subject: only.subject, blocks: [{ p: `Hello ${recipient.name},` }, ...only.blocks] }
    const word = kind === 'outcome_due' ? 'due' : 'overdue'
    return {
      subject: `${count(notes.length, 'follow-through item')} ${notes.length === 1 ? 'is' : 'are'} ${word}`,
      blocks: [
        { p: `Hello ${recipient.name},` },
        { p: `These stated outcomes are ${word}:` },
        { list: notes.map((n) => n.subject) },
        // Each item in full while the mail stays readable; past that, where to act on them.
        ...(notes.length <= DETAILED_ITEMS
          ? notes.flatMap((n): Block[] => [{ heading: n.subject }, ...n.blocks])
          : [
              {
                p: `Each one is carried out and recorded as applied, or waived with a written reason and a second person's approval. In the app, or: followthrough outcomes --state ${word}`,
              },
            ]),
      ],
    }
  }
}
