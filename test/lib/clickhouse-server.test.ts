// Spoor's server path (CLICKHOUSE_URL) against ClickHouse's HTTP interface served over chDB
// (test/helpers/clickhouse-http-server.ts), and the harness's own rules: what a server
// does with settings, parameters, limits, errors and passwords.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ClickHouseError, ClickHouseLogLevel, createClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db, openDb } from '../../lib/db.ts'
import { createLogger } from '../../lib/logger.ts'
import { migrate } from '../../sql/migrate.ts'
import { readQuery, secondStatement } from '../helpers/clickhouse-http-server.ts'
import { type ClickHouseHttp, startClickHouseHttp } from '../helpers/clickhouse-http.ts'
import { fixtureIntel, ipIn, NETS } from '../helpers/intel.ts'
import { Knowledge } from '../../enrichment/company.ts'
import { enrichVisits } from '../../enrichment/jobs/enrich-visits.ts'
import { MIN_CONFIDENCE } from '../../enrichment/jobs/learn-domains.ts'

const PASSWORD = 'harness secret'
let ch: ClickHouseHttp
let db: Db
let applied = 0

const config = (over: { password?: string; database?: string } = {}) => ({
  dataDir: '/nonexistent-the-server-path-opens-no-directory',
  clickhouse: { url: ch.url, user: 'spoor', password: over.password ?? PASSWORD, database: over.database ?? 'spoor' },
})

/** A request as the client sends it, for what the client hides (statuses, headers). */
const post = (search: Record<string, string>, body: string | Buffer = '', headers: Record<string, string> = {}) =>
  fetch(`${ch.url}/?${new URLSearchParams(search)}`, {
    method: 'POST',
    body,
    headers: { 'X-ClickHouse-User': 'spoor', 'X-ClickHouse-Key': PASSWORD, ...headers },
  })

beforeAll(async () => {
  ch = await startClickHouseHttp({ user: 'spoor', password: PASSWORD })
  db = await openDb(config())
  applied = await migrate(db, createLogger('silent'))
  await db.command('CREATE TABLE probe_rows (site String, n UInt32) ENGINE = MergeTree ORDER BY site')
})
afterAll(async () => {
  await db?.close()
  await ch?.stop()
})

describe('Spoor on a ClickHouse server (the HTTP harness)', () => {
  it('openDb creates the database and the migrations, inserts, parameterised queries and commands run on it', async () => {
    expect(applied).toBeGreaterThan(10)
    expect(await migrate(db, createLogger('silent'))).toBe(0)
    const [migrations] = await db.query<{ n: string }>('SELECT count() AS n FROM schema_migrations FINAL')
    expect(Number(migrations?.n)).toBe(applied)
    const [where] = await db.query<{ db: string }>('SELECT currentDatabase() AS db')
    expect(where?.db).toBe('spoor')

    await db.insert('probe_rows', [
      { site: 'a.example', n: 1 },
      { site: "quote'\ttab\\slash\nline", n: 2 },
    ])
    await db.insertText('probe_rows', '{"site":"c.example","n":3}\n')
    const rows = await db.query<{ site: string; n: number }>(
      'SELECT site, n FROM probe_rows WHERE site IN {sites:Array(String)} AND n >= {min:UInt32} ORDER BY n',
      {
        sites: ["quote'\ttab\\slash\nline", 'c.example'],
        min: 2,
      },
    )
    expect(rows).toEqual([
      { site: "quote'\ttab\\slash\nline", n: 2 },
      { site: 'c.example', n: 3 },
    ])
    await db.command('DELETE FROM probe_rows WHERE site = {site:String}', { site: 'a.example' })
    expect(await db.query("SELECT site FROM probe_rows WHERE site = 'a.example'")).toEqual([])
  })

  it('a wrong password is refused: AUTHENTICATION_FAILED (516), HTTP 403', async () => {
    await expect(openDb(config({ password: 'wrong' }))).rejects.toMatchObject({ code: '516', type: 'AUTHENTICATION_FAILED' })
    const res = await post({ query: 'SELECT 1' }, '', { 'X-ClickHouse-Key': 'wrong' })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('516')
    const basic = await fetch(`${ch.url}/?query=SELECT%201`, { headers: { Authorization: `Basic ${Buffer.from(`spoor:${PASSWORD}`).toString('base64')}` } })
    expect(await basic.text()).toBe('1\n')
  })
})

