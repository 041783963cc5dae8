import { describe, expect, it } from 'vitest'
import { formatOutcomes } from '../../src/adapters/cli/outcomes-command.ts'
import { requireApprover } from '../../src/app/followthrough/approve-waiver.ts'
import { requireOpen, requireText } from '../../src/app/followthrough/outcome-checks.ts'
import type { Actor, Outcome } from '../../src/app/followthrough/outcome-record.ts'

const base: Outcome = {
  id: '0123456789abcdef',
  closeId: 'c1',
  period: '2026-01',
  repId: 'r04',
  planId: 'msp-ae',
  rule: 'warn-on-miss',
  effect: 'warning',
  detail: 'Below the monthly MRR goal',
  state: 'due',
  dueOn: '2026-02-07',
  owner: 'm1',
  openedAt: '2026-02-02T00:00:00.000Z',
  appliedAt: null,
  appliedBy: null,
  appliedNote: null,
  appliedDetail: null,
  waiveRequestedBy: null,
  waiveRequestedAt: null,
  waiveReason: null,
  waivedBy: null,
  waivedAt: null,
  overdueAt: null,
  decision: null,
  decisionReason: null,
  decidedBy: null,
  decidedAt: null,
  voidedAt: null,
  voidReason: null,
}
const requested: Outcome = {
  ...base,
  waiveRequestedBy: 'adam',
  waiveRequestedAt: '2026-02-03T00:00:00.000Z',
  waiveReason: 'x',
}
const code = (f: () => void): string | null => {
  try {
    f()
    return null
  } catch (error) {
    return (error as { code: string }).code
  }
}

describe('requireApprover', () => {
  it.each<[Actor, Outcome, string | null]>([
    [{ id: 'olga', role: 'owner' }, requested, null],
    [{ id: 'eve', role: 'admin' }, requested, null],
    [{ id: 'adam', role: 'admin' }, requested, 'outcome.forbidden_self_approval'],
    [{ id: 'rita', role: 'rep' }, requested, 'outcome.forbidden_rep_approval'],
    [{ id: 'mia', role: 'manager' }, requested, 'outcome.forbidden'],
    [{ id: 'fin', role: 'finance' }, requested, 'outcome.forbidden'],
    [{ id: 'olga', role: 'owner' }, base, 'outcome.conflict_no_waiver'],
    // a rep is refused before anything else is looked at
    [{ id: 'rita', role: 'rep' }, base, 'outcome.forbidden_rep_approval'],
  ])('%o approving → %s', (actor, outcome, expected) => {
    expect(code(() => requireApprover(actor, outcome as Outcome))).toBe(expected as string | null)
  })
})

describe('requireOpen', () => {
  it.each<[Partial<Outcome>, string | null]>([
    [{ state: 'due' }, null],
    [{ state: 'overdue' }, null],
    [{ state: 'applied' }, 'outcome.already_applied'],
    [{ state: 'applied', effect: 'termination_review' }, 'outcome.already_decided'],
    [{ state: 'waived' }, 'outcome.already_waived'],
    [{ state: 'void' }, 'outcome.already_void'],
    [{ state: 'due', effect: 'bonus' }, 'outcome.conflict_money_effect'],
  ])('%o → %s', (patch, expected) => {
    expect(code(() => requireOpen({ ...base, ...patch }))).toBe(expected)
  })
})

describe('requireText', () => {
  it('trims, and refuses empty text with the code given', () => {
    expect(requireText('  a reason ', 'outcome.reason_required', 'A reason')).toBe('a reason')
    expect(code(() => requireText(' \n', 'outcome.reason_required', 'A reason'))).toBe(
      'outcome.reason_required',
    )
    expect(code(() => requireText(undefined, 'outcome.reason_required', 'A reason'))).toBe(
      'outcome.reason_required',
    )
  })
})

describe('formatOutcomes', () => {
  it('aligns columns with short ids and says who asked and who approved a waiver', () => {
    const text = formatOutcomes([
      requested,
      {
        ...base,
        id: 'fedcba9876543210',
        state: 'waived',
        waiveRequestedBy: 'adam',
        waivedBy: 'olga',
        effect: 'pto_days',
        detail: 1,
      },
    ])
    expect(text).toBe(
      [
        'id        period   rep  rule          effect                              owner  due         state',
        '01234567  2026-01  r04  warn-on-miss  warning Below the monthly MRR goal  m1     2026-02-07  due, waiver asked by adam',
        'fedcba98  2026-01  r04  warn-on-miss  pto_days 1                          m1     2026-02-07  waived (adam → olga)',
        '',
      ].join('\n'),
    )
  })
})
