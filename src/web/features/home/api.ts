// Record counts per module for the home page: total, and per status (devuelto / enviado / borrador).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ListOut } from '../../api/types';

export function recordCountQuery(moduleKey: string, estatus: string | null) {
  return queryOptions({
    queryKey: ['records', moduleKey, 'count', estatus],
    queryFn: async () => (await api<ListOut>(`/modules/${moduleKey}/records`, { query: { limit: 1, estatus: estatus ?? undefined } })).total,
    staleTime: 60_000,
  });
}

export function useRecordCount(moduleKey: string, estatus: string | null, enabled: boolean) {
  return useQuery({ ...recordCountQuery(moduleKey, estatus), enabled });
}
