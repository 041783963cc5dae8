import { DomainError } from '../../core/domain-error.ts'
import { MONEY_EFFECTS, type Outcome } from './outcome-record.ts'

/** Refuses acting on an item that is no longer open (applied, waived, void) or a money effect. */
export function requireOpen(o: Outcome): void {
  if (o.state === 'applied') {
    const decided = o.effect === 'termination_review'
    throw new DomainError(
      decided ? 'outcome.already_decided' : 'outcome.already_applied',
      `Outcome ${o.id} was already ${decided ? 'decided' : 'applied'} by ${o.appliedBy ?? o.decidedBy ?? '?'} at ${o.appliedAt ?? '?'}.`,
      { outcome: o.id, state: o.state },
    )
  }
  if (o.state === 'waived') {
    throw new DomainError(
      'outcome.already_waived',
      `Outcome ${o.id} was waived by ${o.waivedBy ?? '?'}: ${o.waiveReason ?? ''}`,
      {
        outcome: o.id,
        state: o.state,
      },
    )
  }
  if (o.state === 'void') {
    throw new DomainError('outcome.already_void', `Outcome ${o.id} is void: ${o.voidReason ?? ''}`, {
      outcome: o.id,
      state: o.state,
    })
  }
  if (MONEY_EFFECTS.includes(o.effect)) {
    throw new DomainError(
      'outcome.conflict_money_effect',
      `A ${o.effect} is carried out by the close itself.`,
      {
        outcome: o.id,
      },
    )
  }
}

/** A written text: trimmed and not empty, or `<code>` (e.g. outcome.reason_required). */
export function requireText(value: string | undefined | null, code: string, what: string): string {
  const text = (value ?? '').trim()
  if (text === '') throw new DomainError(code, `${what} is required.`)
  return text
}
