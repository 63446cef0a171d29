// Which errors reach the client as what: a database that cannot be reached is a 503 the
// client may retry, not a bug's 500 (seen in test/server/four-roles.test.ts's outage).
import { type AddressInfo, connect, createServer } from 'node:net'
import { ClickHouseLogLevel, createClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { asHttpError } from '../../lib/errors.ts'
import { freePort } from '../helpers/cli.ts'

describe('asHttpError', () => {
  it('answers a refused connection (a ClickHouse server down) with 503 and Retry-After', async () => {
    const port = await freePort()
    const err = await new Promise<Error>((resolve) => connect(port, '127.0.0.1').once('error', resolve))
    const http = asHttpError(err)
    expect(http?.status).toBe(503)
    expect(http?.headers['Retry-After']).toBe('5')
  })

  it('answers a name that does not resolve, a socket the server hung up and the client timeout with 503', { timeout: 15_000 }, async () => {
    const dns = await new Promise<Error>((resolve) => connect(80, 'spoor-clickhouse-that-does-not-exist.invalid').once('error', resolve))
    expect((dns as { code?: string }).code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/)
    expect(asHttpError(dns)?.status).toBe(503)
    // From @clickhouse/client itself: a server that closes the socket mid-request, and one that never answers.
    const server = createServer((socket) => {
      socket.once('data', () => (hangUp ? socket.destroy() : undefined))
    })
    let hangUp = true
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const client = createClient({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      request_timeout: 300,
      log: { level: ClickHouseLogLevel.OFF },
    })
    try {
      const hung = await client.query({ query: 'SELECT 1' }).catch((e: unknown) => e)
      expect(asHttpError(hung)?.status, String(hung)).toBe(503)
      hangUp = false
      const timedOut = await client.query({ query: 'SELECT 1' }).catch((e: unknown) => e)
      expect(asHttpError(timedOut)?.status, String(timedOut)).toBe(503)
    } finally {
      await client.close()
      server.close()
    }
  })

  it('leaves other errors to be bugs, even with a code', () => {
    expect(asHttpError(new Error('boom'))).toBeNull()
    expect(asHttpError(Object.assign(new Error('not a socket'), { code: 'ECONNREFUSED' }))).toBeNull()
    expect(asHttpError(Object.assign(new Error('Code: 60. Unknown table'), { code: '60', type: 'UNKNOWN_TABLE' }))).toBeNull()
  })
})
