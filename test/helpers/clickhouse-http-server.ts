// ClickHouse's HTTP interface over the embedded engine (chDB), for tests: as much of it as
// @clickhouse/client 1.23 uses, with a server's limits and error statuses. No ClickHouse
// server can be installed here (Debian's is 18.16, from before query parameters).
// Run as its own process (startClickHouseHttp in clickhouse-http.ts): chDB binds one data
// directory per process, so the test process keeps its own. docs/clickhouse-server.md says
// what this proves and what it cannot.
//
// Every request gets a native connection of its own and closes it: its settings, current
// database and readonly flag die with it, as a server's query context does. Requests with
// a session_id share one connection for the session's life, and the URL's settings are
// set back after each of them.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, brotliDecompressSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib'
import { Session } from 'chdb'

/**
 * A server's limits on the request (HTTPServerRequest, HTMLForm): the engine's defaults of
 * http_max_uri_size, http_max_field_value_size, http_max_field_name_size and
 * http_max_fields, read from it at start (26.7: 1 MiB, 128 KiB, 4 KiB, 1000).
 */
export const LIMITS = { uri: 1 << 20, fieldValue: 128 << 10, fieldName: 4 << 10, fields: 1000 }

export interface HarnessOptions {
  path: string
  user?: string
  password?: string
  /** How long an idle session_id lives, in seconds (a server's default_session_timeout). */
  sessionTimeoutS?: number
}

interface NativeResult {
  bytes: Uint8Array
  elapsed: number
  rowsRead: number
  bytesRead: number
}
interface NativeInsert {
  elapsed: number
  rowsWritten: number
  bytesWritten: number
}
/** chDB's addon. Its Session.queryBindAsync escapes string values as text once more, but a server's param_* values arrive already in ClickHouse's escaped text form; the addon takes them as they are. */
interface Native {
  QueryAsyncConnection(conn: unknown, sql: string, format: string, params?: Record<string, string>): Promise<NativeResult>
  InsertRawAsyncConnection(conn: unknown, prefix: string, data: Buffer, countLines: boolean): Promise<NativeInsert>
}
const require = createRequire(import.meta.url)
const native = (require(join(dirname(require.resolve('chdb')), 'dist/loader.js')) as { loadNative(): Native }).loadNative()

// Error codes (src/Common/ErrorCodes.cpp) the harness raises itself.
const CODE = {
  SYNTAX_ERROR: 62,
  NOT_IMPLEMENTED: 48,
  BAD_ARGUMENTS: 36,
  UNKNOWN_SETTING: 115,
  QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING: 216,
  SESSION_NOT_FOUND: 372,
  SESSION_IS_LOCKED: 373,
  INVALID_SESSION_TIMEOUT: 374,
  AUTHENTICATION_FAILED: 516,
  POCO_EXCEPTION: 1000,
  STD_EXCEPTION: 1001,
} as const
const NAME: Record<number, string> = Object.fromEntries(Object.entries(CODE).map(([k, v]) => [v, k]))

class ChError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** The body as the server writes it, when it is not "Code: N. DB::Exception: …". */
    readonly body?: string,
  ) {
    super(message)
  }
}

