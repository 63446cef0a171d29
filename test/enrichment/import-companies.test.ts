// Company directory files as operators have them (Excel with Dutch settings: semicolons,
// Windows-1252, CRLF; a BOM; one broken row among thousands), read by the function the
// import uses, and `npm run import-companies` as a process: its summary, a missing
// file, and a database that the running Spoor holds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Child, startChild } from '../../bench/proc.ts'
import { decodeText, detectDelimiter, parseDirectory } from '../../enrichment/directory.ts'
import { openDb } from '../../lib/db.ts'
import { entryOf, npmArgs, runNode } from '../helpers/cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'spoor-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const read = (body: string) => {
  const { entries, report } = parseDirectory(body, 'csv')
  return { report, rows: entries.map(({ line, entry }) => ({ line, name: entry.name, domain: entry.domain, address: entry.address })) }
}

describe('reading a CSV directory', () => {
  it.each([
    [
      'semicolons (Excel with Dutch settings), CRLF and a BOM',
      '\uFEFFnaam;domain;address\r\nAcme B.V.;acme.example;Stationsplein 1\r\n"Café, Zoë";cafe.example;Markt 2\r\n',
      ';',
      2,
    ],
    ['commas', 'name,domain,address\nAcme B.V.,acme.example,Stationsplein 1\n"Café, Zoë",cafe.example,Markt 2\n', ',', 2],
    ['tabs', 'name\tdomain\taddress\nAcme B.V.\tacme.example\tStationsplein 1\nCafé, Zoë\tcafe.example\tMarkt 2', '\t', 2],
    [
      'the delimiter Excel names in a first line "sep=;"',
      'sep=;\nname;domain;address\nAcme B.V.;acme.example;Stationsplein 1\n"Café, Zoë";cafe.example;Markt 2\n',
      ';',
      3,
    ],
  ])('reads a file separated by %s', (_, body, delimiter, first) => {
    const { report, rows } = read(body)
    expect(report).toEqual({ rows: 2, imported: 0, rejected: [], delimiter })
    expect(rows).toEqual([
      { line: first, name: 'Acme B.V.', domain: 'acme.example', address: 'Stationsplein 1' },
      { line: first + 1, name: 'Café, Zoë', domain: 'cafe.example', address: 'Markt 2' },
    ])
  })

  it.each([
    ['"name, legal";domain', ';'],
    ['name\tdomain\tsize;x', '\t'],
    ['name', ','],
    ['', ','],
  ])('takes the delimiter from the header line %j outside quotes: %j', (header, delimiter) => {
    expect(detectDelimiter(header)).toBe(delimiter)
  })

  it.each(['\n', '\r\n'])('skips each broken row with its line and reason and reads every good row around it (line ends %j)', (nl) => {
    const body = [
      'name;domain;address', // 1
      'Alpha;alpha.example;a', // 2
      '"Bravo;bravo.example;b', // 3: a quote left open, closed by the one on line 7
      'Charlie;charlie.example;c', // 4
      'Delta;delta.example;d;extra', // 5: a field too many
      '', // 6
      'Echo "the" BV;echo.example;e', // 7: a quote inside a value is text
      `Foxtrot;foxtrot.example;"Stationsplein 1${nl}Postbus 3"`, // 8-9: a quoted line break
      'Golf;golf example;g', // 10: read, but no domain
      'Hotel;hotel.example', // 11: the trailing field left out
      '"India;india.example;i', // 12: a quote left open to the end of the file
      'Juliett;juliett.example;j', // 13
    ].join(nl)
    const { report, rows } = read(body)
    expect(rows).toEqual([
      { line: 2, name: 'Alpha', domain: 'alpha.example', address: 'a' },
      { line: 4, name: 'Charlie', domain: 'charlie.example', address: 'c' },
      { line: 7, name: 'Echo "the" BV', domain: 'echo.example', address: 'e' },
      { line: 8, name: 'Foxtrot', domain: 'foxtrot.example', address: 'Stationsplein 1\nPostbus 3' },
      { line: 11, name: 'Hotel', domain: 'hotel.example', address: '' },
      { line: 13, name: 'Juliett', domain: 'juliett.example', address: 'j' },
    ])
    expect(report.rejected).toEqual([
      { line: 3, reason: 'a quote (") opens a value and is not closed on this line' },
      { line: 5, reason: 'has 4 fields where the header has 3 (a value that contains ";" needs double quotes around it)' },
      { line: 10, reason: 'domain "golf example" is not a domain name' },
      { line: 12, reason: 'a quote (") opens a value and is not closed on this line' },
    ])
    expect(report.rows).toBe(rows.length + report.rejected.length)
  })

  it('reports a header whose quote never closes instead of reading the file as one value', () => {
    expect(read('"name;domain\nAcme;acme.example\n').report.rejected).toEqual([
      { line: 1, reason: 'the header row opens a quote (") and never closes it: nothing could be read' },
    ])
  })
})

