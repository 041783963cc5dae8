import type { InputIssue } from './records.ts'

/**
 * Collects input issues as they are found, keeping the first `limit` and only counting the rest,
 * so that a file bad on every one of its million lines costs no memory.
 */
export class IssueCollector {
  private readonly kept: InputIssue[] = []
  private extra = 0

  constructor(readonly limit = 100) {}

  add(file: string, line: number, message: string): void {
    if (this.kept.length < this.limit) this.kept.push({ file, line, message })
    else this.extra++
  }

  /** Every issue found, kept or not. */
  get count(): number {
    return this.kept.length + this.extra
  }

  /** Issues found beyond the limit, counted but not kept. */
  get more(): number {
    return this.extra
  }

  /** The kept issues: files in the order first seen, lines ascending within a file (stable). */
  list(): InputIssue[] {
    const fileOrder = new Map<string, number>()
    for (const i of this.kept) if (!fileOrder.has(i.file)) fileOrder.set(i.file, fileOrder.size)
    return [...this.kept].sort(
      (a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line,
    )
  }
}

/** An issue as `FILE:LINE: message`, the header being line 1 and line 0 the file as a whole. */
export function formatInputIssue(i: InputIssue): string {
  return `${i.file}:${i.line}: ${i.message}`
}
