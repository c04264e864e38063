// The catalog and the organization's learning modules (docs/api.md, "The catalog", "Module").

import { call, seg } from './client';
import type { CatalogKind, CatalogPage, Module, ModuleInput, ModuleList, ModuleSummary } from './types.gen';

export interface CatalogQuery {
  q?: string;
  type?: CatalogKind | 'all';
  limit?: number;
  cursor?: string;
}

/** Query string of a catalog request, without empty parameters. */
export function catalogQueryString(q: CatalogQuery): string {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.type && q.type !== 'all') p.set('type', q.type);
  if (q.limit) p.set('limit', String(q.limit));
  if (q.cursor) p.set('cursor', q.cursor);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const modulesApi = {
  catalog(query: CatalogQuery, signal?: AbortSignal): Promise<CatalogPage> {
    return call<CatalogPage>('GET', `/api/catalog${catalogQueryString(query)}`, { signal });
  },
  async modules(signal?: AbortSignal): Promise<ModuleSummary[]> {
    return (await call<ModuleList>('GET', '/api/modules', { signal })).items;
  },
  module(id: string, signal?: AbortSignal): Promise<Module> {
    return call<Module>('GET', `/api/modules/${seg(id)}`, { signal });
  },
  createModule(input: ModuleInput): Promise<Module> {
    return call<Module>('POST', '/api/modules', { body: input });
  },
  /** Saves an edit made on input.revision; 409 conflict when someone saved since. */
  updateModule(id: string, input: ModuleInput): Promise<Module> {
    return call<Module>('PUT', `/api/modules/${seg(id)}`, { body: input });
  },
  duplicateModule(id: string, name?: string): Promise<Module> {
    return call<Module>('POST', `/api/modules/${seg(id)}/duplicate`, { body: name ? { name } : {} });
  },
  deleteModule(id: string): Promise<void> {
    return call<void>('DELETE', `/api/modules/${seg(id)}`);
  },
};
