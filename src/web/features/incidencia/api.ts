// SESNSP incidence of trafficking (official open data loaded into SINTRA), the years available,
// and the state boundaries for the map.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type QueryParams } from '../../api/client';
import type { StatsOut } from '../../api/types';

/** Accepts the years as a list, or inside `years` / `items` (numbers, strings or { anio }). */
function parseYears(body: unknown): string[] {
  const list: unknown[] = Array.isArray(body)
    ? body
    : body && typeof body === 'object'
      ? ((body as Record<string, unknown>).years ?? (body as Record<string, unknown>).items ?? (body as Record<string, unknown>).anios ?? []) as unknown[]
      : [];
  const years = list
    .map((y) => (y && typeof y === 'object' ? ((y as Record<string, unknown>).anio ?? (y as Record<string, unknown>).year ?? (y as Record<string, unknown>).code) : y))
    .map((y) => String(y))
    .filter((y) => /^\d{4}$/.test(y));
  return [...new Set(years)].sort();
}

export function useIncidenciaYears() {
  return useQuery({
    queryKey: ['incidencia', 'years'],
    queryFn: async () => parseYears(await api<unknown>('/incidencia/years')),
    staleTime: 60 * 60_000,
  });
}

export function useIncidencia(params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: ['incidencia', params],
    queryFn: ({ signal }) => api<StatsOut>('/incidencia', { query: params, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60 * 60_000,
  });
}

export function useEstadosGeo() {
  return useQuery({
    queryKey: ['geo', 'estados'],
    queryFn: () => api<{ type: string; features: unknown[] }>('/geo/estados'),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
