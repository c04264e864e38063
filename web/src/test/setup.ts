// Vitest setup: DOM matchers, a fixed time zone, and a clean DOM per test.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

process.env.TZ = 'UTC';

// The first test of a file also pays for importing the app; on a busy machine
// that takes longer than the default second.
configure({ asyncUtilTimeout: 3000 });

afterEach(() => {
  cleanup();
});
