import { AE_QUOTA_MRR_CENTS, type Company, employedShare, rampFactor } from './company.ts'
import { type DealBuffer, MANAGED, NONE, PRIMARY_SHARE, SHARE_FRACTIONS } from './deal-buffer.ts'
import type { Prng } from './prng.ts'

/**
 * Sizes the month's managed deals so that every AE's credited MRR (own shares plus shares of
 * teammates' deals, without deals cancelled within the month) lands on the aim: each rep's deals
 * are `scale × weight / own share`, the scales solved by a few Gauss–Seidel sweeps.
 */
export function sizeManagedDeals(
  company: Company,
  prng: Prng,
  buffer: DealBuffer,
  m: number,
  last: number,
  overrides: ReadonlyMap<string, number>,
): void {
  const { people, year } = company
  const n = people.length
  const aim = new Float64Array(n)
  const own = new Float64Array(n)
  for (const p of people) {
    if (p.role !== 'ae') continue
    const quota =
      overrides.get(`${p.id}|${m + 1}`) ??
      AE_QUOTA_MRR_CENTS * employedShare(p, year, m + 1) * rampFactor(p, year, m + 1)
    const form = company.form[p.index * 12 + m] as number
    // Within 1.2% of the form: near enough to keep the story, far enough from round figures.
    if (form > 0) aim[p.index] = quota * form * (1 + 0.024 * (prng.float() - 0.5))
  }
  const kept = (i: number): boolean =>
    buffer.type[i] === MANAGED &&
    ((buffer.cancelDay[i] as number) === NONE || (buffer.cancelDay[i] as number) > last)
  const add = (to: Float64Array, at: number, x: number): void => {
    to[at] = (to[at] as number) + x
  }
  for (let i = 0; i < buffer.length; i++)
    if (kept(i)) add(own, buffer.rep[i] as number, buffer.weight[i] as number)
  const scale = new Float64Array(n)
  const fromPartners = new Float64Array(n)
  const sharesOf = (): void => {
    fromPartners.fill(0)
    for (let i = 0; i < buffer.length; i++) {
      const pattern = buffer.pattern[i] as number
      if (pattern === 0 || !kept(i)) continue
      const shares = SHARE_FRACTIONS[pattern] as readonly number[]
      const mrr =
        ((scale[buffer.rep[i] as number] as number) * (buffer.weight[i] as number)) / (shares[0] as number)
      add(fromPartners, buffer.partner1[i] as number, mrr * (shares[1] as number))
      if (shares.length > 2) add(fromPartners, buffer.partner2[i] as number, mrr * (shares[2] as number))
    }
  }
  for (let round = 0; round < 3; round++) {
    for (let sweep = 0; sweep < 6; sweep++) {
      sharesOf()
      for (let r = 0; r < n; r++) {
        const ownWeight = own[r] as number
        scale[r] =
          ownWeight === 0
            ? 0
            : Math.max(0.1 * (aim[r] as number), (aim[r] as number) - (fromPartners[r] as number)) / ownWeight
      }
    }
    // A teammate whose shares of others' deals would carry them far past their own aim is left
    // out of those deals: the rep closed them alone after all.
    sharesOf()
    let changed = false
    for (let i = 0; i < buffer.length; i++) {
      if (buffer.pattern[i] === 0 || !kept(i)) continue
      const over = (q: number): boolean =>
        q !== NONE && (fromPartners[q] as number) > 0.5 * (aim[q] as number)
      if (over(buffer.partner1[i] as number) || over(buffer.partner2[i] as number)) {
        buffer.pattern[i] = 0
        buffer.partner1[i] = NONE
        buffer.partner2[i] = NONE
        changed = true
      }
    }
    if (!changed) break
  }
  for (let i = 0; i < buffer.length; i++) {
    if (buffer.type[i] !== MANAGED) continue
    const r = buffer.rep[i] as number
    const s = (scale[r] as number) || (aim[r] as number) / Math.max(1, own[r] as number) || AE_QUOTA_MRR_CENTS
    const exact = (s * (buffer.weight[i] as number)) / (PRIMARY_SHARE[buffer.pattern[i] as number] as number)
    // Most prices are whole dollars; per-seat prices have cents.
    const cents = prng.chance(0.6) ? Math.round(exact / 100) * 100 : Math.round(exact)
    buffer.mrrCents[i] = Math.max(4900, cents)
  }
}
