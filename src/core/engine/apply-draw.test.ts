import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyDraw } from './apply-draw.ts'

const amounts = (lines: { kind: string; amountMinor: bigint }[]) => lines.map((l) => [l.kind, l.amountMinor])

describe('applyDraw', () => {
  it.each([
    // no draw: a negative total is carried, a later positive one recovers it
    { earned: -30_000n, balance: 0n, draw: null, lines: [['carry', 30_000n]], after: 30_000n },
    { earned: 50_000n, balance: 30_000n, draw: null, lines: [['recovery', -30_000n]], after: 0n },
    { earned: 10_000n, balance: 30_000n, draw: null, lines: [['recovery', -10_000n]], after: 20_000n },
    // recoverable draw of 1,500.00: 1,000.00 earned → draw 500.00 owed back later
    {
      earned: 100_000n,
      balance: 0n,
      draw: { amountMinor: 150_000n, recoverable: true },
      lines: [['draw', 50_000n]],
      after: 50_000n,
    },
    // 1,800.00 earned with 500.00 owed: recover min(500, 1,800 − 1,500) = 300
    {
      earned: 180_000n,
      balance: 50_000n,
      draw: { amountMinor: 150_000n, recoverable: true },
      lines: [['recovery', -30_000n]],
      after: 20_000n,
    },
    // E < 0 with a recoverable draw: pays D, the line is D − E
    {
      earned: -20_000n,
      balance: 0n,
      draw: { amountMinor: 150_000n, recoverable: true },
      lines: [['draw', 170_000n]],
      after: 170_000n,
    },
    // non-recoverable: tops up to D without growing the balance
    {
      earned: 100_000n,
      balance: 0n,
      draw: { amountMinor: 150_000n, recoverable: false },
      lines: [['draw', 50_000n]],
      after: 0n,
    },
    // non-recoverable with E < 0: carry −E, then a draw of D
    {
      earned: -20_000n,
      balance: 0n,
      draw: { amountMinor: 150_000n, recoverable: false },
      lines: [
        ['carry', 20_000n],
        ['draw', 150_000n],
      ],
      after: 20_000n,
    },
  ])('adds $lines when earned $earned owing $balance', ({ earned, balance, draw, lines, after }) => {
    const out = applyDraw(earned, balance, draw)
    expect(amounts(out.lines)).toEqual(lines)
    expect(out.balanceMinor).toBe(after)
  })

  it('never pays a negative amount and never loses what is owed', () => {
    const draw = fc.option(
      fc.record({ amountMinor: fc.bigInt({ min: 0n, max: 10n ** 7n }), recoverable: fc.boolean() }),
    )
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 8n), max: 10n ** 8n }),
        fc.bigInt({ min: 0n, max: 10n ** 8n }),
        draw,
        (e, b, d) => {
          const out = applyDraw(e, b, d)
          const payout = e + out.lines.reduce((s, l) => s + l.amountMinor, 0n)
          const topUp = out.lines
            .filter((l) => l.kind === 'draw' && d !== null && !d.recoverable)
            .reduce((s, l) => s + l.amountMinor, 0n)
          // what was earned = what was paid − the growth of the balance (+ a non-recoverable top-up)
          return payout >= 0n && out.balanceMinor >= 0n && e === payout - (out.balanceMinor - b) - topUp
        },
      ),
    )
  })
})
