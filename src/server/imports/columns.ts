// The spreadsheet columns of a module, derived from its definition: what the template offers, what an
// import reads and (with the server-set columns) what an export writes.
import { METADATA_FIELDS } from '../../modules/metadata.js';
import type { FieldDef, ModuleDef } from '../../modules/types.js';
import { foldKey } from './cells.js';

export interface SheetColumn {
  /** Field key, or `<key>_otro` for the "Otro" specification. */
  key: string;
  label: string;
  /** The field (for an `_otro` column, the field it specifies). */
  field: FieldDef;
  otro: boolean;
}

export function otroLabel(f: FieldDef): string {
  return `${f.label}: especifique «Otro»`;
}

function withOtro(fields: readonly FieldDef[]): SheetColumn[] {
  const out: SheetColumn[] = [];
  for (const f of fields) {
    out.push({ key: f.key, label: f.label, field: f, otro: false });
    if (f.otro) out.push({ key: `${f.key}_otro`, label: otroLabel(f), field: f, otro: true });
  }
  return out;
}

/**
 * Columns a person fills: the record metadata a client may send, then the module's fields with their
 * "Otro" companions. `archivo` fields are left out: files are attached from the record's form.
 */
export function importColumns(m: ModuleDef): SheetColumn[] {
  return withOtro([...METADATA_FIELDS, ...m.fields.filter((f) => f.type !== 'archivo')]);
}

/** Server-set columns an export adds (an import of an exported file ignores them). */
export const EXPORT_META: readonly { key: string; label: string; kind: 'text' | 'estatus' | 'timestamp' }[] = [
  { key: 'folio_sintra', label: 'Folio SINTRA', kind: 'text' },
  { key: 'estatus', label: 'Estatus', kind: 'estatus' },
];
export const EXPORT_TAIL: readonly { key: string; label: string; kind: 'text' | 'estatus' | 'timestamp' }[] = [
  { key: 'observaciones_validacion', label: 'Observaciones de validación', kind: 'text' },
  { key: 'created_at', label: 'Fecha de registro (hora del centro de México)', kind: 'timestamp' },
  { key: 'updated_at', label: 'Última modificación (hora del centro de México)', kind: 'timestamp' },
  { key: 'enviado_at', label: 'Fecha de envío (hora del centro de México)', kind: 'timestamp' },
  { key: 'validado_at', label: 'Fecha de validación (hora del centro de México)', kind: 'timestamp' },
];

/** All the data columns of an export, archivo fields included (as a count of files). */
export function exportFieldColumns(m: ModuleDef): SheetColumn[] {
  return withOtro([...METADATA_FIELDS, ...m.fields]);
}

/** The header of a template column: the Spanish label and, below it, the key. */
export function templateHeader(c: SheetColumn): string {
  return `${c.label}\n[${c.key}]`;
}

export type HeaderMatch = { kind: 'column'; column: SheetColumn } | { kind: 'ignore' } | { kind: 'archivo'; field: FieldDef };

/** Recognises a header written as the key, the Spanish label, or the template's "label [key]". */
export function headerMatcher(m: ModuleDef): (header: string) => HeaderMatch | undefined {
  const map = new Map<string, HeaderMatch>();
  const put = (k: string, v: HeaderMatch) => {
    if (!map.has(foldKey(k))) map.set(foldKey(k), v);
  };
  for (const c of importColumns(m)) {
    put(c.key, { kind: 'column', column: c });
    put(c.label, { kind: 'column', column: c });
  }
  for (const f of m.fields) {
    if (f.type !== 'archivo') continue;
    put(f.key, { kind: 'archivo', field: f });
    put(f.label, { kind: 'archivo', field: f });
    put(archivoLabel(f), { kind: 'archivo', field: f });
  }
  for (const c of [...EXPORT_META, ...EXPORT_TAIL]) {
    put(c.key, { kind: 'ignore' });
    put(c.label, { kind: 'ignore' });
  }
  return (header: string) => {
    const h = header.replace(/\s+/g, ' ').trim();
    const bracket = /\[([a-z0-9_]+)\]\s*$/i.exec(h);
    if (bracket) {
      const byKey = map.get(foldKey(bracket[1]));
      if (byKey) return byKey;
    }
    return map.get(foldKey(h));
  };
}

export function archivoLabel(f: FieldDef): string {
  return `${f.label} (número de archivos adjuntos)`;
}
