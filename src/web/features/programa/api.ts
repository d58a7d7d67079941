// Programa Nacional, indicators, commitments, compliance and annual-report endpoints (one hook per endpoint).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../api/client';

export interface Accion {
  id: string;
  numero: string;
  codigo: string;
  texto: string;
  tipo_accion: string | null;
  institucion_coordinadora: string | null;
  instituciones_responsables: string[];
  registros: number;
  por_modulo: Record<string, number>;
  por_institucion: { codigo: string; nombre: string; registros: number }[];
  responsables_sin_registro: { codigo: string; nombre: string }[];
  avance: number | null;
}
export interface Estrategia {
  id: string;
  numero: string;
  codigo: string;
  texto: string;
  registros: number;
  acciones: Accion[];
}
export interface Meta {
  id: string;
  tipo: string;
  nombre: string;
  linea_base_valor: number | null;
  linea_base_anio: number | null;
  meta_valor: number | null;
  meta_anio: number | null;
  indicador_sintra: string | null;
}
export interface Objetivo {
  id: string;
  numero: number;
  codigo: string;
  texto: string;
  registros: number;
  estrategias: Estrategia[];
  metas: Meta[];
  indicadores: { id: string; nombre: string }[];
}
export interface Programa {
  programa: { id: string; clave: string; nombre: string; periodo_inicio: string; periodo_fin: string; vigente: boolean; etiquetas_niveles: string[] };
  periodo: { desde: string; hasta: string | null };
  /** Present when counts of persons are left out (protected figures). */
  nota?: string;
  objetivos: Objetivo[];
}

export function usePrograma(params: QueryParams) {
  return useQuery({ queryKey: ['programa', params], queryFn: ({ signal }) => api<Programa>('/programa', { query: params, signal }), placeholderData: keepPreviousData });
}
export function useProgramas() {
  return useQuery({ queryKey: ['programa', 'list'], queryFn: () => api<{ items: Programa['programa'][] }>('/programa/programas') });
}

/** Administrator edits: POST/PUT/DELETE on the programme's nodes; refreshes the tree and the PN_ACCION catalog. */
export function useProgramaEdit() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { method: 'POST' | 'PUT' | 'DELETE'; path: string; body?: unknown }) => api<unknown>(v.path, { method: v.method, body: v.body ?? (v.method === 'DELETE' ? undefined : {}) }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['programa'] });
      void qc.invalidateQueries({ queryKey: ['catalog'] });
      void qc.invalidateQueries({ queryKey: ['indicators'] });
    },
  });
}

export interface Indicador {
  id: string;
  nombre: string;
  objetivos: number[];
  periodicidad: string;
  desagregacion: string;
  periodo_regla: string;
  numerador: { texto: string; valor: number | string };
  denominador: { texto: string; valor: number | string };
  valor: number | null;
  linea_base: { anio: number | null; valor: number | null; calculada: boolean };
  meta: { anio: number | null; valor: number | null };
  tendencia: { anio: number; valor: number | null; numerador: number | string; denominador: number | string }[];
  nota: string | null;
}
export function useIndicators(params: QueryParams) {
  return useQuery({
    queryKey: ['indicators', params],
    queryFn: ({ signal }) => api<{ periodo: { desde: string; hasta: string }; fecha_corte: string; items: Indicador[] }>('/indicators', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export interface Resumen {
  acuerdos: number;
  por_estado: Record<string, number>;
  vencidos: number;
  cumplidos: number;
  tasa_cumplimiento: number | null;
  avance_promedio: number | null;
  dias_promedio_cumplimiento: number | null;
}
export interface Acuerdo {
  id: string;
  folio_sintra: string;
  institucion_id: string;
  entidad_federativa: string | null;
  tipo_organo: string;
  nombre_organo: string;
  numero_sesion: number;
  fecha_sesion: string;
  clave_acuerdo: string;
  descripcion_acuerdo: string;
  tema_acuerdo: string;
  fecha_compromiso: string | null;
  estado_seguimiento: string;
  porcentaje_avance: number;
  vencido: boolean;
  dias_vencido: number | null;
}
export function useCommitments(params: QueryParams) {
  return useQuery({
    queryKey: ['commitments', params],
    queryFn: ({ signal }) =>
      api<{ fecha_referencia: string; nacional: Resumen; comision_intersecretarial: Resumen; por_comision_estatal: (Resumen & { entidad: string })[]; items: Acuerdo[] | null }>('/commitments', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export interface Cumplimiento {
  posicion: number;
  codigo: string;
  nombre: string;
  ambito: string;
  entidad: string | null;
  debidos: number;
  trimestres_enviados: number;
  trimestres_validados: number;
  registros: { borrador: number; enviado: number; validado: number; devuelto: number };
  completitud: number | null;
  indice: number;
}
export function useCompliance(params: QueryParams) {
  return useQuery({
    queryKey: ['compliance', params],
    queryFn: ({ signal }) => api<{ periodo: { anio: number; trimestres: number[] }; metodo: string; nota?: string; items: Cumplimiento[] }>('/compliance', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export interface Job {
  id: string;
  anio: number;
  snapshot_id: string | null;
  estado: 'en_proceso' | 'listo' | 'error';
  progreso: number;
  etapa: string | null;
  error: string | null;
  figuras_sha256: string | null;
  duracion_ms: number | null;
}
export interface Snapshot {
  id: string;
  anio: number;
  fecha_corte: string;
  taken_at: string;
  conteos: Record<string, number>;
  sha256: string;
}
export function useSnapshots(anio: number) {
  return useQuery({ queryKey: ['snapshots', anio], queryFn: () => api<{ items: Snapshot[] }>('/reports/snapshots', { query: { anio } }) });
}
export function useStartReport() {
  return useMutation({ mutationFn: (v: { anio: number; snapshot?: string | null; nuevo_corte?: boolean }) => api<Job>('/reports/annual/jobs', { method: 'POST', body: v }) });
}
/** Polls a generation until it ends. */
export function useJob(id: string | null) {
  return useQuery({
    queryKey: ['report-job', id],
    queryFn: () => api<Job>(`/reports/jobs/${id}`),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && q.state.data.estado !== 'en_proceso' ? false : 700),
  });
}
