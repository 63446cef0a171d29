// The job runner: a failing run is retried and logged, overlapping runs are prevented.
import { describe, expect, it } from 'vitest'
import { JOBS, type JobContext, Scheduler } from '../../server/jobs.ts'
import { createLogger } from '../../lib/logger.ts'

const ctx = {} as JobContext
const log = createLogger('silent')

describe('Scheduler', () => {
  it('retries a failing run, and records the error only when every attempt failed', async () => {
    let calls = 0
    const flaky = {
      name: 'flaky',
      schedule: '* * * * *',
      description: 'fails twice',
      run: async () => (++calls < 3 ? Promise.reject(new Error(`attempt ${calls}`)) : 7),
    }
    const s = new Scheduler(ctx, log, [flaky], [1, 1])
    const state = await s.runNow('flaky')
    expect(calls).toBe(3)
    expect(state).toMatchObject({ last_rows: 7, last_error: null, failures: 2, runs: 1 })
    const broken = { name: 'broken', schedule: '* * * * *', description: 'always fails', run: async () => Promise.reject(new Error('disk full')) }
    const s2 = new Scheduler(ctx, log, [broken], [1, 1])
    expect(await s2.runNow('broken')).toMatchObject({ last_error: 'disk full', failures: 3, runs: 1 })
  })

  it('never runs a job twice at once', async () => {
    let running = 0
    let most = 0
    const slow = {
      name: 'slow',
      schedule: '* * * * *',
      description: 'takes a while',
      run: async () => {
        most = Math.max(most, ++running)
        await new Promise((r) => setTimeout(r, 50))
        running--
        return 1
      },
    }
    const s = new Scheduler(ctx, log, [slow])
    await Promise.all([s.runNow('slow'), s.runNow('slow'), s.runNow('slow')])
    expect(most).toBe(1)
  })

  it('keeps the schedule of every job in one table with valid cron expressions', async () => {
    const { validate } = await import('node-cron')
    expect(JOBS.map((j) => j.name)).toEqual([
      'enrich-visits',
      'learn-domains',
      'reload-ip-data',
      'erasure',
      'ip-retention',
      'retention',
      'visits-today',
      'rollup-visits',
      'triggers',
      'digests',
    ])
    for (const j of JOBS) expect(validate(j.schedule), j.name).toBe(true)
  })
})
