// Every call the page makes goes through here: same-origin cookies, the CSRF header
// on changes, and the server's error message on failure. T is the route's answer,
// from lib/api-types.ts.
import type { ErrorBody } from '../../../lib/api-types.ts'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export async function api<T>(path: string, opts: { method?: string; json?: unknown; text?: string; type?: string } = {}): Promise<T> {
  const method = opts.method ?? (opts.json !== undefined || opts.text !== undefined ? 'POST' : 'GET')
  const headers: Record<string, string> = {}
  if (method !== 'GET') headers['X-Spoor-Request'] = '1'
  if (opts.json !== undefined) headers['Content-Type'] = 'application/json'
  if (opts.text !== undefined) headers['Content-Type'] = opts.type ?? 'text/plain'
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.text,
  })
  const data = (await res.json().catch(() => ({}))) as Partial<ErrorBody>
  if (!res.ok) throw new ApiError(res.status, data.error ?? `${res.status} ${res.statusText}`)
  return data as T
}
