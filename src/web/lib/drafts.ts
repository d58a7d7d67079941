// Unsaved form input kept in the browser, keyed by user + module + record, so nothing typed is
// lost when the session expires (the sign-in dialog keeps the page) or the user leaves the form.
// Victim records are kept only in this page's memory, never in Web Storage: sessionStorage and
// localStorage are written to the browser profile on disk, where whoever uses the computer next
// (or a restored session) could read a victim's profile. Leaving the page loses that copy, so the
// victims form says so and offers the server-side draft («Guardar borrador», any subset of fields).
// Other modules (no personal data) are kept in localStorage and survive a reload.
import type { Values } from '../api/types';

const PREFIX = 'sintra:draft:';

export interface Draft {
  values: Values;
  /** Version of the record the input started from (null for a new record). */
  baseVersion: number | null;
  /** The record's values at baseVersion, to show what others changed on a 409. */
  baseline: Values;
  savedAt: string;
}

const memory = new Map<string, string>();
const memoryStore = {
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, v),
  removeItem: (k: string) => void memory.delete(k),
};

/** Modules whose unsaved input never leaves memory. */
export function draftsInMemoryOnly(moduleKey: string): boolean {
  return moduleKey === 'victimas';
}

function storeFor(moduleKey: string): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null {
  try {
    return draftsInMemoryOnly(moduleKey) ? memoryStore : window.localStorage;
  } catch {
    return null;
  }
}

export function draftKey(userId: string, moduleKey: string, recordId: string | null): string {
  return `${PREFIX}${userId}:${moduleKey}:${recordId ?? 'nuevo'}`;
}

export function loadDraft(userId: string, moduleKey: string, recordId: string | null): Draft | null {
  const s = storeFor(moduleKey);
  const raw = s?.getItem(draftKey(userId, moduleKey, recordId));
  if (!raw) return null;
  try {
    const d = JSON.parse(raw) as Draft;
    return d && typeof d.values === 'object' ? d : null;
  } catch {
    return null;
  }
}

export function saveDraft(userId: string, moduleKey: string, recordId: string | null, d: Draft): void {
  try {
    storeFor(moduleKey)?.setItem(draftKey(userId, moduleKey, recordId), JSON.stringify(d));
  } catch {
    // Storage full or disabled: the form keeps working, only the safety copy is lost.
  }
}

export function removeDraft(userId: string, moduleKey: string, recordId: string | null): void {
  storeFor(moduleKey)?.removeItem(draftKey(userId, moduleKey, recordId));
}

/** On sign-out: the sensitive (memory and session) copies go; the others stay for the same user. */
export function clearSessionDrafts(): void {
  memory.clear();
  try {
    const s = window.sessionStorage;
    for (let i = s.length - 1; i >= 0; i--) {
      const k = s.key(i);
      if (k?.startsWith(PREFIX)) s.removeItem(k);
    }
  } catch {
    // ignore
  }
}

// Names and sizes of files uploaded from this browser (records only carry the ids).
const FILES_KEY = 'sintra:adjuntos';
export interface FileInfo {
  name: string;
  size: number;
}

export function rememberFile(id: string, info: FileInfo): void {
  try {
    const all = JSON.parse(sessionStorage.getItem(FILES_KEY) ?? '{}') as Record<string, FileInfo>;
    all[id] = info;
    sessionStorage.setItem(FILES_KEY, JSON.stringify(all));
  } catch {
    // ignore
  }
}

export function fileInfo(id: string): FileInfo | undefined {
  try {
    return (JSON.parse(sessionStorage.getItem(FILES_KEY) ?? '{}') as Record<string, FileInfo>)[id];
  } catch {
    return undefined;
  }
}
