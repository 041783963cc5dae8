// `npm start`: the server with the web app on PORT (default 3000). On an empty database (a fresh
// clone: ./data, or DATABASE_URL) it first creates the demo company and prints how to sign in.
import { createDemo } from './app/demo/create-demo.ts'
import { exampleDemoFiles } from './adapters/demo/demo-files.ts'
import { formatDemoLogins } from './adapters/demo/format-demo-logins.ts'
import { openDatabase } from './adapters/db/open-database.ts'
import { resolveOrg } from './app/org/default-org.ts'
import type { Io } from './adapters/cli/main.ts'
import { serveCommand } from './adapters/cli/serve-command.ts'
import { DEMO_PASSWORD } from './app/auth/demo-people.ts'

const io: Io = {
  isTTY: process.stdout.isTTY === true,
  stdout: (s: string) => void process.stdout.write(s),
  stderr: (s: string) => void process.stderr.write(s),
}

async function main(): Promise<number> {
  const dataDir = process.env.FOLLOWTHROUGH_DATA
  const db = await openDatabase(dataDir === undefined || dataDir === '' ? {} : { dataDir })
  let banner: string
  try {
    const [someone] = await db.query('select 1 from people limit 1')
    if (someone === undefined) {
      const orgId = await resolveOrg(db)
      io.stderr('An empty database: creating the demo company (a minute at most)…\n')
      const out = await createDemo(db, {
        orgId,
        files: await exampleDemoFiles(),
        now: new Date(),
        history: true,
      })
      banner = `The demo company is ready: ${out.closed.length} months closed.\n${formatDemoLogins(out.logins)}`
    } else {
      const [demo] = await db.query(
        "select 1 from people where email = 'owner@northwind-msp.example' limit 1",
      )
      banner =
        demo === undefined
          ? 'Sign in with your account.\n'
          : `The demo company: sign in as owner@, admin@, finance@, manager@ or rep@northwind-msp.example, password "${DEMO_PASSWORD}".\n`
    }
  } finally {
    await db.close()
  }
  const port = process.env.PORT ?? '3000'
  io.stdout(`\n${banner}Open http://localhost:${port}/ (API docs at /api/docs). Ctrl-C stops.\n\n`)
  return serveCommand({ port, ...(dataDir === undefined || dataDir === '' ? {} : { data: dataDir }) }, io)
}

process.exitCode = await main()
