// The legal tables of art. 88 fr. VIII (GET /api/v1/stats/legal…), the publication of closed periods
// (POST /api/v1/stats/publicaciones) and the municipal drill-down of the states map.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl, type QueryParams } from '../../api/client';
import type { StatsOut } from '../../api/types';

export interface LegalPartDef {
  key: string;
  title: string;
  rows: string;
  cols: string | null;
  chart: 'bar' | 'pie' | 'sankey' | 'map';
  geo: 'entidad' | 'municipio' | null;
  stateField: string | null;
}
export interface LegalDef {
  id: string;
  title: string;
  fields: string;
  condicion: string | null;
  parts: LegalPartDef[];
}
export type LegalPart = StatsOut & { key: string; title: string; chart: LegalPartDef['chart']; geo?: 'entidad' | 'municipio'; stateField?: string };
export interface LegalResult {
  id: string;
  title: string;
  fields: string;
  condicion: string;
  condicionLabel: string;
  parts: LegalPart[];
}
export interface Publicacion {
  id: number;
  periodo: string;
  anio: number;
  trimestre: number | null;
  desde: string;
  hasta: string;
  version: number;
  umbral: number;
  publicada_at: string;
}

export function useLegalDefs() {
  return useQuery({ queryKey: ['legal', 'defs'], queryFn: () => api<{ items: LegalDef[]; condiciones: { code: string; label: string }[] }>('/stats/legal'), staleTime: Infinity });
}

export function useLegalTable(id: string, params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: ['legal', id, params],
    queryFn: ({ signal }) => api<LegalResult>(`/stats/legal/${encodeURIComponent(id)}`, { query: params, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function legalFileUrl(id: string, params: QueryParams, format: 'csv' | 'xlsx'): string {
  return apiUrl(`/stats/legal/${encodeURIComponent(id)}`, { ...params, format });
}

export function useStatsQuery(moduleKey: string, params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: ['stats', moduleKey, params],
    queryFn: ({ signal }) => api<StatsOut>(`/stats/${moduleKey}`, { query: params, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function usePublications(enabled = true) {
  return useQuery({ queryKey: ['publicaciones'], queryFn: async () => (await api<{ items: Publicacion[] }>('/stats/publicaciones')).items, enabled });
}

export function usePublish() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (periodo: string) => api<Publicacion>('/stats/publicaciones', { method: 'POST', body: { periodo } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['publicaciones'] }),
  });
}

export function useStatesGeo(publicRoute = false) {
  return useQuery({
    queryKey: ['geo', 'estados', publicRoute],
    queryFn: () => api<unknown>(publicRoute ? '/public/geo/estados' : '/geo/estados'),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}