describe('settings apply to their own request only', () => {
  it('a setting given to one query does not apply to the next', async () => {
    await db.command('CREATE TABLE probe_dedup (x UInt32) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 100')
    await db.insert('probe_dedup', [{ x: 1 }], { insert_deduplicate: 0, insert_deduplication_token: 'segment-1' })
    const [after] = await db.query<{ dedup: unknown; token: string }>(
      "SELECT getSetting('insert_deduplicate') AS dedup, getSetting('insert_deduplication_token') AS token",
    )
    expect(Boolean(after?.dedup)).toBe(true)
    expect(after?.token).toBe('')
    // A retry of a batch with its token is still taken for a duplicate after the setting was given once.
    await db.insert('probe_dedup', [{ x: 2 }], { insert_deduplication_token: 'segment-2' })
    await db.insert('probe_dedup', [{ x: 2 }], { insert_deduplication_token: 'segment-2' })
    expect((await db.query<{ x: number }>('SELECT x FROM probe_dedup ORDER BY x')).map((r) => Number(r.x))).toEqual([1, 2])

    const limited = await db.client.query({
      query: "SELECT getSetting('max_execution_time') AS t",
      format: 'JSONEachRow',
      clickhouse_settings: { max_execution_time: 7 },
    })
    expect(await limited.json()).toEqual([{ t: 7 }])
    expect(await db.query("SELECT getSetting('max_execution_time') AS t")).toEqual([{ t: 0 }])
  })

  it('in a session, what SET changes stays and what the URL gives does not', async () => {
    const session_id = randomUUID()
    await db.client.command({ query: 'SET max_threads = 3', session_id })
    const read = async (settings: Record<string, number> = {}) =>
      (await (
        await db.client.query({
          query: "SELECT getSetting('max_threads') AS t, getSetting('max_block_size') AS b",
          format: 'JSONEachRow',
          session_id,
          clickhouse_settings: settings,
        })
      ).json()) as { t: number; b: number }[]
    expect(await read({ max_block_size: 100 })).toEqual([{ t: 3, b: 100 }])
    expect((await read())[0]?.b).not.toBe(100)
    expect((await read())[0]?.t).toBe(3)
  })

  it("chDB's embedded defaults are set back to a server's (implicit_select = 0: no query without SELECT)", async () => {
    await expect(db.query('1 + 1')).rejects.toMatchObject({ code: '62' })
    expect(await db.query("SELECT getSetting('implicit_select') AS i, getSetting('allow_introspection_functions') AS a")).toEqual([{ i: false, a: false }])
  })

  it('GET requests may only read, as on a server', async () => {
    const res = await fetch(`${ch.url}/?${new URLSearchParams({ query: 'CREATE TABLE probe_get (x UInt8) ENGINE = Memory', database: 'spoor' })}`, {
      headers: { 'X-ClickHouse-User': 'spoor', 'X-ClickHouse-Key': PASSWORD },
    })
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('164') // READONLY
  })
})

