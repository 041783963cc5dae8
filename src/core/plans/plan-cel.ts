import { isScalar, type Node, type Scalar } from 'yaml'
import { compileCel, type CelProgram, type CelUse } from './cel.ts'
import { didYouMeanClause } from './did-you-mean.ts'
import type { PlanReader } from './plan-reader.ts'
import { COACHING_FIELDS, METRIC_MAPS, WHEN_VARIABLES } from './plan-schema-keys.ts'

const VARIABLES: Readonly<Record<CelUse, readonly string[]>> = {
  when: WHEN_VARIABLES,
  'deal-where': ['deal', 'rep'],
  'activity-where': ['activity', 'rep'],
}

/**
 * Compiles the CEL expression of a scalar for a use and checks the metric ids it reads by key
 * (`attainment.M`, `value["M"]`, ...) and the fields of `coaching`. Issues point inside the
 * expression, at their line and column in the file.
 */
export function readCel(
  r: PlanReader,
  node: Node | null,
  what: string,
  use: CelUse,
  metrics: ReadonlySet<string>,
): CelProgram | null {
  if (node === null) return null
  if (!isScalar(node) || typeof node.value === 'object') {
    r.report(node, `${what} must be a CEL expression written as text`)
    return null
  }
  const source = typeof node.value === 'string' ? node.value : r.literal(node)
  if (source.trim() === '') {
    r.report(node, `${what} must not be empty`)
    return null
  }
  const at = (index: number): number => sourceOffset(r.source, node, source, index)
  const compiled = compileCel(source, use)
  if (!compiled.ok) {
    r.reportAt(at(compiled.offset), celError(compiled.message, what, use))
    return null
  }
  let ok = true
  for (const { variable, key, offset } of compiled.program.keys) {
    const keyIndex = Math.max(offset, source.indexOf(key, offset + variable.length))
    if (use === 'when' && METRIC_MAPS.includes(variable) && !metrics.has(key)) {
      const known = metrics.size === 0 ? 'none' : [...metrics].join(', ')
      const hint = didYouMeanClause(key, metrics)
      r.reportAt(
        at(keyIndex),
        `${what} reads ${variable}.${key}, but the plan defines no metric "${key}"${hint} (metrics: ${known})`,
      )
      ok = false
    } else if (use === 'when' && variable === 'coaching' && !COACHING_FIELDS.includes(key)) {
      const hint = didYouMeanClause(key, COACHING_FIELDS)
      r.reportAt(
        at(keyIndex),
        `${what} reads coaching.${key}, which is never set${hint} (coaching has: ${COACHING_FIELDS.join(', ')})`,
      )
      ok = false
    }
  }
  return ok ? compiled.program : null
}

function celError(message: string, what: string, use: CelUse): string {
  if (message.startsWith('must be a bool')) return `${what} ${message}`
  const unknown = /^Unknown variable: (\S+)/.exec(message)
  if (unknown !== null) {
    const name = unknown[1] ?? ''
    const names = VARIABLES[use]
    return `invalid CEL in ${what}: unknown name "${name}"${didYouMeanClause(name, names)} (it can read: ${names.join(', ')})`
  }
  return `invalid CEL in ${what}: ${message}`
}

/**
 * The offset in the file of character `index` of a scalar's value. Exact for plain scalars and for
 * single- and double-quoted scalars on one line (escapes included); lines folded or indented in
 * other scalars are followed by matching the value's characters against the source in order.
 */
export function sourceOffset(text: string, node: Scalar, value: string, index: number): number {
  const range = node.range
  if (range === null || range === undefined) return 0
  const [start, end] = range
  const raw = text.slice(start, end)
  const oneLine = !raw.includes('\n')
  if (node.type === 'PLAIN' && raw === value) return start + Math.min(index, value.length)
  if (oneLine && node.type === 'QUOTE_SINGLE') return walkQuoted(text, start + 1, index, singleQuotedWidth)
  if (oneLine && node.type === 'QUOTE_DOUBLE') return walkQuoted(text, start + 1, index, doubleQuotedWidth)
  const isBlock = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED'
  let j = isBlock ? text.indexOf('\n', start) + 1 : node.type === 'PLAIN' ? start : start + 1
  for (let k = 0; k < index && k < value.length; k++) {
    const found = text.indexOf(value[k] ?? '', j)
    if (found < 0 || found >= end) return j
    j = found + 1
  }
  const next = index < value.length ? text.indexOf(value[index] ?? '', j) : -1
  return next >= 0 && next < end ? next : j
}

/** Walks a quoted scalar from its first content offset: each value character spans `width` source characters. */
function walkQuoted(
  text: string,
  from: number,
  index: number,
  width: (text: string, at: number) => number,
): number {
  let j = from
  for (let k = 0; k < index; k++) j += width(text, j)
  return j
}

function singleQuotedWidth(text: string, at: number): number {
  return text[at] === "'" && text[at + 1] === "'" ? 2 : 1
}

function doubleQuotedWidth(text: string, at: number): number {
  if (text[at] !== '\\') return 1
  const kind = text[at + 1]
  return kind === 'x' ? 4 : kind === 'u' ? 6 : kind === 'U' ? 10 : 2
}
