import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../../bin/followthrough', import.meta.url))

/** The cookies of a fetch response, as a Cookie header. */
const cookiesOf = (res: Response): string =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .join('; ')

describe('followthrough serve', () => {
  it('serves HTTP on a free port with JSON logs and request ids, and stops cleanly on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'ft-serve-'))
    // The embedded database in a fresh folder, whatever DATABASE_URL says.
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', DATABASE_URL: '' }
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', data],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const lines: string[] = []
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let buffer = ''
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString()
          const parts = buffer.split('\n')
          buffer = parts.pop() ?? ''
          for (const line of parts) {
            lines.push(line)
            const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
            if (match?.[1] !== undefined) resolve(match[1])
          }
        })
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
      })

      expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: 'ok' })
      expect(await (await fetch(`${base}/api/ready`)).json()).toMatchObject({ status: 'ready' })
      const setup = await fetch(`${base}/api/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'setup-1' },
        body: JSON.stringify({
          organization: { name: 'Acme' },
          owner: { email: 'o@acme.example', password: 'owner-password-1' },
        }),
      })
      expect(setup.status).toBe(201)
      expect(setup.headers.get('x-request-id')).toBe('setup-1')
      const { csrfToken } = (await setup.json()) as { csrfToken: string }
      const cookie = cookiesOf(setup)
      expect(cookie).toMatch(/ft_session=[\w-]+; ft_csrf=[0-9a-f]{64}/)
      const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } })
      expect(await me.json()).toMatchObject({ role: 'owner', email: 'o@acme.example', orgId: 'default' })
      const noCsrf = await fetch(`${base}/api/auth/logout-all`, { method: 'POST', headers: { cookie } })
      expect(noCsrf.status).toBe(403)
      const out = await fetch(`${base}/api/auth/logout-all`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
      })
      expect(out.status).toBe(200)
      expect((await fetch(`${base}/api/auth/me`, { headers: { cookie } })).status).toBe(401)

      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      const logs = lines
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { reqId?: string; msg: string })
      expect(logs.some((l) => l.reqId === 'setup-1' && l.msg === 'request completed')).toBe(true)
      expect(logs.some((l) => l.msg === 'running background jobs')).toBe(true)
      expect(logs.at(-1)?.msg).toBe('stopped')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(data, { recursive: true, force: true })
    }
  }, 120_000)
})
