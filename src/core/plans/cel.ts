import { Environment } from '@marcbachmann/cel-js'

/** A CEL expression compiled once; `evaluate` throws on a CEL evaluation error. */
export interface CelProgram {
  readonly source: string
  evaluate(context: Record<string, unknown>): unknown
  /**
   * The fields of each variable the expression reads (`deal.type` → deal: [type]), or null when it
   * reads a variable whole; lets a caller cache results by the values read.
   */
  readonly reads: ReadonlyMap<string, readonly string[]> | null
  /** Member accesses by key on each map variable, with their offsets in `source`. */
  readonly keys: readonly { readonly variable: string; readonly key: string; readonly offset: number }[]
}

/** Where an expression is used, which decides the variables it may read and the type it must have. */
export type CelUse = 'when' | 'deal-where' | 'activity-where'

export type CelCompiled =
  | { readonly ok: true; readonly program: CelProgram }
  | { readonly ok: false; readonly message: string; readonly offset: number }

function makeEnvironment(use: CelUse): Environment {
  const env = new Environment()
  if (use === 'when') {
    return env
      .registerVariable('value', 'map<string, double>')
      .registerVariable('quota', 'map<string, double>')
      .registerVariable('attainment', 'map<string, double>')
      .registerVariable('hits', 'map<string, int>')
      .registerVariable('misses', 'map<string, int>')
      .registerVariable('rank', 'map<string, int>')
      .registerVariable('ranked', 'map<string, int>')
      .registerVariable('tenure', 'int')
      .registerVariable('coaching', 'map<string, bool>')
      .registerVariable('rep', 'map<string, string>')
  }
  return env
    .registerVariable(use === 'deal-where' ? 'deal' : 'activity', 'map<string, dyn>')
    .registerVariable('rep', 'map<string, string>')
}

const environments = new Map<CelUse, Environment>()

function environmentFor(use: CelUse): Environment {
  let env = environments.get(use)
  if (env === undefined) {
    env = makeEnvironment(use)
    environments.set(use, env)
  }
  return env
}

interface AstNode {
  op: string
  args: unknown
  pos?: number
  start?: number
}

const isNode = (x: unknown): x is AstNode => typeof x === 'object' && x !== null && 'op' in x

function walk(
  node: AstNode,
  visit: (node: AstNode, parent: AstNode | null) => void,
  parent: AstNode | null = null,
): void {
  visit(node, parent)
  const args = node.args
  if (Array.isArray(args)) {
    for (const a of args) {
      if (isNode(a)) walk(a, visit, node)
      else if (Array.isArray(a)) for (const b of a) if (isNode(b)) walk(b, visit, node)
    }
  } else if (isNode(args)) walk(args, visit, node)
}

/** The key of `x.key` or `x["key"]` when `node` is such an access on identifier x. */
function memberKey(node: AstNode): { variable: string; key: string } | null {
  if ((node.op !== '.' && node.op !== '[]' && node.op !== '.?') || !Array.isArray(node.args)) return null
  const [target, key] = node.args as unknown[]
  if (!isNode(target) || target.op !== 'id' || typeof target.args !== 'string') return null
  if (typeof key === 'string') return { variable: target.args, key }
  if (isNode(key) && key.op === 'value' && typeof key.args === 'string')
    return { variable: target.args, key: key.args }
  return null
}

function analyse(ast: AstNode): Pick<CelProgram, 'reads' | 'keys'> {
  const keys: { variable: string; key: string; offset: number }[] = []
  const reads = new Map<string, string[]>()
  let whole = false
  walk(ast, (node, parent) => {
    const access = memberKey(node)
    if (access !== null) {
      keys.push({ ...access, offset: node.start ?? node.pos ?? 0 })
      const list = reads.get(access.variable) ?? []
      if (!list.includes(access.key)) list.push(access.key)
      reads.set(access.variable, list)
    } else if (node.op === 'id' && (parent === null || memberKey(parent) === null)) {
      whole = true
    }
  })
  return { reads: whole ? null : reads, keys }
}

/** Compiles and type-checks a CEL expression for a use; the result must be a bool (or dyn in a `where`). */
export function compileCel(source: string, use: CelUse): CelCompiled {
  const env = environmentFor(use)
  let parsed: ReturnType<Environment['parse']>
  try {
    parsed = env.parse(source)
  } catch (error) {
    return { ok: false, message: celMessage(error), offset: celOffset(error) }
  }
  const checked = env.check(source)
  if (!checked.valid) {
    return { ok: false, message: celMessage(checked.error), offset: celOffset(checked.error) }
  }
  const type = String(checked.type)
  if (type !== 'bool' && !(use !== 'when' && type === 'dyn')) {
    return { ok: false, message: `must be a bool, but is of type ${type}`, offset: 0 }
  }
  const program = parsed as unknown as ((ctx: Record<string, unknown>) => unknown) & { ast: AstNode }
  const { reads, keys } = analyse(program.ast)
  return { ok: true, program: { source, evaluate: (ctx) => program(ctx), reads, keys } }
}

function celMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return (text.split('\n')[0] ?? text).trim()
}

function celOffset(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'node' in error) {
    const node = (error as { node?: { pos?: number; start?: number } }).node
    return node?.pos ?? node?.start ?? 0
  }
  return 0
}
