// sql/schema.sql and the view SELECTs erasure runs are what a fresh migration leaves.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VIEWS } from '../../aggregates/views.ts'
import { dumpSchema, SCHEMA_FILE } from '../../sql/schema.ts'
import { makeApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => {
  await t.close()
})

describe('the current schema', () => {
  it('sql/schema.sql equals the schema a fresh migration leaves (run `npm run schema` after adding a migration)', async () => {
    expect(await dumpSchema(t.db)).toBe(readFileSync(SCHEMA_FILE, 'utf8'))
  })

  it.each(VIEWS.map((v) => [v.name, v] as const))('the SELECT of %s in aggregates/views.ts is the migrated view’s', async (_name, view) => {
    const [r] = await t.db.query<{ stored: string; ours: string }>(
      `SELECT as_select AS stored, formatQuerySingleLine({ours:String}) AS ours FROM system.tables
       WHERE database = currentDatabase() AND name = {name:String}`,
      { name: view.name, ours: view.select(`${await database()}.events`) },
    )
    expect(r?.stored).toBeTruthy()
    expect(r?.ours).toBe(r?.stored)
  })
})

async function database(): Promise<string> {
  const [d] = await t.db.query<{ d: string }>('SELECT currentDatabase() AS d')
  return d?.d ?? 'default'
}
