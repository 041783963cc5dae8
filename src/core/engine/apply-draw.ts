import type { Draw } from '../plans/plan.ts'
import type { Line } from './result.ts'

const line = (kind: 'draw' | 'carry' | 'recovery', amountMinor: bigint): Line => ({
  kind,
  amountMinor,
  forfeitedMinor: 0n,
  cappedMinor: 0n,
})

/**
 * Step 8 of a period: given E (the sum of the period's lines after forfeits, minor units) and what
 * the rep owes, adds the carry or recovery line and then the draw line, so the payout is never
 * negative and what is owed is carried, never lost. Returns the lines in that order and the new balance.
 */
export function applyDraw(
  earnedMinor: bigint,
  balanceMinor: bigint,
  draw: Draw | null,
): { lines: Line[]; balanceMinor: bigint } {
  const lines: Line[] = []
  const recoverable = draw === null || draw.recoverable
  const guaranteed = recoverable && draw !== null ? draw.amountMinor : 0n
  let balance = balanceMinor
  if (earnedMinor < guaranteed) {
    const top = guaranteed - earnedMinor
    lines.push(line(guaranteed === 0n ? 'carry' : 'draw', top))
    balance += top
  } else {
    const recovered = balance < earnedMinor - guaranteed ? balance : earnedMinor - guaranteed
    if (recovered > 0n) {
      lines.push(line('recovery', -recovered))
      balance -= recovered
    }
  }
  if (!recoverable && draw !== null) {
    const paid = earnedMinor + lines.reduce((s, l) => s + l.amountMinor, 0n)
    if (paid < draw.amountMinor) lines.push(line('draw', draw.amountMinor - paid))
  }
  return { lines, balanceMinor: balance }
}
