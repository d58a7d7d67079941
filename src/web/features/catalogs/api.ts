// Catalog administration (administrador): the list of catalogs, one catalog with every value (deprecated ones
// included), adding a value, correcting a label, deprecating a value from a date (or undoing it).
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { CatalogItem } from '../../api/types';

export interface CatalogSummary {
  name: string;
  title: string;
  official: boolean;
}

export interface CatalogDetail {
  name: string;
  title: string;
  official: boolean;
  source: string | null;
  items: CatalogItem[];
}

export interface NewItem {
  code: string;
  label: string;
  group?: string;
  validFrom?: string;
  exclusive?: boolean;
}

export interface ItemChange {
  label?: string;
  validTo?: string | null;
}

export const catalogsQuery = queryOptions({
  queryKey: ['catalogs-admin', 'list'],
  queryFn: () => api<{ items: CatalogSummary[] }>('/catalogs').then((r) => r.items),
  staleTime: 5 * 60_000,
});

export function catalogDetailQuery(name: string) {
  return queryOptions({
    queryKey: ['catalogs-admin', 'one', name],
    queryFn: () => api<CatalogDetail>(`/catalogs/${encodeURIComponent(name)}`),
    staleTime: 0,
  });
}

/** After a change: this screen's copy, and the copies the forms and lists keep (['catalog', name, …]). */
function useRefresh() {
  const qc = useQueryClient();
  return (name: string) => {
    void qc.invalidateQueries({ queryKey: ['catalogs-admin', 'one', name] });
    void qc.invalidateQueries({ queryKey: ['catalog', name] });
  };
}

export function useAddItem(name: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: NewItem) => api<CatalogItem>(`/catalogs/${encodeURIComponent(name)}/items`, { method: 'POST', body }),
    onSuccess: () => refresh(name),
  });
}

export function useChangeItem(name: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ code, change }: { code: string; change: ItemChange }) =>
      api<CatalogItem>(`/catalogs/${encodeURIComponent(name)}/items/${encodeURIComponent(code)}`, { method: 'PUT', body: change }),
    onSuccess: () => refresh(name),
  });
}
