import { studentTQuantile } from './student-t.ts'

/** Mean and sample variance (n − 1) of a sample; variance 0 for one value. */
export function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  const n = xs.length
  if (n === 0) return { mean: Number.NaN, variance: Number.NaN }
  const mean = xs.reduce((s, x) => s + x, 0) / n
  if (n === 1) return { mean, variance: 0 }
  const variance = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0) / (n - 1)
  return { mean, variance }
}

export interface WelchInterval {
  /** mean(a) − mean(b). */
  readonly difference: number
  readonly low: number
  readonly high: number
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number
  readonly meanA: number
  readonly meanB: number
  readonly nA: number
  readonly nB: number
}

/**
 * Welch's confidence interval for mean(a) − mean(b) (unequal variances), with Welch–Satterthwaite
 * degrees of freedom; needs at least 2 values in each sample. When both variances are 0 the
 * interval is the difference itself.
 */
export function welchInterval(a: readonly number[], b: readonly number[], level = 0.95): WelchInterval {
  if (a.length < 2 || b.length < 2) throw new RangeError('Welch needs at least 2 values per sample')
  const x = meanAndVariance(a)
  const y = meanAndVariance(b)
  const va = x.variance / a.length
  const vb = y.variance / b.length
  const se = Math.sqrt(va + vb)
  const difference = x.mean - y.mean
  const base = { difference, meanA: x.mean, meanB: y.mean, nA: a.length, nB: b.length }
  if (se === 0) return { ...base, low: difference, high: difference, df: a.length + b.length - 2 }
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  const t = studentTQuantile(1 - (1 - level) / 2, df)
  return { ...base, low: difference - t * se, high: difference + t * se, df }
}
