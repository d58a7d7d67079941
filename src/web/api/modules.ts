// The 12 module definitions as served by GET /api/v1/modules (the form, list and statistics are built from them).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { FieldOut, ModuleOut } from './types';

export const modulesQuery = queryOptions({
  queryKey: ['modules'],
  queryFn: async () => (await api<{ modules: ModuleOut[] }>('/modules')).modules,
  staleTime: Infinity,
});

export function useModules() {
  return useQuery(modulesQuery);
}

export function useModule(key: string): { module: ModuleOut | undefined; isPending: boolean; error: Error | null } {
  const q = useModules();
  return { module: q.data?.find((m) => m.key === key), isPending: q.isPending, error: q.error };
}

/** Metadata fields first, then the module's own fields. */
export function allFieldsOf(m: ModuleOut): FieldOut[] {
  return [...m.metadataFields, ...m.fields];
}

export function fieldOf(m: ModuleOut, key: string): FieldOut | undefined {
  return m.fields.find((f) => f.key === key) ?? m.metadataFields.find((f) => f.key === key);
}

/** Groups in the seed's order, each with its modules. */
export function groupModules(mods: readonly ModuleOut[]): { key: string; label: string; modules: ModuleOut[] }[] {
  const out: { key: string; label: string; modules: ModuleOut[] }[] = [];
  for (const m of [...mods].sort((a, b) => a.number - b.number)) {
    let g = out.find((x) => x.key === m.groupKey);
    if (!g) out.push((g = { key: m.groupKey, label: m.group, modules: [] }));
    g.modules.push(m);
  }
  return out;
}
