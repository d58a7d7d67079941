// The audit trail (GET /api/v1/audit, /audit/actions, /audit/verify): auditor and administrador only.
import { queryOptions, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface AuditItem {
  id: number;
  at: string;
  user_id: string | null;
  username: string | null;
  institucion_id: string | null;
  role: string | null;
  ip?: string | null;
  action: string;
  action_label: string;
  module: string | null;
  record_id: string | null;
  folio: string | null;
  detail: unknown;
  prev_hash?: string;
  hash?: string;
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
  total: number;
}

/** The filters of the screen, as the API names them (empty ones are left out of the query). */
export interface AuditFilters {
  user?: string;
  institucion_id?: string;
  record?: string;
  action?: string[];
  module?: string;
  from?: string;
  to?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toQuery(f: AuditFilters) {
  const rec = f.record?.trim();
  return {
    user: f.user?.trim() || undefined,
    institucion_id: f.institucion_id || undefined,
    // One box for the record: its identifier or its folio.
    record_id: rec && UUID.test(rec) ? rec : undefined,
    folio: rec && !UUID.test(rec) ? rec.toUpperCase() : undefined,
    action: f.action?.length ? f.action : undefined,
    module: f.module || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
  };
}

export function useAuditTrail(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) => api<AuditPage>('/audit', { query: { ...toQuery(filters), limit: 50, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const auditActionsQuery = queryOptions({
  queryKey: ['audit', 'actions'],
  queryFn: async () => (await api<{ items: { code: string; label: string }[] }>('/audit/actions')).items,
  staleTime: Infinity,
});

export function useAuditActions() {
  return useQuery(auditActionsQuery);
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  lastId: number | null;
  lastHash: string;
  problem: { id: number; previousId: number | null; kind: string; message: string } | null;
}

export function useVerifyChain() {
  return useMutation({ mutationFn: () => api<ChainReport>('/audit/verify') });
}
