import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Scalar,
} from 'yaml'
import type { YAMLMap, YAMLSeq } from 'yaml'
import type { Currency } from '../money/money.ts'
import { didYouMeanClause } from './did-you-mean.ts'
import { listWords } from './format-for-people.ts'
import type { MapSchema } from './plan-schema-keys.ts'

/** A problem in a plan file at a 1-based line and column. */
export interface PlanIssue {
  readonly file: string
  readonly line: number
  readonly column: number
  readonly message: string
}

/** The entries of a checked map: the value node of each allowed key present, in the order written. */
export interface Entries {
  /** The value node of `key`, or null when the key is absent (or its value is empty). */
  get(key: string): Node | null
  has(key: string): boolean
  /** The allowed keys present, in file order. */
  readonly keys: readonly string[]
  /** The key node of `key`, for positions. */
  keyNode(key: string): Node | null
}

/** What a missing required key should hold, appended to the message. */
const REQUIRED_HINTS: Readonly<Record<string, string>> = {
  version: 'write version: 1',
  id: 'a unique id',
  currency: 'an ISO 4217 code such as USD',
  period: 'month, quarter or year',
  metrics: 'a map of metric ids to { sum: FIELD } or { count: deals | activities }',
  on: 'the id of the metric it pays on',
  amount: "an amount in the plan's currency",
  when: 'a CEL condition such as attainment.new_mrr >= 1.0',
  then: 'a map of effects',
  rate: 'a factor such as 5% or 0.05',
  rule: 'the id of the commission it raises',
  by: 'a factor such as 25%',
  pass: 'a CEL condition deciding the coaching plan at its last period',
}

/**
 * Reads the nodes of one parsed plan document: positions, issues, and the shapes every part of a
 * plan shares (maps with known keys, lists, text). Scalars of numbers are read by plan-literals.
 */
export class PlanReader {
  readonly issues: PlanIssue[] = []
  /** The plan's currency once read; null while unknown (money digits are then not checked). */
  currency: Currency | null = null

  constructor(
    readonly source: string,
    readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly doc: Document.Parsed,
  ) {}

  /** 1-based line and column of a source offset. */
  positionAt(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(Math.max(0, offset))
    return { line: Math.max(1, line), column: Math.max(1, col) }
  }

  reportAt(offset: number, message: string): void {
    this.issues.push({ file: this.file, ...this.positionAt(offset), message })
  }

  /** Reports at the start of `node`, or at `fallback` when there is no node. */
  report(node: Node | null | undefined, message: string, fallback: Node | null = null): void {
    this.reportAt(startOf(node) ?? startOf(fallback) ?? 0, message)
  }

  lineOf(node: Node | null | undefined): number {
    return this.positionAt(startOf(node) ?? 0).line
  }

  /** The node an alias points to; null for an absent value or an empty (null) scalar. */
  resolve(node: unknown): Node | null {
    const target = isAlias(node) ? node.resolve(this.doc) : node
    if (target === undefined || target === null) return null
    if (isScalar(target) && target.value === null) return null
    return target as Node
  }

  /** The text of a scalar as written: a plain scalar's source, a quoted or block scalar's value. */
  literal(node: Scalar): string {
    const range = node.range
    if (node.type === 'PLAIN' && range !== null && range !== undefined) {
      return this.source.slice(range[0], range[1])
    }
    return String(node.value)
  }

  /** A map, or an issue naming what was expected. */
  map(node: Node | null, what: string, example = 'a map of keys to values'): YAMLMap | null {
    if (node === null) return null
    if (isMap(node)) return node
    this.report(node, `${what} must be ${example}`)
    return null
  }

  /** A list, or an issue naming what was expected. */
  seq(node: Node | null, what: string, example = 'a list'): YAMLSeq | null {
    if (node === null) return null
    if (isSeq(node)) return node
    this.report(node, `${what} must be ${example}`)
    return null
  }

  /** The key of a map pair as text; null (with an issue) when the key is not a scalar. */
  keyText(key: unknown, context: string): string | null {
    const node = this.resolveKey(key)
    if (node !== null && isScalar(node)) return this.literalOrValue(node)
    this.report(node, `every key in ${context} must be a plain name`)
    return null
  }

  /**
   * Checks a map against its schema: every unknown key (with a suggestion and the allowed keys)
   * and every missing required key is reported. `context` names the map ("commission \"mrr\"").
   */
  entries(map: YAMLMap, context: string, schema: MapSchema): Entries {
    const values = new Map<string, Node | null>()
    const keyNodes = new Map<string, Node>()
    const order: string[] = []
    for (const pair of map.items) {
      const key = this.keyText(pair.key, context)
      if (key === null || values.has(key)) continue // a repeated key is a YAML error already
      if (!schema.allowed.includes(key)) {
        const allowed = schema.allowed.join(', ')
        const hint = didYouMeanClause(key, schema.allowed)
        this.report(pair.key as Node, `unknown key "${key}" in ${context}${hint} (allowed: ${allowed})`)
        continue
      }
      const value = this.resolve(pair.value)
      values.set(key, value)
      keyNodes.set(key, pair.key as Node)
      if (value === null) {
        const hint = REQUIRED_HINTS[key]
        this.report(
          pair.key as Node,
          `"${key}" in ${context} has no value${hint === undefined ? '' : `: ${hint}`}`,
        )
        continue
      }
      order.push(key)
    }
    for (const key of schema.required) {
      if (values.has(key)) continue
      const hint = REQUIRED_HINTS[key]
      this.report(map, `missing key "${key}" in ${context}${hint === undefined ? '' : `: ${hint}`}`)
    }
    return {
      get: (key) => values.get(key) ?? null,
      has: (key) => values.get(key) !== undefined && values.get(key) !== null,
      keys: order,
      keyNode: (key) => keyNodes.get(key) ?? null,
    }
  }

  /** A non-empty text scalar (a plain number or word is read as written); null with an issue otherwise. */
  text(node: Node | null, what: string): string | null {
    if (node === null) return null
    if (!isScalar(node) || typeof node.value === 'object') {
      this.report(node, `${what} must be text`)
      return null
    }
    const value = this.literalOrValue(node)
    if (value.trim() === '') {
      this.report(node, `${what} must not be empty`)
      return null
    }
    return value
  }

  /** One of a few words, with a suggestion when it is close to one. */
  oneOf<T extends string>(node: Node | null, what: string, options: readonly T[]): T | null {
    const value = this.text(node, what)
    if (value === null) return null
    if ((options as readonly string[]).includes(value)) return value as T
    const hint = didYouMeanClause(value, options)
    this.report(node, `${what} must be ${listWords(options, 'or')}, not "${value}"${hint}`)
    return null
  }

  /** A YAML boolean (true or false). */
  bool(node: Node | null, what: string): boolean | null {
    if (node === null) return null
    if (isScalar(node) && typeof node.value === 'boolean') return node.value
    this.report(node, `${what} must be true or false`)
    return null
  }

  private resolveKey(key: unknown): Node | null {
    const node = isAlias(key) ? key.resolve(this.doc) : key
    return node === undefined || node === null ? null : (node as Node)
  }

  private literalOrValue(node: Scalar): string {
    return typeof node.value === 'string' ? node.value : this.literal(node)
  }
}

/** The start offset of a node in the source, when known. */
export function startOf(node: Node | null | undefined): number | null {
  const range = node?.range
  return range === null || range === undefined ? null : range[0]
}
