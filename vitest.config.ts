import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/desktop/**/*.test.ts'],
    environment: 'node',
    // tfjs backends and SQLite files are per process: forks keep tests isolated
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
