import type { Command } from 'commander'
import { withOrgScope } from '../../app/ports/org-scope.ts'
import { ROTATION_GRACE_MS, setWebhookSecret } from '../../app/webhooks/webhook-secret.ts'
import type { Io } from './main.ts'
import { actor, dbOptions, type DbOptions, type OpenDb, withDb } from './with-db.ts'

/** `webhooks secret [--rotate]`: the organization's secret for signing webhook deliveries. */
export function addWebhookCommands(
  program: Command,
  io: Io,
  openDb: OpenDb,
  done: (status: number) => void,
): void {
  const webhooks = program
    .command('webhooks')
    .description('Webhooks in: deals and activities sent by a CRM or PSA')
  dbOptions(
    webhooks
      .command('secret')
      .description("Show the organization's webhook signing secret, made on first use")
      .option(
        '--rotate',
        `replace it; the old one still verifies for ${ROTATION_GRACE_MS / 3_600_000} hours`,
      ),
  ).action(async (opts: DbOptions & { rotate?: boolean }) => {
    done(await webhookSecretCommand(opts, io, openDb))
  })
}

/** Prints the secret (made or rotated when asked) and how to sign a delivery with it. */
export async function webhookSecretCommand(
  opts: DbOptions & { rotate?: boolean },
  io: Io,
  openDb: OpenDb,
  now: Date = new Date(),
): Promise<number> {
  return withDb(opts, io, openDb, async (db, orgId) => {
    const change = await withOrgScope(db, orgId, (tx) =>
      setWebhookSecret(tx, { orgId, now, rotate: opts.rotate === true, actor: actor() }),
    )
    io.stdout(`${change.secret}\n`)
    const what = change.rotated
      ? 'A new secret; the previous one still verifies for 24 hours.'
      : change.created
        ? 'A new secret.'
        : 'The current secret (--rotate replaces it).'
    io.stderr(
      `${what}\n` +
        `POST /api/webhooks/${orgId}/deals and /api/webhooks/${orgId}/activities with the headers\n` +
        '  x-followthrough-timestamp: <Unix seconds>\n' +
        '  x-followthrough-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with this secret>\n' +
        '  x-followthrough-delivery: <your id of the delivery>\n' +
        'See docs/webhooks.md.\n',
    )
    return 0
  })
}