describe("a server's limits on the URL", () => {
  // enrichment/jobs/enrich-visits.ts sent its visit keys (site/sid) as one Array(String) parameter: issue 18, defect 1.
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `www.example.com/${randomUUID()}${i}`)

  it('a parameter over 128 KiB fails with code 1000 "Field value too long", as a server answers it (and 1,500 keys pass)', async () => {
    const sql = 'SELECT count() AS n FROM system.one WHERE dummy = 0 AND length({keys:Array(String)}) > 0'
    expect(await db.query(sql, { keys: keys(1500) })).toEqual([{ n: 1 }])
    // Spoor's own client refuses it before sending, naming it (checkParams, lib/db.ts).
    await expect(db.query(sql, { keys: keys(3000) })).rejects.toThrow(/^parameter keys would take \d+ bytes of the URL/)
    // What the server answers a client that sends it.
    const client = createClient({ url: ch.url, username: 'spoor', password: PASSWORD, database: 'spoor', log: { level: ClickHouseLogLevel.OFF } })
    const err = await client.query({ query: sql, query_params: { keys: keys(3000) }, format: 'JSONEachRow' }).catch((e: unknown) => e)
    await client.close()
    // No "(TYPE)" in a Poco exception's text: the client throws a plain Error, not a ClickHouseError.
    expect(err).toBeInstanceOf(Error)
    expect(err).not.toBeInstanceOf(ClickHouseError)
    expect((err as Error).message).toMatch(/^Poco::Exception\. Code: 1000, e\.code\(\) = 0, HTML Form Exception: Field value too long/)

    const res = await post({ query: 'SELECT 1', param_x: 'x'.repeat(128 * 1024 + 1) })
    expect(res.status).toBe(500)
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('1000')
    expect((await post({ query: 'SELECT length({x:String})', param_x: 'x'.repeat(128 * 1024) })).status).toBe(200)
  })

  it('enrich-visits decides a full run of 5,000 new visits on a server: its key lists go in pieces under 128 KiB (issue 18, defect 1)', async () => {
    const ts = new Date().toISOString().slice(0, 19).replace('T', ' ')
    const visits = (n: number) =>
      Array.from({ length: n }, () => ({ site: 'example.com', sid: randomUUID(), vid: randomUUID(), ip: ipIn(NETS.comcast, 10), ts }))
    const ctx = { db, intel: fixtureIntel(), knowledge: Knowledge.empty(), minConfidence: MIN_CONFIDENCE }
    // One list of these keys was 275 KB: every run failed with code 1000 and picked the same visits again.
    await db.insert('visit_ips', visits(5000))
    expect(await enrichVisits(ctx)).toBe(5000)
    const [left] = await db.query<{ n: number }>('SELECT count() AS n FROM visit_ips')
    expect(Number(left?.n)).toBe(0)
  })

  it('counts the percent-encoded length, as a server reads the raw query string', async () => {
    // 50,000 characters that each take three in the URL: 150,000 > 131,072.
    const res = await post({ query: 'SELECT length({x:String})', param_x: ','.repeat(50_000) })
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('1000')
  })

  it('a URI over 1 MiB gets a bare 400 and a closed connection', async () => {
    const search: Record<string, string> = { query: 'SELECT 1' }
    for (let i = 0; i < 9; i++) search[`param_p${i}`] = 'y'.repeat(120 * 1024)
    const res = await post(search)
    expect(res.status).toBe(400)
    expect(res.headers.get('x-clickhouse-exception-code')).toBeNull()
    expect(await res.text()).toBe('')
  })

  it.each([
    [
      'field=value&x=1',
      [
        ['field', 'value'],
        ['x', '1'],
      ],
    ],
    [
      'a+b=c%20d&empty=&flag',
      [
        ['a b', 'c d'],
        ['empty', ''],
        ['flag', ''],
      ],
    ],
  ])('reads the query string %s as HTMLForm does', (raw, fields) => {
    expect(readQuery(raw)).toEqual(fields)
  })
})

describe('errors reach the client as a server sends them', () => {
  it.each([
    ['SELECT * FROM no_such_table', '60', 'UNKNOWN_TABLE', 404],
    // The client takes the first "(WORD)" for the type: "(SELEC)" here, from a server too.
    ['SELEC 1', '62', 'SELEC', 400],
    ['SELECT {n:UInt8}', '456', 'UNKNOWN_QUERY_PARAMETER', 500],
    ['SELECT throwIf(1)', '395', 'FUNCTION_THROW_IF_VALUE_IS_NON_ZERO', 500],
    ['SELECT 1; SELECT 2', '62', 'SYNTAX_ERROR', 400],
  ])('%s: ClickHouseError %s (%s), HTTP %i', async (query, code, type, status) => {
    const err = await db.query(query).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ClickHouseError)
    expect(err).toMatchObject({ code, type })
    const res = await post({ query, database: 'spoor' })
    expect(res.status).toBe(status)
    expect(res.headers.get('x-clickhouse-exception-code')).toBe(code)
    expect(await res.text()).toMatch(new RegExp(`^Code: ${code}\\. DB::Exception: .*\\([A-Z_]+\\) \\(version [\\d.]+\\)\\n$`, 's'))
  })

  it.each([
    ['SELECT 1;', null],
    ["SELECT ';' AS s -- ; comment", null],
    ['INSERT INTO t FORMAT JSONEachRow\n{"s":"a;b"}; {"s":1}', null],
    ['SELECT 1; SELECT 2', 8],
  ])('finds a second statement in %j at %s', (sql, at) => {
    expect(secondStatement(sql)).toBe(at)
  })
})

