import {
  add,
  cmp,
  type Rational,
  mul,
  one,
  ratio,
  roundHalfAwayFromZero,
  sub,
  zero,
} from '../money/rational.ts'
import type { Commission, Tier } from '../plans/plan.ts'

/**
 * Pays tiers on a value against a quota, exactly, in the value's units × rate.
 * Marginal: each slice between bound × quota marks at its own rate. Retroactive: the whole value
 * at the rate of the tier holding the attainment (exactly at a bound is the upper tier).
 */
export function payTiers(
  value: Rational,
  quota: Rational,
  tiers: readonly Tier[],
  mode: 'marginal' | 'retroactive',
): Rational {
  if (mode === 'retroactive') {
    const attainment = ratio(value.n * quota.d, value.d * quota.n)
    const tier = tiers.find((t) => t.to === null || cmp(attainment, t.to) < 0) ?? tiers[tiers.length - 1]
    return tier === undefined ? zero() : mul(value, tier.rate)
  }
  let total = zero()
  let lower = zero()
  const uppers = uppersOf(tiers, quota)
  for (let t = 0; t < tiers.length; t++) {
    const tier = tiers[t] as Tier
    if (cmp(value, lower) <= 0) break
    const upper = uppers[t] as Rational | null
    const top = upper === null || cmp(value, upper) < 0 ? value : upper
    total = add(total, mul(sub(top, lower), tier.rate))
    if (upper === null) break
    lower = upper
  }
  return total
}

// The bounds bound × quota of a tier list, kept for the last quota seen: reps of one plan share
// the plan's quota object unless ramped, prorated or overridden (ADR 0008).
const lastUppers = new WeakMap<readonly Tier[], { quota: Rational; uppers: (Rational | null)[] }>()

function uppersOf(tiers: readonly Tier[], quota: Rational): (Rational | null)[] {
  const held = lastUppers.get(tiers)
  if (held !== undefined && held.quota === quota) return held.uppers
  const uppers = tiers.map((tier) => (tier.to === null ? null : mul(tier.to, quota)))
  lastUppers.set(tiers, { quota, uppers })
  return uppers
}

// A commission's cap in currency units, made once per commission and currency unit.
const caps = new WeakMap<Commission, { unit: bigint; cap: Rational | null }>()

function capOf(commission: Commission, unit: bigint): Rational | null {
  const held = caps.get(commission)
  if (held !== undefined && held.unit === unit) return held.cap
  const cap = commission.capMinor === null ? null : ratio(commission.capMinor, unit)
  caps.set(commission, { unit, cap })
  return cap
}

/** A commission line's money: paid, forfeited by the gate and capped, each in minor units rounded once. */
export interface CommissionAmounts {
  readonly amountMinor: bigint
  readonly forfeitedMinor: bigint
  readonly cappedMinor: bigint
}

/**
 * Applies one commission to a rep's period: rate or tiers, then gate, boosts (each adds its factor),
 * cap, and one rounding half away from zero. `attainment` and `quota` are null without a quota;
 * returns null when the rule needs a quota the rep lacks.
 */
export function applyCommission(
  commission: Commission,
  value: Rational,
  quota: Rational | null,
  boostBy: Rational,
  digits: number,
): CommissionAmounts | null {
  const needsQuota = commission.tiers !== null || commission.gate !== null
  if (needsQuota && quota === null) return null
  let base: Rational
  if (commission.tiers !== null && quota !== null)
    base = payTiers(value, quota, commission.tiers, commission.tiered)
  else base = mul(value, commission.rate ?? zero())
  const boosted = boostBy.n === 0n ? base : mul(base, add(one(), boostBy))
  const unit = 10n ** BigInt(digits)
  const cap = capOf(commission, unit)
  const kept = cap !== null && cmp(boosted, cap) > 0 ? cap : boosted
  const cappedMinor = kept === boosted ? 0n : toMinor(sub(boosted, kept), unit)
  const keptMinor = toMinor(kept, unit)
  const gated =
    commission.gate !== null &&
    quota !== null &&
    value.n * quota.d * commission.gate.d < commission.gate.n * value.d * quota.n
  return gated
    ? { amountMinor: 0n, forfeitedMinor: keptMinor, cappedMinor }
    : { amountMinor: keptMinor, forfeitedMinor: 0n, cappedMinor }
}

/** Currency units to minor units, rounded half away from zero. */
function toMinor(amount: Rational, unit: bigint): bigint {
  return roundHalfAwayFromZero({ n: amount.n * unit, d: amount.d })
}
