// One error type for everything that should reach the client as a 4xx (or a 503: the
// database cannot be reached), and one handler. Anything else is a bug: logged with its
// stack, answered with a bare 500.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ErrorRequestHandler } from 'express'
import type { ErrorBody } from './api-types.ts'
import type { Logger } from './logger.ts'

export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    // A client error is answered, never debugged: no stack trace. Capturing one cost
    // the collector about 15% of its throughput in the bench when a fifth of the
    // requests were refused (page views before consent); bots and bad bodies are the
    // same case.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
  }
}

/**
 * Writes the answer to a client error: `{ error, field? }` with the error's status and
 * headers. Written directly, not with res.json: that hashes every body for an ETag.
 */
export function sendHttpError(res: ServerResponse, e: HttpError): void {
  res.statusCode = e.status
  for (const [k, v] of Object.entries(e.headers)) res.setHeader(k, v)
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.end(JSON.stringify((e.field ? { error: e.message, field: e.field } : { error: e.message }) satisfies ErrorBody))
}

/**
 * The client error that `err` stands for, or null for a bug. body-parser's and
 * raw-body's errors carry a status and a type; they become messages a sender can act on.
 */
export function asHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err
  const e = err as { status?: number; type?: string; message?: string }
  if (e.type === 'entity.too.large') return new HttpError(413, 'request body is too large')
  if (e.type === 'entity.parse.failed') return new HttpError(400, 'request body is not valid JSON', 'body')
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new HttpError(415, 'unsupported body encoding or charset')
  if (e.type === 'request.aborted') return new HttpError(400, 'request was aborted by the client')
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return new HttpError(e.status, e.message ?? 'bad request')
  if (unreachable(err)) return new HttpError(503, 'the database cannot be reached; retry shortly', undefined, { 'Retry-After': '5' })
  return null
}

// A ClickHouse server that is down or restarting (CLICKHOUSE_URL): not a bug, and the
// client can do something about it (retry); /health says `db: unreachable` meanwhile.
// Seen with four roles on one server (test/server/four-roles.test.ts): every dashboard
// call during a database outage was a 500 logged with its stack.
// With `syscall`: Node's own socket and DNS errors (a container's name is not found until
// it exists). Without: a server that closed the socket mid-request ('socket hang up', a
// restart) and the client's request_timeout ('Timeout error.', @clickhouse/client).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'])
export function unreachable(err: unknown): boolean {
  const e = err as { code?: unknown; syscall?: unknown; message?: unknown }
  if (typeof e.code === 'string' && typeof e.syscall === 'string' && UNREACHABLE.has(e.code)) return true
  return (e.code === 'ECONNRESET' && e.message === 'socket hang up') || (err instanceof Error && e.code === undefined && e.message === 'Timeout error.')
}

const INTERNAL_ERROR = JSON.stringify({ error: 'internal error' } satisfies ErrorBody)

/** A bug: logged with its stack (the path only: query strings can carry visitor ids; the IP is never logged), answered with a bare 500. */
export function sendInternalError(log: Logger, err: unknown, req: IncomingMessage, res: ServerResponse): void {
  log.error({ ...errorFields(err), method: req.method, path: (req.url ?? '').split('?')[0] }, 'unhandled error')
  if (res.headersSent) return
  res.statusCode = 500
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.end(INTERNAL_ERROR)
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const httpErr = asHttpError(err)
    if (!httpErr) return sendInternalError(log, err, req, res)
    if (res.headersSent) return
    log.debug({ status: httpErr.status, method: req.method, path: req.path, msg: httpErr.message }, 'client error')
    sendHttpError(res, httpErr)
  }
}

/** Whether ClickHouse answered with an exception (a numeric code and its name), as opposed to no answer at all. */
export function answeredByClickHouse(err: unknown): err is { code: string; type: string } {
  const e = err as { code?: unknown; type?: unknown } | null
  return typeof e?.type === 'string' && typeof e?.code === 'string' && /^\d+$/.test(e.code)
}

/**
 * What of an error may be logged. A ClickHouse exception's text quotes the data it
 * refused (a row with its address, a visitor id in a WHERE): its numeric code and name
 * only. Anything else is a bug of ours: name, message and stack.
 */
export function errorFields(err: unknown): { code?: string; type?: string; err?: { name: string; message: string; stack?: string } } {
  const e = err as { code?: unknown; type?: unknown; name?: unknown; message?: unknown; stack?: unknown } | null
  if (answeredByClickHouse(e)) return { code: e.code, type: e.type }
  if (e && typeof e.code === 'string' && typeof e.type !== 'string') return { code: e.code }
  return { err: { name: String(e?.name ?? 'Error'), message: String(e?.message ?? e), stack: typeof e?.stack === 'string' ? e.stack : undefined } }
}