describe('compression', () => {
  it('gzipped request bodies and responses work through the client', async () => {
    const client = createClient({
      url: ch.url,
      username: 'spoor',
      password: PASSWORD,
      database: 'spoor',
      compression: { request: true, response: true },
      log: { level: ClickHouseLogLevel.OFF },
    })
    try {
      await client.insert({ table: 'probe_rows', values: [{ site: 'gz.example', n: 9 }], format: 'JSONEachRow' })
      const rs = await client.query({ query: 'SELECT n FROM probe_rows WHERE site = {s:String}', query_params: { s: 'gz.example' }, format: 'JSONEachRow' })
      expect(await rs.json()).toEqual([{ n: 9 }])
    } finally {
      await client.close()
    }
    const res = await post({ query: 'SELECT 42', enable_http_compression: '1' }, '', { 'Accept-Encoding': 'gzip' })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    // fetch decompresses on its own; the body is the answer, not gzip bytes.
    expect(await res.text()).toBe('42\n')
    const raw = await post({ query: 'SELECT {x:String}', param_x: 'zipped' }, gzipSync(Buffer.from('')), { 'Content-Encoding': 'gzip' })
    expect(await raw.text()).toBe('zipped\n')
  })
})

describe('what else the client uses', () => {
  it('the harness comes back on its directory and port after a stop: an outage tests can cause', async () => {
    const path = mkdtempSync(join(tmpdir(), 'spoor-ch-outage-'))
    const first = await startClickHouseHttp({ path, user: 'spoor', password: PASSWORD })
    const other = await openDb({ ...config(), clickhouse: { ...config().clickhouse, url: first.url } })
    try {
      await other.command('CREATE TABLE kept (x UInt8) ENGINE = MergeTree ORDER BY x')
      await other.insert('kept', [{ x: 1 }])
      await first.stop()
      await expect(other.query('SELECT x FROM kept')).rejects.toThrow(/ECONNREFUSED/)
      const again = await startClickHouseHttp({ path, port: first.port, user: 'spoor', password: PASSWORD })
      try {
        expect(await other.query('SELECT x FROM kept')).toEqual([{ x: 1 }])
      } finally {
        await again.stop()
      }
    } finally {
      await other.close()
      rmSync(path, { recursive: true, force: true })
    }
  })

  it('concurrent requests with parameters each get their own values (chDB binds them one at a time)', async () => {
    const values = Array.from({ length: 40 }, (_, i) => `value-${i}-${randomUUID()}`)
    const got = await Promise.all(values.map((v) => db.query<{ v: string }>('SELECT {v:String} AS v FROM numbers(1000) LIMIT 1', { v })))
    expect(got.map((r) => r[0]?.v)).toEqual(values)
  })

  it('an insert answers with the rows it wrote in X-ClickHouse-Summary, and the query id asked for', async () => {
    const query_id = randomUUID()
    const r = await db.client.insert({
      table: 'probe_rows',
      values: [
        { site: 's1', n: 1 },
        { site: 's2', n: 2 },
      ],
      format: 'JSONEachRow',
      query_id,
    })
    expect(r.query_id).toBe(query_id)
    expect(r.summary?.written_rows).toBe('2')
    expect(r.response_headers['x-clickhouse-query-id']).toBe(query_id)
    // An INSERT with no rows is no error on a server (chDB alone refuses it).
    const empty = await post({ query: 'INSERT INTO probe_rows FORMAT JSONEachRow', database: 'spoor' })
    expect(empty.status).toBe(200)
  })

  it('parameters sent as a multipart body work, and a part over 128 KiB is refused like a URL field', async () => {
    const client = createClient({
      url: ch.url,
      username: 'spoor',
      password: PASSWORD,
      database: 'spoor',
      use_multipart_params: true,
      log: { level: ClickHouseLogLevel.OFF },
    })
    try {
      const rs = await client.query({
        query: 'SELECT {s:String} AS s, length({a:Array(String)}) AS n',
        query_params: { s: "it's\t", a: ['x', "y'"] },
        format: 'JSONEachRow',
      })
      expect(await rs.json()).toEqual([{ s: "it's\t", n: 2 }])
      await expect(client.query({ query: 'SELECT length({s:String})', query_params: { s: 'z'.repeat(128 * 1024 + 1) } })).rejects.toThrow(
        /Field value too long/,
      )
    } finally {
      await client.close()
    }
  })
})
