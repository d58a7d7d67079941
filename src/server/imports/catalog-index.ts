// Catalog values as people write them: the code ("09", "PRESENCIAL"), the code without its leading
// zeros (9 → "09", 9015 → "09015"), the label ignoring case and accents ("ciudad de mexico"), or the
// "clave — etiqueta" text of the template's dropdowns.
import type { CatalogItem } from '../../catalogs/types.js';
import type { CatalogRegistry } from '../catalogs/registry.js';
import { foldKey } from './cells.js';

interface Index {
  title: string;
  byCode: Map<string, CatalogItem>;
  byFoldedCode: Map<string, string>;
  byNumber: Map<string, string[]>;
  byLabel: Map<string, string[]>;
}

export type Resolved = { ok: true; code: string } | { ok: false; reason: 'unknown' | 'ambiguous'; options?: string[] };

/** The separator of "clave — etiqueta" in the template's dropdowns. */
export const CODE_LABEL_SEP = ' — ';

export class CatalogResolver {
  private readonly cache = new Map<string, Index>();
  private readonly answers = new Map<string, Resolved>();
  constructor(private readonly reg: CatalogRegistry) {}

  title(catalog: string): string {
    return this.index(catalog)?.title ?? catalog;
  }

  private index(catalog: string): Index | undefined {
    const hit = this.cache.get(catalog);
    if (hit) return hit;
    const loaded = this.reg.get(catalog);
    if (!loaded) return undefined;
    const idx: Index = { title: loaded.def.title, byCode: new Map(), byFoldedCode: new Map(), byNumber: new Map(), byLabel: new Map() };
    const add = (m: Map<string, string[]>, k: string, code: string) => {
      const list = m.get(k) ?? [];
      if (!list.includes(code)) list.push(code);
      m.set(k, list);
    };
    for (const it of loaded.items) {
      idx.byCode.set(it.code, it);
      idx.byFoldedCode.set(foldKey(it.code), it.code);
      if (/^\d+$/.test(it.code)) add(idx.byNumber, String(Number(it.code)), it.code);
      add(idx.byLabel, foldKey(it.label), it.code);
      if (typeof it.siglas === 'string') add(idx.byLabel, foldKey(it.siglas), it.code);
    }
    this.cache.set(catalog, idx);
    return idx;
  }

  /**
   * The code for what was written. `parent` (the row's state, for municipios) settles labels that
   * several items share, e.g. "Benito Juárez" in Ciudad de México and in Quintana Roo.
   */
  resolve(catalog: string, written: string, parent?: string | null): Resolved {
    // Files repeat the same few values on thousands of rows: remember each answer.
    const key = `${catalog}\u0000${parent ?? ''}\u0000${written}`;
    let hit = this.answers.get(key);
    if (!hit) {
      hit = this.lookup(catalog, written, parent);
      if (this.answers.size < 50_000) this.answers.set(key, hit);
    }
    return hit;
  }

  private lookup(catalog: string, written: string, parent?: string | null): Resolved {
    const idx = this.index(catalog);
    const s = written.trim();
    if (!idx || s === '') return { ok: false, reason: 'unknown' };
    const byCode = (x: string): string | undefined => {
      if (idx.byCode.has(x)) return x;
      const f = idx.byFoldedCode.get(foldKey(x));
      if (f) return f;
      if (/^\d+$/.test(x)) {
        const n = idx.byNumber.get(String(Number(x)));
        if (n && n.length === 1) return n[0];
      }
      return undefined;
    };
    const direct = byCode(s);
    if (direct) return { ok: true, code: direct };
    let options = idx.byLabel.get(foldKey(s)) ?? [];
    if (options.length > 1 && parent) {
      const narrowed = options.filter((c) => idx.byCode.get(c)?.parent === parent);
      if (narrowed.length) options = narrowed;
    }
    if (options.length === 1) return { ok: true, code: options[0] };
    if (options.length > 1) return { ok: false, reason: 'ambiguous', options };
    // "clave — etiqueta" (the dropdowns' text), tried last so a label holding a dash still matches whole.
    const cut = s.split(/\s+[—–-]\s+/);
    if (cut.length > 1) {
      const c = byCode(cut[0]);
      if (c) return { ok: true, code: c };
    }
    return { ok: false, reason: 'unknown' };
  }
}
