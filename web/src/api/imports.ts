// Bulk changes of people from a CSV (docs/api.md, "Imports"): the upload's
// dry run, its rows page by page, and applying it.

import { call, seg } from './client';
import type { Import } from './types.gen';

export const importsApi = {
  /** Uploads a CSV (UTF-8, comma or semicolon) and answers its dry run. */
  createImport(file: Blob, fileName: string): Promise<Import> {
    return call<Import>('POST', `/api/imports?fileName=${encodeURIComponent(fileName)}`, {
      raw: { body: file, contentType: 'text/csv' },
    });
  },
  importById(importId: string, cursor = '', signal?: AbortSignal): Promise<Import> {
    const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    return call<Import>('GET', `/api/imports/${seg(importId)}${q}`, { signal });
  },
  applyImport(importId: string): Promise<Import> {
    return call<Import>('POST', `/api/imports/${seg(importId)}/apply`, { body: {} });
  },
};
