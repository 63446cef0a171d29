import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // chDB locks its data directory per process and segfaults at exit under
    // worker threads: one forked process per test file, each with its own directory.
    pool: 'forks',
    // Two files at once on 2 cores: most of the slow files wait (on browsers, on
    // ClickHouse's background merges, on child processes), and one at a time took
    // 9.4 minutes of the 10 npm test may take.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