// The server's exceptionCodeToHTTPStatus (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp),
// by name; the numbers come from the engine (errorCodeToName) at start. Anything else is 500.
const STATUS_BY_NAME: [number, string[]][] = [
  [401, ['REQUIRED_PASSWORD']],
  [403, ['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED']],
  [
    400,
    [
      'BAD_ARGUMENTS',
      'CANNOT_COMPILE_REGEXP',
      'CANNOT_PARSE_TEXT',
      'CANNOT_PARSE_ESCAPE_SEQUENCE',
      'CANNOT_PARSE_QUOTED_STRING',
      'CANNOT_PARSE_DATE',
      'CANNOT_PARSE_DATETIME',
      'CANNOT_PARSE_NUMBER',
      'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
      'CANNOT_PARSE_IPV4',
      'CANNOT_PARSE_IPV6',
      'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      'CANNOT_PARSE_UUID',
      'DUPLICATE_COLUMN',
      'ILLEGAL_COLUMN',
      'UNKNOWN_ELEMENT_IN_AST',
      'UNKNOWN_TYPE_OF_AST_NODE',
      'THERE_IS_NO_COLUMN',
      'TOO_DEEP_AST',
      'TOO_BIG_AST',
      'UNEXPECTED_AST_STRUCTURE',
      'SYNTAX_ERROR',
      'INCORRECT_DATA',
      'TYPE_MISMATCH',
      'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
    ],
  ],
  [
    404,
    [
      'UNKNOWN_TABLE',
      'UNKNOWN_FUNCTION',
      'UNKNOWN_IDENTIFIER',
      'UNKNOWN_TYPE',
      'UNKNOWN_STORAGE',
      'UNKNOWN_DATABASE',
      'UNKNOWN_SETTING',
      'UNKNOWN_DIRECTION_OF_SORTING',
      'UNKNOWN_AGGREGATE_FUNCTION',
      'UNKNOWN_FORMAT',
      'UNKNOWN_DATABASE_ENGINE',
      'UNKNOWN_TYPE_OF_QUERY',
      'UNKNOWN_ROLE',
    ],
  ],
  [413, ['QUERY_IS_TOO_LARGE']],
  [501, ['NOT_IMPLEMENTED']],
  [503, ['SOCKET_TIMEOUT', 'CANNOT_OPEN_FILE', 'CANNOT_SCHEDULE_TASK']],
  [411, ['HTTP_LENGTH_REQUIRED']],
  [408, ['TIMEOUT_EXCEEDED']],
  [415, ['UNSUPPORTED_MEDIA_TYPE']],
]
const STATUS_BY_CODE = new Map<number, number>()
/** The HTTP status a server answers an exception with this code by. */
export const statusOf = (code: number) => STATUS_BY_CODE.get(code) ?? 500

// Parameters a server reads itself; every other name that is not param_* is a setting (HTTPHandler.cpp).
const RESERVED = new Set([
  'compress',
  'decompress',
  'user',
  'password',
  'quota_key',
  'query_id',
  'stacktrace',
  'role',
  'buffer_size',
  'wait_end_of_query',
  'session_id',
  'session_timeout',
  'session_check',
  'client_protocol_version',
  'close_session',
  'database',
  'default_format',
  'query',
])

/** The query string as a server's HTMLForm::readQuery reads it: limits on the raw (still percent-encoded) names and values, then decoding. */
export function readQuery(raw: string): [string, string][] {
  const out: [string, string][] = []
  if (raw === '') return out
  for (const field of raw.split('&')) {
    if (out.length === LIMITS.fields) throw formException('Too many form fields')
    const eq = field.indexOf('=')
    const name = eq < 0 ? field : field.slice(0, eq)
    const value = eq < 0 ? '' : field.slice(eq + 1)
    if (name.length > LIMITS.fieldName) throw formException('Field name too long')
    if (value.length > LIMITS.fieldValue) throw formException('Field value too long')
    out.push([decode(name), decode(value)])
  }
  return out
}

const decode = (s: string) => {
  const plus = s.replaceAll('+', ' ')
  try {
    return decodeURIComponent(plus)
  } catch {
    throw new ChError(CODE.POCO_EXCEPTION, 'URI syntax error', pocoBody('Syntax error: Malformed percent-encoded string'))
  }
}

// A Poco exception reaches the client as "Poco::Exception. Code: 1000, e.code() = 0, <displayText> (version …)"
// (getCurrentExceptionMessage in src/Common/Exception.cpp), without the "(TYPE)" that
// @clickhouse/client's parseError needs: the client throws a plain Error, not a ClickHouseError.
let engineVersion = ''
const pocoBody = (text: string) => `Poco::Exception. Code: 1000, e.code() = 0, ${text} (version ${engineVersion})`
const formException = (text: string) => new ChError(CODE.POCO_EXCEPTION, text, pocoBody(`HTML Form Exception: ${text}`))

const own = (code: number, text: string) => new ChError(code, `Code: ${code}. DB::Exception: ${text}. (${NAME[code]})`)

function engineError(err: unknown): ChError {
  if (err instanceof ChError) return err
  const msg = err instanceof Error ? err.message : String(err)
  const m = /^Code: (\d+)\./.exec(msg)
  if (m) return new ChError(Number(m[1]), msg)
  return own(CODE.STD_EXCEPTION, msg)
}

