import { writeFile } from 'node:fs/promises'
import { type Command, Option } from 'commander'
import { planDocument } from '../../app/plans/plan-document.ts'
import { renderPlanDocumentHtml } from '../../core/plans/plan-document-html.ts'
import { formatPlanDocumentText } from '../../core/plans/plan-document.ts'
import { renderPlanDocumentPdf } from '../pdf/plan-document-pdf.ts'
import type { Io } from './main.ts'
import { dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

const WRONG_USAGE = 2

interface DocumentOptions extends DbOptions {
  version?: string
  format: 'html' | 'pdf' | 'text'
  out?: string
}

/**
 * `followthrough plan document PLAN [--version N] [--format html|pdf|text] [--out FILE]`: the
 * document a rep acknowledges, generated from the published version (summary, rates, worked
 * examples computed by the engine), with the version and its hash. A PDF needs --out.
 */
export function addPlanDocumentCommand(
  plan: Command,
  io: Io,
  done: (status: number) => void,
  openDb: OpenDb,
): void {
  dbOptions(
    plan
      .command('document')
      .description(
        'The plan document a rep acknowledges: summary, rates and worked examples, as HTML, PDF or text',
      )
      .argument('<plan>')
      .option('--version <n>', 'a published version (default: the latest)')
      .addOption(
        new Option('--format <format>', 'output format').choices(['html', 'pdf', 'text']).default('text'),
      )
      .option('--out <file>', 'write to this file instead of stdout (required for pdf)'),
  ).action(async (planId: string, opts: DocumentOptions) => {
    const version =
      opts.version === undefined
        ? undefined
        : /^[1-9]\d{0,8}$/.test(opts.version)
          ? Number(opts.version)
          : null
    if (version === null) {
      io.stderr(`error: --version "${opts.version ?? ''}" is not a version number (1, 2, …)\n`)
      return done(WRONG_USAGE)
    }
    if (opts.format === 'pdf' && opts.out === undefined) {
      io.stderr('error: a PDF needs --out FILE\n')
      return done(WRONG_USAGE)
    }
    done(
      await withDb(opts, io, openDb, async (db, orgId) => {
        const doc = await planDocument(db, { orgId, planId, ...(version === undefined ? {} : { version }) })
        const body =
          opts.format === 'pdf'
            ? await renderPlanDocumentPdf(doc)
            : opts.format === 'html'
              ? renderPlanDocumentHtml(doc)
              : formatPlanDocumentText(doc)
        if (opts.out === undefined) {
          io.stdout(String(body))
          return 0
        }
        try {
          await writeFile(opts.out, body)
        } catch (error) {
          io.stderr(`${opts.out}: cannot write the document: ${(error as Error).message}\n`)
          return 1
        }
        io.stdout(`Wrote ${opts.out}: ${doc.planId} version ${doc.version}, sha256 ${doc.hash}.\n`)
        return 0
      }),
    )
  })
}
