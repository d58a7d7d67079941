// The public publication of closed periods (GET /api/v1/public/…, no session).
import { useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '../../api/client';
import type { StatsOut } from '../../api/types';

export interface PubPeriod {
  periodo: string;
  anio: number;
  trimestre: number | null;
  desde: string;
  hasta: string;
  version: number;
  umbral: number;
  publicada_at: string;
}
export type PubPart = StatsOut & { key: string; title: string; chart: 'bar' | 'pie' | 'sankey' | 'map'; geo?: 'entidad' | 'municipio' };
export interface PubTable {
  id: string;
  title: string;
  fields: string;
  condicion: string;
  condicionLabel: string;
  parts: PubPart[];
}

export function usePublicList() {
  return useQuery({
    queryKey: ['public', 'list'],
    queryFn: () => api<{ items: PubPeriod[]; condiciones: { code: string; label: string }[] }>('/public/publicaciones', { quiet401: true }),
  });
}

export function usePublication(periodo: string | null) {
  return useQuery({
    queryKey: ['public', 'periodo', periodo],
    queryFn: () => api<PubPeriod & { tablas: PubTable[] }>(`/public/publicaciones/${encodeURIComponent(periodo!)}`, { quiet401: true }),
    enabled: Boolean(periodo),
    staleTime: 5 * 60_000,
  });
}

export function usePublicGeo() {
  return useQuery({ queryKey: ['geo', 'estados', 'public'], queryFn: () => api<unknown>('/public/geo/estados', { quiet401: true }), staleTime: Infinity });
}

export function publicFileUrl(periodo: string, tabla: string, condicion: string | undefined, format: 'csv' | 'xlsx') {
  return apiUrl(`/public/publicaciones/${encodeURIComponent(periodo)}/${encodeURIComponent(tabla)}`, { condicion, format });
}
