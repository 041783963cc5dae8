/** The Levenshtein edit distance between two strings (insertions, deletions, substitutions of UTF-16 units). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/**
 * The candidate closest to `word` when it is close enough to be a likely typo (at most a third of
 * its length, at least 1, or the same word in another case); null otherwise. Among equally close
 * candidates the one sharing the longest prefix wins, then the first.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null
  let bestDistance = Infinity
  let bestPrefix = -1
  const lower = word.toLowerCase()
  for (const candidate of candidates) {
    if (candidate === word) continue
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase())
    const prefix = commonPrefix(lower, candidate.toLowerCase())
    if (distance < bestDistance || (distance === bestDistance && prefix > bestPrefix)) {
      best = candidate
      bestDistance = distance
      bestPrefix = prefix
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(word.length, 3) / 3))
  return best !== null && bestDistance <= limit ? best : null
}

/** `; did you mean "x"?` when a candidate is close, else the empty string. */
export function didYouMeanClause(word: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(word, candidates)
  return suggestion === null ? '' : `; did you mean "${suggestion}"?`
}