// One parameterised query at a time in this process: chDB 3.4 sets and clears a
// connection's parameters around each call without isolating connections, and two at once
// take each other's values or abort the engine (its own comment in chdb/index.js).
let paramChain: Promise<unknown> = Promise.resolve()
function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const next = paramChain.then(run, run)
  paramChain = next.catch(() => undefined)
  return next
}

interface HttpSession {
  conn: Session
  busy: boolean
  timer: NodeJS.Timeout
  timeoutS: number
  /** Not yet given a server's defaults. */
  fresh: boolean
}

export function createHarness(opts: HarnessOptions): { server: Server; close(): Promise<void> } {
  const path = resolve(opts.path)
  const user = opts.user ?? 'default'
  const password = opts.password ?? ''
  // Holds the engine for the process; every request's connection shares it.
  const engine = new Session(path)
  const sessions = new Map<string, HttpSession>()
  const running = new Set<string>()
  let timezone = 'UTC'
  let serverDefaults: string | null = null
  const ready = (async () => {
    const text = async (sql: string) =>
      Buffer.from((await native.QueryAsyncConnection(engine.connection, sql, 'TabSeparated')).bytes)
        .toString()
        .trim()
    ;[engineVersion = '', timezone = 'UTC'] = (await text('SELECT version(), timezone()')).split('\t')
    const limit = async (name: string) => Number(await text(`SELECT getSetting('${name}')`))
    LIMITS.uri = await limit('http_max_uri_size')
    LIMITS.fieldValue = await limit('http_max_field_value_size')
    LIMITS.fieldName = await limit('http_max_field_name_size')
    LIMITS.fields = await limit('http_max_fields')
    const codes = new Map(
      (await text("SELECT errorCodeToName(number), number FROM numbers(2000) WHERE errorCodeToName(number) != ''"))
        .split('\n')
        .map((l) => l.split('\t') as [string, string]),
    )
    // chDB changes a few defaults for embedded use (implicit_select = 1, for one, runs "1 + 1"
    // without SELECT); each connection sets them back to a server's defaults first.
    const changed = (await text("SELECT name, default FROM system.settings WHERE changed AND name NOT IN ('max_threads')"))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string])
    serverDefaults = changed.length === 0 ? null : `SET ${changed.map(([k, v]) => setClause(k, v)).join(', ')}`
    for (const [status, names] of STATUS_BY_NAME) {
      for (const n of names) {
        const code = codes.get(n)
        if (code !== undefined && !STATUS_BY_CODE.has(Number(code))) STATUS_BY_CODE.set(Number(code), status)
      }
    }
  })()

  const server = createServer({ maxHeaderSize: 4 << 20 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, engineError(err), null)
      else res.destroy()
    })
  })
  // The client keeps idle sockets for 2.5 s by default; a server says timeout=10.
  server.keepAliveTimeout = 10_000

  async function handle(req: IncomingMessage, res: ServerResponse) {
    await ready
    const target = req.url ?? '/'
    // HTTPServerRequest::readRequest: a longer request line is a Poco MessageException, which
    // HTTPServerConnection answers with a bare 400 and closes the connection.
    if (target.length > LIMITS.uri) {
      req.resume()
      res.writeHead(400, { Connection: 'close', 'Content-Length': '0' })
      res.end()
      return
    }
    const q = target.indexOf('?')
    const pathname = q < 0 ? target : target.slice(0, q)
    if (pathname === '/ping' && (req.method === 'GET' || req.method === 'HEAD')) {
      req.resume()
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' })
      res.end('Ok.\n')
      return
    }
    if (pathname !== '/') {
      req.resume()
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' })
      res.end(`There is no handle ${pathname}\n\nUse / or /ping for health checks.\n`)
      return
    }
    const fields = readQuery(q < 0 ? '' : target.slice(q + 1))
    const body = await readBody(req)
    const form = new Map<string, string>()
    for (const [k, v] of fields) if (!form.has(k)) form.set(k, v)
    authenticate(req, form)
    await runQuery(req, res, form, fields, body)
  }

  function authenticate(req: IncomingMessage, form: Map<string, string>) {
    // authenticateUserByHTTP: headers, or basic auth, or URL parameters; never two of them.
    const hUser = header(req, 'x-clickhouse-user')
    const hKey = header(req, 'x-clickhouse-key')
    const basic = req.headers.authorization
    const inParams = form.has('user') || form.has('password')
    let name: string
    let pass: string
    if (hUser !== undefined || hKey !== undefined) {
      if (basic !== undefined)
        throw own(
          CODE.AUTHENTICATION_FAILED,
          'Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via headers simultaneously',
        )
      if (inParams)
        throw own(
          CODE.AUTHENTICATION_FAILED,
          'Invalid authentication: it is not allowed to use authentication via parameters and authentication via headers simultaneously',
        )
      name = hUser ?? 'default'
      pass = hKey ?? ''
    } else if (basic !== undefined) {
      if (inParams)
        throw own(
          CODE.AUTHENTICATION_FAILED,
          'Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via parameters simultaneously',
        )
      const [scheme, token = ''] = basic.split(' ')
      if (scheme?.toLowerCase() !== 'basic')
        throw own(CODE.AUTHENTICATION_FAILED, `Invalid authentication: '${scheme}' HTTP Authorization scheme is not supported`)
      const text = Buffer.from(token, 'base64').toString()
      const colon = text.indexOf(':')
      name = colon < 0 ? text : text.slice(0, colon)
      pass = colon < 0 ? '' : text.slice(colon + 1)
    } else {
      name = form.get('user') ?? 'default'
      pass = form.get('password') ?? ''
    }
    if (name !== user || pass !== password) {
      throw own(CODE.AUTHENTICATION_FAILED, `${name}: Authentication failed: password is incorrect, or there is no user with such name`)
    }
  }

  async function runQuery(req: IncomingMessage, res: ServerResponse, form: Map<string, string>, fields: [string, string][], raw: Buffer) {
    // From here on a server has its output buffer, compressed as asked: errors go through it too.
    const encoding = form.get('enable_http_compression') === '1' ? responseEncoding(header(req, 'accept-encoding') ?? '') : null
    try {
      await execute(req, res, form, fields, raw, encoding)
    } catch (err) {
      sendError(res, engineError(err), encoding)
    }
  }

  async function execute(
    req: IncomingMessage,
    res: ServerResponse,
    form: Map<string, string>,
    fields: [string, string][],
    raw: Buffer,
    encoding: string | null,
  ) {
    if (form.get('compress') === '1' || form.get('decompress') === '1') {
      throw own(CODE.NOT_IMPLEMENTED, "ClickHouse's own compression of HTTP bodies (compress=1, decompress=1) is not implemented by the test harness")
    }
    let body = decompress(raw, header(req, 'content-encoding'))
    const settings: [string, string][] = []
    const params: Record<string, string> = {}
    for (const [k, v] of fields) {
      if (k === '' || RESERVED.has(k)) continue
      if (k.startsWith('param_')) {
        const name = k.slice('param_'.length)
        if (!(name in params)) params[name] = v
      } else settings.push([k, v])
    }
    let queryText = form.get('query') ?? ''
    if ((header(req, 'content-type') ?? '').startsWith('multipart/form-data')) {
      // DynamicQueryHandler::getQuery: the form's "query" parts are the query, param_* parts
      // its parameters; files (external tables) are not supported here.
      const parts = readMultipart(body, header(req, 'content-type')!)
      queryText = ''
      for (const [k, v] of [...fields, ...parts]) {
        if (k === 'query') queryText += v
        else if (k.startsWith('param_') && !(k.slice(6) in params)) params[k.slice(6)] = v
      }
      body = Buffer.alloc(0)
    }
    const database = header(req, 'x-clickhouse-database') ?? form.get('database') ?? ''
    const defaultFormat = header(req, 'x-clickhouse-format') ?? form.get('default_format') ?? 'TabSeparated'
    const queryId = form.get('query_id') || header(req, 'x-clickhouse-query-id') || randomUUID()
    if (running.has(queryId)) throw own(CODE.QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING, `Query with id = ${queryId} is already running`)

    const sessionId = form.get('session_id')
    const s = sessionId === undefined ? null : openSession(sessionId, form)
    const conn = s?.conn ?? new Session(path)
    running.add(queryId)
    const restore: string[] = []
    // Sent once the session is free again: the client's next request may follow at once.
    let reply = () => {}
    try {
      if (serverDefaults && (!s || s.fresh)) await run(conn, serverDefaults)
      if (s) {
        s.fresh = false
        restore.push(...(await sessionState(conn, settings)))
      }
      // setReadOnlyIfHTTPMethodIdempotent: anything but POST may only read. In a session this
      // cannot be set back (readonly = 2 forbids changing readonly): a GET leaves it read-only.
      if (req.method !== 'POST') await run(conn, setStatement('readonly', '2'))
      for (const [k, v] of settings) await run(conn, setStatement(k, v))
      if (database !== '') await run(conn, `USE ${quoteIdentifier(database)}`)

      const insertFormat = /^\s*INSERT\b[\s\S]*\bFORMAT\s+\w+\s*$/i.test(queryText)
      const insertData = insertFormat && body.length > 0 && Object.keys(params).length === 0
      const sql = insertData ? queryText : queryText === '' ? body.toString() : body.length > 0 ? `${queryText}\n${body.toString()}` : queryText
      if (sql.trim() === '') throw own(CODE.SYNTAX_ERROR, 'Empty query')
      const multi = secondStatement(sql)
      if (multi !== null) throw own(CODE.SYNTAX_ERROR, `Syntax error (Multi-statements are not allowed): failed at position ${multi + 1} (end of query)`)
      const isInsert = /^\s*INSERT\b/i.test(sql)
      const outFormat = isInsert ? null : (/\bFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql)?.[1] ?? defaultFormat)

      let out: Buffer
      let summary: Record<string, string>
      if (insertFormat && body.length === 0) {
        // A server inserts nothing and answers 200; chDB, like clickhouse-client, refuses
        // an INSERT without data (NO_DATA_TO_INSERT).
        out = Buffer.alloc(0)
        summary = summaryOf({ written: 0, writtenBytes: 0, elapsed: 0 })
      } else if (insertData) {
        const r = await native.InsertRawAsyncConnection(conn.connection, queryText, body, false)
        out = Buffer.alloc(0)
        summary = summaryOf({ written: r.rowsWritten, writtenBytes: r.bytesWritten, elapsed: r.elapsed })
      } else {
        const call = () => native.QueryAsyncConnection(conn.connection, sql, outFormat ?? defaultFormat, Object.keys(params).length > 0 ? params : undefined)
        const r = Object.keys(params).length > 0 ? await exclusive(call) : await call()
        out = Buffer.from(r.bytes)
        summary = isInsert
          ? summaryOf({ written: r.rowsRead, writtenBytes: r.bytesRead, elapsed: r.elapsed })
          : summaryOf({ read: r.rowsRead, readBytes: r.bytesRead, elapsed: r.elapsed })
      }
      const headers: Record<string, string> = {
        'Content-Type': contentType(outFormat),
        'X-ClickHouse-Server-Display-Name': 'clickhouse-http-harness',
        'X-ClickHouse-Query-Id': queryId,
        'X-ClickHouse-Timezone': timezone,
        'X-ClickHouse-Summary': JSON.stringify(summary),
      }
      if (outFormat) headers['X-ClickHouse-Format'] = outFormat
      reply = () => send(res, 200, headers, out, encoding)
    } finally {
      running.delete(queryId)
      if (s) {
        for (const stmt of restore) await run(conn, stmt).catch(() => undefined)
        s.busy = false
        touch(sessionId!, s)
        if (form.get('close_session') === '1') closeSession(sessionId!)
      } else {
        conn.close()
      }
    }
    reply()
  }

  function openSession(id: string, form: Map<string, string>): HttpSession {
    const timeoutS = form.has('session_timeout') ? Number(form.get('session_timeout')) : (opts.sessionTimeoutS ?? 60)
    if (!Number.isInteger(timeoutS) || timeoutS < 0 || timeoutS > 3600)
      throw own(CODE.INVALID_SESSION_TIMEOUT, `Invalid session timeout: '${form.get('session_timeout')}'`)
    let s = sessions.get(id)
    if (!s) {
      if (form.get('session_check') === '1') throw own(CODE.SESSION_NOT_FOUND, `Session ${id} not found`)
      s = { conn: new Session(path), busy: true, timer: setTimeout(() => undefined, 0), timeoutS, fresh: true }
      sessions.set(id, s)
    } else if (s.busy) throw own(CODE.SESSION_IS_LOCKED, `Session ${id} is locked by a concurrent client`)
    s.busy = true
    s.timeoutS = timeoutS
    clearTimeout(s.timer)
    return s
  }

  function touch(id: string, s: HttpSession) {
    clearTimeout(s.timer)
    s.timer = setTimeout(() => closeSession(id), s.timeoutS * 1000)
    s.timer.unref()
  }

  function closeSession(id: string) {
    const s = sessions.get(id)
    if (!s || s.busy) return
    clearTimeout(s.timer)
    sessions.delete(id)
    s.conn.close()
  }

  return {
    server,
    async close() {
      // As a server stops: no new connections, the requests running answered, then every
      // connection closed. Node's close() closes only the connections idle at the call;
      // one that answers afterwards would hold it for the 10 s of keepAliveTimeout.
      const idle = setInterval(() => server.closeIdleConnections(), 20)
      const cut = setTimeout(() => server.closeAllConnections(), 5000)
      await new Promise<void>((r) => server.close(() => r()))
      clearInterval(idle)
      clearTimeout(cut)
      for (const id of [...sessions.keys()]) closeSession(id)
      engine.close()
    },
  }
}

