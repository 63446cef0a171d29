// The operator's way into a running Spoor: HTTP on a Unix socket, DATA_DIR/ops/spoor.sock.
// Its directory is mode 0700, so only the account that runs Spoor (and root) can
// connect, and nothing on a network can: no port, no token to leak, and no request
// from the internet can start a backup. Embedded, it takes no path either: a backup
// goes to DATA_DIR/backup-staging (ops/backup.ts) and `npm run backup` moves it.
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import type { Config } from '../lib/config.ts'
import type { Db } from '../lib/db.ts'
import { errorFields } from '../lib/errors.ts'
import type { Logger } from '../lib/logger.ts'
import { stagingDir } from '../lib/db.ts'
import { BackupError, backupDatabase, stageBackup } from './backup.ts'

export const socketPath = (dataDir: string) => join(resolve(dataDir), 'ops', 'spoor.sock')

// sun_path is 108 bytes on Linux, the last one a NUL.
const MAX_SOCKET_PATH = 107

export interface OpsDeps {
  config: Pick<Config, 'dataDir' | 'clickhouse'>
  db: Db
  writer: { flush(): Promise<void> }
  log: Logger
}

/** An answer from the running Spoor, or null when none listens on DATA_DIR's socket. */
export async function askRunning(
  dataDir: string,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
): Promise<{ status: number; json: Record<string, unknown> } | null> {
  const socket = socketPath(dataDir)
  if (!existsSync(socket)) return null
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> })
        } catch {
          reject(new BackupError(`the running Spoor answered on ${socket} with something that is not JSON: ${text.slice(0, 200)}`))
        }
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A socket file left by a process that is gone.
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(null)
      else reject(new BackupError(`could not ask the running Spoor on ${socket}: ${err.message}`))
    })
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = ''
  for await (const c of req) {
    text += String(c)
    if (text.length > 64 * 1024) throw new BackupError('request body over 64 KB')
  }
  if (text === '') return {}
  const v = JSON.parse(text) as unknown
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BackupError('the body must be a JSON object')
  return v as Record<string, unknown>
}

const send = (res: ServerResponse, status: number, body: object) => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))

/**
 * Listens on DATA_DIR/ops/spoor.sock: GET /status, and POST /backup (embedded: staged
 * in DATA_DIR/backup-staging, answered with its directory; server: `{ "to": path on
 * the server }`). Never throws: without the socket Spoor runs on, and says why.
 */
export async function listenOps(deps: OpsDeps): Promise<{ close(): Promise<void> }> {
  const none = { close: async () => {} }
  const { config, log } = deps
  const path = socketPath(config.dataDir)
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    log.warn(
      { path },
      `the ops socket's path is over ${MAX_SOCKET_PATH} bytes: no ops socket, so npm run backup cannot reach this process (use a shorter DATA_DIR)`,
    )
    return none
  }
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    chmodSync(dirname(path), 0o700)
    if (existsSync(path)) {
      if ((await askRunning(config.dataDir, 'GET', '/status').catch(() => null)) !== null) {
        log.warn({ path }, 'another Spoor process answers on the ops socket of this DATA_DIR: this one opens none')
        return none
      }
      rmSync(path, { force: true })
    }
    // A staged backup left by a process that stopped half-way.
    if (!config.clickhouse) rmSync(stagingDir(config.dataDir), { recursive: true, force: true })
  } catch (err) {
    log.warn({ ...errorFields(err), path }, 'no ops socket: npm run backup cannot reach this process')
    return none
  }

  let running = false
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && req.url === '/status') return send(res, 200, { spoor: true, pid: process.pid })
      if (req.method !== 'POST' || req.url !== '/backup') return send(res, 404, { error: 'GET /status or POST /backup' })
      if (running) return send(res, 409, { error: 'a backup is already running in this process' })
      running = true
      try {
        const body = await readJson(req)
        const flush = () => deps.writer.flush()
        if (config.clickhouse) {
          if (typeof body.to !== 'string' || body.to === '') throw new BackupError('a backup on a ClickHouse server needs "to": a path on the server')
          const manifest = await backupDatabase(deps.db, body.to, { source: 'server', flush })
          log.info({ tables: manifest.tables.length, seconds: manifest.seconds }, 'backup written on the ClickHouse server')
          send(res, 200, { manifest })
        } else {
          const staged = await stageBackup(deps.db, config.dataDir, flush)
          log.info({ tables: staged.manifest.tables.length, seconds: staged.manifest.seconds }, 'backup staged')
          send(res, 200, { staged: staged.dir, manifest: staged.manifest })
        }
      } catch (err) {
        log.error(errorFields(err), 'backup failed')
        send(res, err instanceof BackupError ? 400 : 500, {
          error: err instanceof BackupError ? err.message : `backup failed: ${String((err as Error).message).split('\n')[0]}`,
        })
      } finally {
        running = false
      }
    })()
  })
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => resolve())
    })
  } catch (err) {
    log.warn({ ...errorFields(err), path }, 'no ops socket: npm run backup cannot reach this process')
    return none
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