describe('decoding a directory file', () => {
  it('reads Windows-1252, what Excel saves as plain CSV, when the bytes are not UTF-8', () => {
    // 0xE9 é, 0xEB ë, 0x80 €, 0x92 ’, 0x96 –: the last three are where Windows-1252 differs from Latin-1.
    expect(decodeText(Buffer.from([...Buffer.from('Caf\xe9 Zo\xeb ', 'latin1'), 0x80, 0x92, 0x96]))).toEqual({ text: 'Café Zoë €’–', encoding: 'windows-1252' })
  })

  it('reads UTF-8 and drops its BOM', () => {
    expect(decodeText(Buffer.from('\uFEFFCafé Zoë', 'utf8'))).toEqual({ text: 'Café Zoë', encoding: 'utf-8' })
  })

  it('reads UTF-16 with a BOM, what Excel saves as Unicode text (tabs)', () => {
    const { text, encoding } = decodeText(Buffer.from('\uFEFFname\tdomain\r\nCafé Zoë\tcafe.example\r\n', 'utf16le'))
    expect(encoding).toBe('utf-16le')
    expect(read(text).rows).toEqual([{ line: 2, name: 'Café Zoë', domain: 'cafe.example', address: '' }])
  })
})

describe('npm run import-companies', () => {
  const importer = (args: string[], dataDir: string) => runNode([...npmArgs('import-companies'), ...args], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' })

  it('imports a Dutch Excel file and sums up: imported, skipped, and the first reasons', async () => {
    const file = join(dir, 'kvk.csv')
    const bad = Array.from({ length: 12 }, (_, i) => `Bad ${i} B.V.;bad${i}.example;Nederland`)
    writeFileSync(
      file,
      Buffer.from(['naam;domain;country', 'Café Zoë;cafe.example;NL', '"Broken;x.example;NL', ...bad, 'Acme B.V.;acme.example;NL', ''].join('\r\n'), 'latin1'),
    )
    const r = await importer([file], join(dir, 'data'))
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('2 imported, 13 skipped, of 15 rows (CSV separated by semicolons; not UTF-8, read as Windows-1252)')
    expect(lines.slice(1, 3)).toEqual([
      '  line 3: a quote (") opens a value and is not closed on this line',
      '  line 4: country must be a two-letter country code',
    ])
    expect(lines.slice(11)).toEqual(['  … and 3 more (--all-skipped lists every one)'])
    const all = await importer([file, '--all-skipped'], join(dir, 'data'))
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(14)
    // The import process has exited: this one may open the directory.
    const db = await openDb({ clickhouse: null, dataDir: join(dir, 'data') })
    try {
      expect(await db.query('SELECT name, country FROM company_directory FINAL ORDER BY name')).toEqual([
        { name: 'Acme B.V.', country: 'NL' },
        { name: 'Café Zoë', country: 'NL' },
      ])
    } finally {
      await db.close()
    }
  }, 120_000)

  it('names the file it cannot read and exits 1 without a stack trace', async () => {
    const missing = join(dir, 'no-such.csv')
    const r = await importer([missing], join(dir, 'data'))
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`import-companies: cannot read ${missing}: no such file (ENOENT)\n`)
  }, 60_000)

  describe('while Spoor runs on the same DATA_DIR', () => {
    const held = join(dir, 'held')
    let spoor: Child
    beforeAll(async () => {
      spoor = await startChild(entryOf('start'), { DATA_DIR: held, DEMO: 'false', LOG_LEVEL: 'warn' })
    }, 120_000)
    afterAll(() => spoor?.stop())

    it('says Spoor holds DATA_DIR and how to import instead, and exits 1 without a stack trace', async () => {
      const file = join(dir, 'one.csv')
      writeFileSync(file, 'name,domain\nAcme B.V.,acme.example\n')
      const r = await importer([file], held)
      expect(r.code).toBe(1)
      // chDB prints ClickHouse's "Code: 76. … Cannot lock file …" itself; the last line is Spoor's.
      expect(r.stderr.trimEnd().split('\n').at(-1)).toBe(
        `import-companies: another Spoor or chDB process (PID ${spoor.proc.pid}) is already using DATA_DIR=${held}; one process per data directory: stop Spoor and run the import again, or import through the running Spoor as an admin: POST /api/companies/directory with the file (docs/company-recognition.md)`,
      )
      expect(r.stderr).not.toMatch(/^\s+at /m)
      expect((await fetch(`${spoor.url}/health`)).ok).toBe(true)
    }, 60_000)

    it('lookup answers without the directory and says why', async () => {
      const r = await runNode([...npmArgs('lookup'), '17.253.144.10'], { DATA_DIR: held, LOG_LEVEL: 'warn' })
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ ip: '17.253.144.10', asn: 714 })
      expect(r.stderr).toContain(
        `note: company directory, learned domains and suppressions not used (another Spoor or chDB process (PID ${spoor.proc.pid}) is already using DATA_DIR=${held}; one process per data directory: stop it to include them)`,
      )
    }, 90_000)
  })
})