// A session's connection keeps what its own SET queries change, but a request's URL
// settings and database last for that request only: read them first, set them back after.
async function sessionState(conn: Session, settings: [string, string][]): Promise<string[]> {
  const names = [...new Set(['readonly', ...settings.map(([k]) => k)])].filter((k) => SETTING_NAME.test(k))
  const r = await exclusive(() =>
    native.QueryAsyncConnection(conn.connection, 'SELECT name, value FROM system.settings WHERE name IN {names:Array(String)}', 'JSONEachRow', {
      names: `[${names.map((n) => `'${n}'`).join(',')}]`,
    }),
  )
  const rows = Buffer.from(r.bytes)
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { name: string; value: string })
  const db = Buffer.from((await native.QueryAsyncConnection(conn.connection, 'SELECT currentDatabase()', 'TabSeparatedRaw')).bytes)
    .toString()
    .trim()
  return [...rows.map((row) => setStatement(row.name, row.value)), `USE ${quoteIdentifier(db)}`]
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

// A server takes a URL setting as text and converts it to the setting's type; SET with a
// string literal does the same. The name cannot be bound, so it is checked instead.
const setStatement = (name: string, value: string) => `SET ${setClause(name, value)}`

function setClause(name: string, value: string): string {
  if (!SETTING_NAME.test(name)) throw own(CODE.UNKNOWN_SETTING, `Unknown setting '${name}'`)
  return `${name} = '${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

const quoteIdentifier = (name: string) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``

async function run(conn: Session, sql: string): Promise<void> {
  await native.QueryAsyncConnection(conn.connection, sql, 'TabSeparated')
}

function summaryOf(x: { read?: number; readBytes?: number; written?: number; writtenBytes?: number; elapsed: number }): Record<string, string> {
  // chDB reports a query's result rows, not the rows it read: read_rows is that figure.
  const s = (n: number | undefined) => String(n ?? 0)
  return {
    read_rows: s(x.read ?? x.written),
    read_bytes: s(x.readBytes ?? x.writtenBytes),
    written_rows: s(x.written),
    written_bytes: s(x.writtenBytes),
    total_rows_to_read: '0',
    result_rows: s(x.read ?? x.written),
    result_bytes: s(x.readBytes ?? x.writtenBytes),
    elapsed_ns: String(Math.round(x.elapsed * 1e9)),
  }
}

function contentType(format: string | null): string {
  if (format === null) return 'text/plain; charset=UTF-8'
  if (/^JSON(Compact)?(Strings)?$/i.test(format)) return 'application/json; charset=UTF-8'
  if (/EachRow/i.test(format)) return 'application/x-ndjson; charset=UTF-8'
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent'
  return 'text/plain; charset=UTF-8'
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function decompress(body: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || encoding === 'identity' || body.length === 0) return body
  try {
    if (encoding === 'gzip') return gunzipSync(body)
    if (encoding === 'deflate') return inflateSync(body)
    if (encoding === 'br') return brotliDecompressSync(body)
  } catch (err) {
    throw own(CODE.BAD_ARGUMENTS, `Cannot decompress the request body (${encoding}): ${(err as Error).message}`)
  }
  throw own(CODE.BAD_ARGUMENTS, `Unknown compression method '${encoding}' (the harness reads gzip, deflate and br)`)
}

/** The first method of Accept-Encoding the harness can write, as chooseHTTPCompressionMethod picks one. */
function responseEncoding(accept: string): string | null {
  const asked = accept.toLowerCase()
  for (const m of ['gzip', 'deflate', 'br']) if (asked.includes(m)) return m
  return null
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, encoding: string | null) {
  let out = body
  if (encoding) {
    out = encoding === 'gzip' ? gzipSync(body) : encoding === 'deflate' ? deflateSync(body) : brotliCompressSync(body)
    headers['Content-Encoding'] = encoding
  }
  headers['Content-Length'] = String(out.length)
  res.writeHead(status, headers)
  res.end(out)
}

function sendError(res: ServerResponse, err: ChError, encoding: string | null) {
  const text = err.body ?? (/\(version /.test(err.message) ? err.message : `${err.message} (version ${engineVersion})`)
  send(
    res,
    statusOf(err.code),
    {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(err.code),
      'X-ClickHouse-Server-Display-Name': 'clickhouse-http-harness',
    },
    Buffer.from(`${text}\n`),
    encoding,
  )
}

/** The fields of a multipart/form-data body (HTMLForm::readMultipart), with the same limit per value as the URL's. */
function readMultipart(body: Buffer, contentType: string): [string, string][] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1]
  if (!boundary) throw formException('No boundary line found')
  const text = body.toString('latin1')
  const out: [string, string][] = []
  for (const part of text.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break
    const end = part.indexOf('\r\n\r\n')
    if (end < 0) continue
    const head = part.slice(0, end)
    const value = Buffer.from(part.slice(end + 4).replace(/\r\n$/, ''), 'latin1').toString()
    if (/filename=/i.test(head)) throw own(CODE.NOT_IMPLEMENTED, 'External tables (multipart files) are not implemented by the test harness')
    const name = /name="([^"]*)"/i.exec(head)?.[1] ?? ''
    if (name.length > LIMITS.fieldName) throw formException('Field name too long')
    if (Buffer.byteLength(value) > LIMITS.fieldValue) throw formException('Field value too long')
    out.push([name, value])
  }
  return out
}

/**
 * Where a second statement starts in `sql`, or null: a server runs one statement a
 * request; chDB would run them all. Strings, quoted names and comments are skipped, and an
 * INSERT's inline data (after FORMAT name, or VALUES) is not looked at.
 */
export function secondStatement(sql: string): number | null {
  let i = 0
  let ended = -1
  const insert = /^\s*INSERT\b/i.test(sql)
  while (i < sql.length) {
    const c = sql[i]!
    if (c === "'" || c === '"' || c === '`') {
      i++
      while (i < sql.length && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1
      i++
      continue
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++
      continue
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2)
      i = close < 0 ? sql.length : close + 2
      continue
    }
    if (ended >= 0 && !/\s|;/.test(c)) return ended
    if (c === ';') ended = i
    else if (insert && ended < 0 && /[A-Za-z]/.test(c)) {
      const word = /^[A-Za-z_]\w*/.exec(sql.slice(i))![0]
      if (/^(FORMAT|VALUES)$/i.test(word)) return null
      i += word.length
      continue
    }
    i++
  }
  return null
}

// As a child process: CH_HTTP_PATH, CH_HTTP_USER, CH_HTTP_PASSWORD; listens on CH_HTTP_PORT
// (0: any) of 127.0.0.1 and prints {"port":N} on stdout when it is ready.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const harness = createHarness({ path: process.env.CH_HTTP_PATH ?? './data-ch-http', user: process.env.CH_HTTP_USER, password: process.env.CH_HTTP_PASSWORD })
  harness.server.listen(Number(process.env.CH_HTTP_PORT ?? 0), '127.0.0.1', () => {
    const addr = harness.server.address()
    process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 })}\n`)
  })
  const stop = () => {
    harness.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  // Started by startClickHouseHttp: its parent has gone.
  process.on('disconnect', stop)
}
