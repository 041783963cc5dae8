import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LOCK_FILE, openDatabase } from './open-database.ts'

// These tests are about the embedded database: `url: ''` keeps DATABASE_URL out of them.
const embedded = (dataDir: string) => openDatabase({ dataDir, url: '' })

/** Another process that opens the folder and holds it until killed. */
async function holder(dataDir: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const module = fileURLToPath(new URL('./open-database.ts', import.meta.url))
  const script = `const { openDatabase } = await import(${JSON.stringify(module)})
await openDatabase({ dataDir: process.argv[1], url: '' })
process.stdout.write('ready\\n')
setInterval(() => {}, 60_000)`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready())
    child.on('exit', (code) => fail(new Error(`the holder exited with ${code}: ${stderr}`)))
  })
  const exited = new Promise<void>((done) => child.on('exit', () => done()))
  return {
    pid: child.pid ?? 0,
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}

describe('openDatabase', { timeout: 60_000 }, () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ft-data-'))
  })
  afterEach(() => {
    vi.unstubAllEnvs()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps data across close and reopen and applies no migration the second time', async () => {
    const first = await embedded(dir)
    expect(first.kind).toBe('pglite')
    await first.query(`insert into organizations (id, name) values ('kept', 'Kept')`)
    const migrations = await first.query(`select version, checksum, applied_at from schema_migrations`)
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid))
    await first.close()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)

    const again = await embedded(dir)
    expect(await again.query(`select id from organizations`)).toEqual([{ id: 'kept' }])
    expect(await again.query(`select version, checksum, applied_at from schema_migrations`)).toEqual(
      migrations,
    )
    await again.close()
  })

  it('creates a missing data folder, and takes FOLLOWTHROUGH_DATA when no folder is given', async () => {
    const nested = join(dir, 'a', 'b')
    vi.stubEnv('FOLLOWTHROUGH_DATA', nested)
    const db = await openDatabase({ url: '' })
    expect(existsSync(join(nested, LOCK_FILE))).toBe(true)
    await db.close()
  })

  it('refuses a second open of the folder in the same process, and the first stays usable', async () => {
    const first = await embedded(dir)
    try {
      await expect(embedded(dir)).rejects.toMatchObject({
        code: 'database.locked',
        message: `The data folder ${dir} is already open in this process.`,
      })
      // Also through another spelling of the folder
      const link = `${dir}-link`
      symlinkSync(dir, link)
      try {
        await expect(embedded(link)).rejects.toMatchObject({ code: 'database.locked' })
      } finally {
        rmSync(link)
      }
      expect(await first.query(`select 1 as one`)).toEqual([{ one: 1 }])
    } finally {
      await first.close()
    }
  })

  it('refuses a folder held by another live process, naming it, and takes over once it was killed', async () => {
    // Given another process holding the folder
    const other = await holder(dir)
    try {
      // Then this one is told who holds it and what to do
      await expect(embedded(dir)).rejects.toMatchObject({
        code: 'database.locked',
        message: `The data folder ${dir} is in use by another followthrough process (pid ${other.pid}). Stop it, or use --data to choose another folder.`,
        details: { dataDir: dir, pid: other.pid },
      })
    } finally {
      await other.kill()
    }
    // When the holder was killed (its lock file stays behind), the folder opens
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(other.pid))
    const db = await embedded(dir)
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid))
    await db.close()
  }, 60_000)
})

// One folder for all three, so that only the first open pays for creating the database.
describe('openDatabase, a lock file left behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ft-data-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    ['a dead process', '999999999'],
    ['an earlier process with this pid (a restarted container)', String(process.pid)],
    ['no pid', ''],
  ])('takes over a lock file left by %s', async (_, content) => {
    writeFileSync(join(dir, LOCK_FILE), content)
    const db = await embedded(dir)
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid))
    await db.close()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
  })
})
