import { z } from 'zod'
import { renderStatementPdf } from '../../pdf/statement-pdf.ts'
import { statementPdfInput } from '../../pdf/statement-pdf-input.ts'
import { orgTx, requireRole, ROLES, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, periodKey } from '../schemas.ts'
import { requireRepVisible } from '../scope.ts'

/** A rep's statement of a closed period as a PDF, with the ledger head on every page. */
export async function statementPdfRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/statements/:repId/:period/statement.pdf',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['results'],
        summary:
          "A rep's statement of a closed period as a PDF: lines, outcomes, balance, year to date, disputes and the ledger head (a manager: the tree; a rep: their own)",
        params: z.object({ repId: z.string().min(1).max(200), period: periodKey }),
        produces: ['application/pdf'],
        response: { 200: z.unknown().describe('application/pdf'), ...errors },
      },
    },
    async (request, reply) => {
      const input = await orgTx(request, deps, async (tx, principal) => {
        await requireRepVisible(tx, principal, request.params.repId)
        return statementPdfInput(tx, {
          orgId: principal.orgId,
          rep: request.params.repId,
          period: request.params.period,
        })
      })
      const name = `statement-${input.repId}-${input.period}`.replace(/[^A-Za-z0-9._-]/g, '_')
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name}.pdf"`)
        .send(await renderStatementPdf(input))
    },
  )
}
