// Catalogs (GET /api/v1/catalogs/:name), cached for the whole session: codes are strings, labels Spanish.
import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { CatalogItem, CatalogOut } from './types';

export function catalogQuery(name: string, entidad?: string | null) {
  return queryOptions({
    queryKey: ['catalog', name, entidad ?? null],
    queryFn: async () => (await api<CatalogOut>(`/catalogs/${encodeURIComponent(name)}`, { query: { entidad: entidad ?? undefined } })).items,
    // Record-reference catalogs (operativo_ref…) change as records are saved; the rest rarely.
    staleTime: name.endsWith('_ref') ? 30_000 : 60 * 60_000,
    gcTime: 2 * 60 * 60_000,
  });
}

export function useCatalog(name: string | null | undefined, entidad?: string | null, enabled = true) {
  return useQuery({ ...catalogQuery(name ?? '', entidad), enabled: Boolean(name) && enabled });
}

export type LabelMap = Map<string, CatalogItem>;

/** Several catalogs at once, as code → item maps keyed by catalog name. */
export function useCatalogMaps(names: readonly (string | null | undefined)[]): { maps: Record<string, LabelMap>; isPending: boolean } {
  const uniq = [...new Set(names.filter((n): n is string => Boolean(n)))];
  const results = useQueries({ queries: uniq.map((n) => catalogQuery(n)) });
  const maps: Record<string, LabelMap> = {};
  uniq.forEach((n, i) => {
    const items = results[i]?.data;
    if (items) maps[n] = new Map(items.map((it) => [it.code, it]));
  });
  return { maps, isPending: results.some((r) => r.isPending) };
}

export function labelOf(maps: Record<string, LabelMap>, catalog: string | null | undefined, code: string): string {
  if (!catalog) return code;
  return maps[catalog]?.get(code)?.label ?? code;
}
