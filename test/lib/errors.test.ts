// Which errors reach the client as what: a database that cannot be reached is a 503 the
// client may retry, not a bug's 500 (seen in test/server/four-roles.test.ts's outage).
import { connect } from 'node:net'
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

  it('leaves other errors to be bugs, even with a code', () => {
    expect(asHttpError(new Error('boom'))).toBeNull()
    expect(asHttpError(Object.assign(new Error('not a socket'), { code: 'ECONNREFUSED' }))).toBeNull()
    expect(asHttpError(Object.assign(new Error('Code: 60. Unknown table'), { code: '60', type: 'UNKNOWN_TABLE' }))).toBeNull()
  })
})
