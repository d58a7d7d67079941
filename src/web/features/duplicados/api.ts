// Possible duplicates across institutions (GET/POST /api/v1/duplicados…), Secretaría Técnica only.
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface DupRecord {
  id: string;
  folio_sintra: string;
  institucion_id: string;
  institucion_nombre: string | null;
  entidad_federativa: string | null;
  condicion: string | null;
  sexo: string | null;
  edad: number | null;
  grupo_edad: string | null;
  nacionalidad: string | null;
  fecha_identificacion: string | null;
  operativo_id: string | null;
  estatus: string;
  deleted_at: string | null;
}
export interface DupPair {
  id: string;
  estatus: 'pendiente' | 'confirmado' | 'descartado';
  criterio: 'operativo' | 'fecha';
  dias_diferencia: number | null;
  detectado_at: string;
  revisado_at: string | null;
  revisado_por: string | null;
  nota: string | null;
  a: DupRecord;
  b: DupRecord;
}
export interface DupPage {
  items: DupPair[];
  nextCursor: string | null;
  counts: Record<string, number>;
  ultimaEjecucion: { at: string; resultado: { nuevos: number; retirados: number; pendientes: number } } | null;
  regla: string;
}

export function useDuplicates(estatus: string) {
  return useInfiniteQuery({
    queryKey: ['duplicados', estatus],
    queryFn: ({ pageParam }) => api<DupPage>('/duplicados', { query: { estatus, limit: 20, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, nota }: { id: string; action: 'confirmar' | 'descartar'; nota?: string }) =>
      api<DupPair>(`/duplicados/${id}/${action}`, { method: 'POST', body: nota ? { nota } : {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['duplicados'] }),
  });
}

export function useDetect() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ ran: boolean; nuevos: number; retirados: number; pendientes: number; ms: number }>('/duplicados/detectar', { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['duplicados'] }),
  });
}
