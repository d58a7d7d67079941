// When the session ends, on the browser's clock, and whether it must be signed in again.
// The server is the authority (idle window extended by every request, absolute end at sign-in + 12 h);
// this only mirrors it to warn before the end and to keep the page when it comes (issue 4 §4, issue 3 §6).
import type { QueryParams } from './client';
import type { Session } from './types';

export type EndReason = 'inactividad' | 'maximo' | 'otra';

interface State {
  /** Local ms when the session ends for inactivity, if nothing more reaches the server. */
  idleAt: number | null;
  /** Local ms of the absolute end. */
  absAt: number | null;
  /** Idle window, ms. */
  idleMs: number | null;
  /** The session ended and the page waits for the same person to sign in again. */
  reauth: EndReason | null;
  /** The last signed-in session, kept while the dialog asks to sign in again. */
  last: Session | null;
}

let state: State = { idleAt: null, absAt: null, idleMs: null, reauth: null, last: null };
const listeners = new Set<() => void>();

function set(patch: Partial<State>) {
  state = { ...state, ...patch };
  listeners.forEach((l) => l());
}

export const sessionClock = {
  get: (): State => state,
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },

  /** A /auth/me or /auth/login answer: the server's deadlines, moved to this clock. */
  fromSession(s: Session, receivedAt = Date.now()) {
    const server = s.serverTime ? Date.parse(s.serverTime) : receivedAt;
    const offset = receivedAt - server;
    const at = (iso: string | null | undefined) => (iso ? Date.parse(iso) + offset : null);
    set({
      idleAt: at(s.idleExpiresAt),
      absAt: at(s.expiresAt),
      idleMs: s.idleTimeoutSec ? s.idleTimeoutSec * 1000 : state.idleMs,
      last: s,
      reauth: null,
    });
  },

  /** Any other answered request extended the idle window (the /auth/me?peek=1 poll does not). */
  reached(path: string, query: QueryParams | undefined) {
    if (path === '/auth/me' && query?.peek) return;
    if (path === '/auth/login' || path === '/auth/logout' || !state.last || state.reauth || state.idleMs === null) return;
    // The server stamped the request a little before the answer arrived: round the deadline down.
    const idleAt = Date.now() + state.idleMs - 1500;
    set({ idleAt: state.absAt !== null ? Math.min(idleAt, state.absAt) : idleAt });
  },

  /** The server refused the session (401) while someone was signed in on this page. */
  ended(): boolean {
    if (!state.last) return false;
    if (!state.reauth) {
      const now = Date.now();
      const reason: EndReason = state.absAt !== null && now >= state.absAt - 2000 ? 'maximo' : state.idleAt !== null && now >= state.idleAt - 5000 ? 'inactividad' : 'otra';
      set({ reauth: reason });
    }
    return true;
  },

  /** Signed out on purpose: nothing to keep. */
  forget() {
    set({ idleAt: null, absAt: null, idleMs: null, reauth: null, last: null });
  },
};

/** Which deadline comes first and how far it is (ms, may be negative). */
export function nextDeadline(s: Pick<State, 'idleAt' | 'absAt'>, now: number): { kind: 'inactividad' | 'maximo'; at: number; left: number } | null {
  if (s.idleAt === null && s.absAt === null) return null;
  const kind = s.absAt !== null && (s.idleAt === null || s.absAt <= s.idleAt) ? 'maximo' : 'inactividad';
  const at = kind === 'maximo' ? s.absAt! : s.idleAt!;
  return { kind, at, left: at - now };
}

/**
 * How long before the end the warning shows: two minutes before an idle end and ten before the
 * absolute one (time to save), never more than half the idle window (short windows in tests).
 */
export function warnBefore(kind: 'inactividad' | 'maximo', idleMs: number | null): number {
  const cap = idleMs ? idleMs / 2 : Infinity;
  return Math.min(kind === 'maximo' ? 10 * 60_000 : 2 * 60_000, cap);
}
