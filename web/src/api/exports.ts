// Excel exports of activity (docs/api.md, "Exports"): asked for, followed
// while the job writes them, and fetched from their download link.

import { call, seg } from './client';
import type { Export, NewExport } from './types.gen';

export const exportsApi = {
  async exports(signal?: AbortSignal): Promise<Export[]> {
    return (await call<{ items: Export[] }>('GET', '/api/exports', { signal })).items;
  },
  exportById(exportId: string, signal?: AbortSignal): Promise<Export> {
    return call<Export>('GET', `/api/exports/${seg(exportId)}`, { signal });
  },
  createExport(request: NewExport): Promise<Export> {
    return call<Export>('POST', '/api/exports', { body: request });
  },
};
