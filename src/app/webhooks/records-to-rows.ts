/** A problem of a delivery: at a record (1 = the first), or of the whole body (record null). */
export interface DeliveryProblem {
  readonly record: number | null
  readonly message: string
}

export type RowsOrProblems =
  | { readonly ok: true; readonly header: string[]; readonly rows: string[][] }
  | { readonly ok: false; readonly problems: DeliveryProblem[] }

const MAX_PROBLEMS = 1000

/**
 * A delivery's body (UTF-8 JSON: an array of records, each an object of scalar fields) as the rows
 * of a CSV file: the header is every field name in the order first seen, a missing field is an
 * empty cell; strings as they are, numbers and booleans as their JSON text, null as empty. The
 * rows are then checked exactly as an imported file is. Every problem of the shape is listed.
 */
export function recordsToRows(rawBody: Uint8Array): RowsOrProblems {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody)
  } catch {
    return problem('the body is not UTF-8 text')
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    return problem(`the body is not JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(body)) return problem('the body must be a JSON array of records')
  if (body.length === 0) return problem('the body holds no record')
  const problems: DeliveryProblem[] = []
  const columns = new Map<string, number>()
  const records: Record<string, string>[] = []
  body.forEach((record: unknown, i) => {
    const at = i + 1
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      add(problems, at, 'a record must be a JSON object')
      return
    }
    const cells: Record<string, string> = {}
    for (const [name, value] of Object.entries(record as Record<string, unknown>)) {
      if (name.trim() === '') add(problems, at, 'a field name is empty')
      else if (value !== null && typeof value === 'object')
        add(problems, at, `${JSON.stringify(name)} must be a string, number, boolean or null`)
      else {
        if (!columns.has(name)) columns.set(name, columns.size)
        cells[name] = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)
      }
    }
    records.push(cells)
  })
  if (problems.length > 0) return { ok: false, problems }
  const header = [...columns.keys()]
  return { ok: true, header, rows: records.map((r) => header.map((name) => r[name] ?? '')) }
}

function problem(message: string): RowsOrProblems {
  return { ok: false, problems: [{ record: null, message }] }
}

function add(problems: DeliveryProblem[], record: number, message: string): void {
  if (problems.length < MAX_PROBLEMS) problems.push({ record, message })
}
