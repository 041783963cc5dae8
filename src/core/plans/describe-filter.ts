const FIELD = String.raw`(deal|activity)\.([a-z_][a-z0-9_]*)`
const TEXT = String.raw`(?:"([^"\\]*)"|'([^'\\]*)')`
const EQUALS_TEXT = new RegExp(String.raw`^${FIELD}\s*(==|!=)\s*${TEXT}$`)
const COMPARES_NUMBER = new RegExp(String.raw`^${FIELD}\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)$`)
const NUMBER_WORDS: Readonly<Record<string, string>> = {
  '>=': 'of N or more',
  '<=': 'of N or less',
  '==': 'of N',
  '>': 'above N',
  '<': 'below N',
}

/**
 * The deals or activities a `where` keeps, in words ("managed deals", "deals with term_months of 36
 * or more"); the CEL text quoted when it is more than a conjunction of simple comparisons.
 */
export function describeFilter(source: string | null, noun: 'deals' | 'activities'): string {
  if (source === null) return noun
  const parts = source.includes('||') || /[()?]/.test(source) ? null : source.split('&&').map((p) => p.trim())
  const adjectives: string[] = []
  const qualifiers: string[] = []
  for (const part of parts ?? []) {
    const text = EQUALS_TEXT.exec(part)
    const number = COMPARES_NUMBER.exec(part)
    const field = text?.[2] ?? number?.[2] ?? ''
    const kindField = field === (noun === 'deals' ? 'type' : 'kind')
    if (text !== null && kindField && text[3] === '==') adjectives.push(text[4] ?? text[5] ?? '')
    else if (text !== null && text[3] === '==') qualifiers.push(`with ${field} ${text[4] ?? text[5] ?? ''}`)
    else if (text !== null) qualifiers.push(`with ${field} other than ${text[4] ?? text[5] ?? ''}`)
    else if (number !== null)
      qualifiers.push(`with ${field} ${(NUMBER_WORDS[number[3] ?? ''] ?? '').replace('N', number[4] ?? '')}`)
    else return `${noun} matching \`${source}\``
  }
  if (parts === null) return `${noun} matching \`${source}\``
  return [...adjectives, noun, ...(qualifiers.length > 0 ? [qualifiers.join(' and ')] : [])].join(' ')
}
