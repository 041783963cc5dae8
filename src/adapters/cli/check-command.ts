import { readFile } from 'node:fs/promises'
import { formatPlanIssue, parsePlan } from '../../core/plans/parse-plan.ts'
import { summarizePlan } from '../../core/plans/summarize-plan.ts'

/** Where `check` writes; each call gets whole lines ending in a newline. */
export interface CheckIo {
  stdout(s: string): void
  stderr(s: string): void
}

/**
 * `followthrough check PLAN...`: checks every plan file whole. Problems go to stderr as
 * `FILE:LINE:COL: message` and the status is 1; a file that cannot be read is a problem too. When
 * every plan is sound, prints each plan's heading and plain-language summary and returns 0.
 */
export async function checkCommand(files: string[], io: CheckIo): Promise<number> {
  let failed = false
  const summaries: string[] = []
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message
      io.stderr(`${file}: cannot read the plan: ${reason}\n`)
      failed = true
      continue
    }
    const { plan, issues } = parsePlan(text, file)
    for (const issue of issues) io.stderr(formatPlanIssue(issue) + '\n')
    if (plan === null || issues.length > 0) {
      failed = true
      continue
    }
    const heading = `${plan.name} (plan ${plan.id}, plan language version 1) — ${file}`
    const body = summarizePlan(plan).map((sentence) => `  - ${sentence}`)
    summaries.push([heading, ...body].join('\n') + '\n')
  }
  if (failed) return 1
  io.stdout(summaries.join('\n'))
  return 0
}
