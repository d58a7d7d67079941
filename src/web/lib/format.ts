// Display formats of the client (es-MX): calendar dates dd/mm/aaaa never shifted by time zone,
// instants in America/Mexico_City, numbers with Mexican separators.
import type { FieldOut } from '../api/types';
import { labelOf, type LabelMap } from '../api/catalogs';

export const TZ = 'America/Mexico_City';

/** 'YYYY-MM-DD' → 'dd/mm/aaaa' by string handling (a Date would shift it by the time zone). */
export function fmtDate(iso: unknown): string {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return '';
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

const dateTimeFmt = new Intl.DateTimeFormat('es-MX', {
  timeZone: TZ,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An instant (ISO with time zone) shown in Mexico City time: 'dd/mm/aaaa, hh:mm'. */
export function fmtDateTime(iso: unknown): string {
  if (typeof iso !== 'string' || !iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return dateTimeFmt.format(d);
}

const numFmt = new Intl.NumberFormat('es-MX', { maximumFractionDigits: 2 });
export function fmtNumber(n: unknown): string {
  if (typeof n === 'number') return numFmt.format(n);
  if (typeof n === 'string') return n;
  return '';
}

export function fmtSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${numFmt.format(Math.round(bytes / 102.4) / 10)} KB`;
  return `${numFmt.format(Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}

export function plural(n: number, one: string, many: string): string {
  return `${numFmt.format(n)} ${n === 1 ? one : many}`;
}

/** A field value as text for tables, the record page and the conflict dialog. */
export function fmtValue(f: Pick<FieldOut, 'type' | 'catalog'> & { key?: string }, v: unknown, maps: Record<string, LabelMap>): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return '';
  switch (f.type) {
    case 'fecha':
      return fmtDate(v);
    case 'booleano':
      return v === true ? 'Sí' : v === false ? 'No' : String(v);
    case 'entero':
    case 'decimal':
      // Years read as years (2024), not as quantities (2,024).
      return f.key && /anio|year/.test(f.key) && typeof v === 'number' ? String(v) : fmtNumber(v);
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return labelOf(maps, f.catalog, String(v));
    case 'catalogo_multiple':
      return Array.isArray(v) ? v.map((c) => labelOf(maps, f.catalog, String(c))).join('; ') : String(v);
    case 'archivo':
      return Array.isArray(v) ? plural(v.length, 'archivo', 'archivos') : '';
    case 'texto':
    case 'texto_largo':
    case 'url':
      return String(v);
  }
}

// In the training environment every tab says so, so practice and production tabs are never confused.
let brand = 'SINTRA';
let lastParts: string[] = [];
export function setTitle(...parts: string[]): void {
  lastParts = parts;
  document.title = [...parts.filter(Boolean), brand].join(' · ');
}
export function setTrainingTitle(training: boolean): void {
  brand = training ? 'SINTRA Capacitación' : 'SINTRA';
  setTitle(...lastParts);
}
