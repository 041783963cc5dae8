import { z } from 'zod'
import { importFile } from '../../../app/import/import-file.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { IMPORT_KINDS } from '../../../core/imports/mapping.ts'
import { textSource } from '../../import/import-sources.ts'
import { builtInMappings, loadMapping } from '../../import/load-mapping.ts'
import { orgTx, principalOf, requireRole, type ServerDeps, type ZodApp } from '../context.ts'
import { orgDatabase } from '../org-database.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, isoOf, isoOrNull } from '../schemas.ts'
import { visibleReps } from '../scope.ts'

const issue = z.object({ file: z.string(), line: z.number(), message: z.string() })
const preview = z.object({ header: z.array(z.string()), rows: z.array(z.array(z.string())) })
const counts = z.object({
  rows: z.number(),
  added: z.number(),
  changed: z.number(),
  unchanged: z.number(),
  skipped: z.number(),
  assigned: z.number(),
})
const importResult = z
  .object({
    ok: z.boolean(),
    stored: z.boolean(),
    importId: z.string().nullable(),
    counts: counts.nullable(),
    issues: z.array(issue),
    moreIssues: z.number(),
    preview,
    unpublishedPlans: z.array(z.string()),
  })
  .meta({ id: 'ImportResult' })
const importRow = z
  .object({
    id: z.string(),
    kind: z.string(),
    fileName: z.string(),
    fileHash: z.string(),
    mapping: z.string().nullable(),
    status: z.string(),
    rows: z.number(),
    added: z.number(),
    changed: z.number(),
    unchanged: z.number(),
    skipped: z.number(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    createdBy: z.string(),
  })
  .meta({ id: 'Import' })

const toImportRow = (r: Record<string, unknown>): z.infer<typeof importRow> => ({
  id: String(r.id),
  kind: String(r.kind),
  fileName: String(r.file_name),
  fileHash: String(r.file_hash),
  mapping: r.mapping === null || r.mapping === undefined ? null : String(r.mapping),
  status: String(r.status),
  rows: Number(r.rows),
  added: Number(r.added),
  changed: Number(r.changed),
  unchanged: Number(r.unchanged),
  skipped: Number(r.skipped),
  startedAt: isoOf(r.started_at),
  finishedAt: isoOrNull(r.finished_at),
  createdBy: String(r.created_by),
})

const MANAGER_KINDS: readonly string[] = ['deals', 'activities']

/** Imports: upload a CSV (the body, text/csv, or a multipart file), preview or commit, and history. */
export async function importRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  // Managers import the deals and activities of their CRM; reps and quotas stay with owners and admins.
  const preHandler = requireRole('owner', 'admin', 'manager')
  app.post(
    '/imports/:kind',
    {
      preHandler,
      schema: {
        tags: ['imports'],
        summary:
          'Import a CSV of reps, deals, activities or quotas: checked whole, all or nothing; preview=true stores nothing',
        description: `Send the file as the body (Content-Type: text/csv) or as a multipart "file" field. Built-in mappings: ${builtInMappings().join(', ')}.`,
        params: z.object({ kind: z.enum(IMPORT_KINDS as [string, ...string[]]) }),
        querystring: z.object({
          mapping: z
            .string()
            .optional()
            .describe('a built-in mapping name; the canonical file when left out'),
          preview: z.enum(['true', 'false']).default('false'),
          fileName: z.string().max(200).optional(),
        }),
        response: { 200: importResult, 422: importResult, ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      if (principal.role === 'manager' && !MANAGER_KINDS.includes(request.params.kind)) {
        throw new DomainError('auth.forbidden', 'Importing reps or quotas needs the role owner or admin.', {
          role: principal.role,
        })
      }
      let text: string
      let name = request.query.fileName ?? `${request.params.kind}.csv`
      if (request.isMultipart()) {
        const part = await request.file()
        if (part === undefined)
          throw new DomainError('import.no_file', 'Send the CSV as a multipart "file" field.')
        text = (await part.toBuffer()).toString('utf8')
        name = request.query.fileName ?? part.filename
      } else if (typeof request.body === 'string') text = request.body
      else
        throw new DomainError(
          'import.no_file',
          'Send the CSV as the body (Content-Type: text/csv) or a multipart "file" field.',
        )
      let mapping
      if (request.query.mapping !== undefined) {
        // Only built-in mappings: a name is never read as a path on the server.
        if (!builtInMappings().includes(request.query.mapping)) {
          throw new DomainError('import.unknown_mapping', `There is no mapping "${request.query.mapping}".`, {
            builtIn: builtInMappings(),
          })
        }
        const loaded = loadMapping(request.query.mapping)
        if (!loaded.ok) throw new Error(`The built-in mapping ${request.query.mapping} does not load.`)
        mapping = loaded.mapping
      }
      const out = await importFile(orgDatabase(deps.db, principal.orgId), {
        orgId: principal.orgId,
        kind: request.params.kind as (typeof IMPORT_KINDS)[number],
        file: textSource(name, text),
        ...(mapping === undefined ? {} : { mapping }),
        actor: principal.personId,
        preview: request.query.preview === 'true',
        now: deps.now(),
        ...(principal.role === 'manager'
          ? { onlyReps: (await orgTx(request, deps, (tx) => visibleReps(tx, principal))) ?? [] }
          : {}),
      })
      const previewRows = { header: [...out.preview.header], rows: out.preview.rows.map((r) => [...r]) }
      if (!out.ok) {
        return reply.code(422).send({
          ok: false,
          stored: false,
          importId: null,
          counts: null,
          issues: out.issues,
          moreIssues: out.more,
          preview: previewRows,
          unpublishedPlans: [],
        })
      }
      return {
        ok: true,
        stored: out.stored,
        importId: out.importId,
        counts: out.counts,
        issues: [],
        moreIssues: 0,
        preview: previewRows,
        unpublishedPlans: [...out.unpublishedPlans],
      }
    },
  )
  app.get(
    '/imports',
    {
      preHandler,
      schema: {
        tags: ['imports'],
        summary: 'Imports, newest first',
        querystring: z.object({ ...pageQuery, kind: z.string().optional() }),
        response: { 200: pageOf(importRow), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, kind } = request.query
      const after = decodeCursor(cursor, 2)
      const rows = await orgTx(request, deps, (tx, principal) =>
        tx.query<Record<string, unknown>>(
          `select *, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as started_key from imports
            where org_id = $1 and ($2::text is null or kind = $2)
              and ($3::text is null or (to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), id) < ($3, $4::text))
            order by started_at desc, id desc limit $5`,
          [principal.orgId, kind ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
        ),
      )
      return toPage(rows, limit, (r) => [String(r.started_key), String(r.id)], toImportRow)
    },
  )
  app.get(
    '/imports/:id',
    {
      preHandler,
      schema: {
        tags: ['imports'],
        summary: 'One import',
        params: z.object({ id: z.string() }),
        response: { 200: importRow, ...errors },
      },
    },
    async (request) => {
      const [row] = await orgTx(request, deps, (tx, principal) =>
        tx.query<Record<string, unknown>>('select * from imports where org_id = $1 and id = $2', [
          principal.orgId,
          request.params.id,
        ]),
      )
      if (row === undefined)
        throw new DomainError('import.not_found', `There is no import "${request.params.id}".`)
      return toImportRow(row)
    },
  )
}
