// Cross-tabulated counts of a module (GET /api/v1/stats/:module): the art. 88 tables of victims.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiUrl, type QueryParams } from '../../api/client';
import type { StatsOut } from '../../api/types';

export function useStats(moduleKey: string, params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: ['stats', moduleKey, params],
    queryFn: ({ signal }) => api<StatsOut>(`/stats/${moduleKey}`, { query: params, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function statsFileUrl(moduleKey: string, params: QueryParams, format: 'csv' | 'xlsx'): string {
  return apiUrl(`/stats/${moduleKey}`, { ...params, format });
}
