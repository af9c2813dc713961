import { defineConfig } from 'vitest/config';

// Browser tests against a running server: BASE_URL=http://localhost:8080 npm run e2e
// Vitest sets BASE_URL to Vite's base ('/') inside the tests, so hand the caller's value over
// under another name.
const baseUrl = process.env.BASE_URL ?? '';

export default defineConfig({
  test: {
    env: { TRIBUNA_E2E_BASE_URL: baseUrl },
    root: new URL('..', import.meta.url).pathname,
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
