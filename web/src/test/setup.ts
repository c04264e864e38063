// Vitest setup: DOM matchers, a fixed time zone, and a clean DOM per test.
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

process.env.TZ = 'UTC';

afterEach(() => {
  cleanup();
});
