import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // chDB locks its data directory per process and segfaults at exit under
    // worker threads: one forked process per test file, each with its own directory.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
