// Records of a module: list (keyset pages), one record, create/update, workflow steps, attachments.
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type QueryParams } from '../../api/client';
import type { Attachment, ListOut, RecordOut, Values } from '../../api/types';

export const PAGE_SIZE = 50;

export function listQuery(moduleKey: string, params: QueryParams) {
  return infiniteQueryOptions({
    queryKey: ['records', moduleKey, 'list', params],
    queryFn: ({ pageParam, signal }) =>
      api<ListOut>(`/modules/${moduleKey}/records`, { query: { ...params, limit: PAGE_SIZE, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function recordQuery(moduleKey: string, id: string) {
  return queryOptions({
    queryKey: ['records', moduleKey, 'one', id],
    queryFn: () => api<RecordOut>(`/modules/${moduleKey}/records/${id}`),
    staleTime: 0,
  });
}

function useInvalidate(moduleKey: string) {
  const qc = useQueryClient();
  return (rec?: RecordOut) => {
    if (rec) qc.setQueryData(recordQuery(moduleKey, rec.id).queryKey, rec);
    void qc.invalidateQueries({ queryKey: ['records', moduleKey], predicate: (q) => q.queryKey[2] !== 'one' });
    if (moduleKey === 'operativos_rescate' || moduleKey === 'materiales_difusion' || moduleKey === 'instrumentos')
      void qc.invalidateQueries({ queryKey: ['catalog'], predicate: (q) => String(q.queryKey[1]).endsWith('_ref') });
  };
}

/** Create (POST) when there is no id, else replace (PUT with version). */
export function useSaveRecord(moduleKey: string) {
  const done = useInvalidate(moduleKey);
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: Values }) =>
      id
        ? api<RecordOut>(`/modules/${moduleKey}/records/${id}`, { method: 'PUT', body })
        : api<RecordOut>(`/modules/${moduleKey}/records`, { method: 'POST', body }),
    onSuccess: (rec) => done(rec),
  });
}

export type WorkflowAction = 'submit' | 'validate' | 'return' | 'reopen';

export function useWorkflow(moduleKey: string) {
  const done = useInvalidate(moduleKey);
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: WorkflowAction; body?: Record<string, unknown> }) =>
      api<RecordOut>(`/modules/${moduleKey}/records/${id}/${action}`, { method: 'POST', body: body ?? {} }),
    onSuccess: (rec) => done(rec),
  });
}

export function useDeleteRecord(moduleKey: string) {
  const done = useInvalidate(moduleKey);
  const qc = useQueryClient();
  return useMutation({
    // The version shown: if someone changed the record meanwhile, the server answers 409 instead of deleting it unseen.
    mutationFn: ({ id, reason, version }: { id: string; reason: string; version: number }) =>
      api<void>(`/modules/${moduleKey}/records/${id}`, { method: 'DELETE', body: { reason, version } }),
    onSuccess: (_r, { id }) => {
      qc.removeQueries({ queryKey: recordQuery(moduleKey, id).queryKey });
      done();
    },
  });
}

export function uploadAttachment(moduleKey: string, fieldKey: string, file: File): Promise<Attachment> {
  const fd = new FormData();
  // The field first: the server applies that field's size and type limits to the file.
  fd.append('field', `${moduleKey}.${fieldKey}`);
  fd.append('file', file, file.name);
  return api<Attachment>('/attachments', { method: 'POST', body: fd });
}
