// Reading one spreadsheet cell the way a person wrote it: numbers with thousands separators or decimal
// commas, dates as dd/mm/aaaa, aaaa-mm-dd or Excel serials (never shifted by time zone), sí/no.
// Pure functions: unit-tested in cells.test.ts.
import { isValidDate } from '../../modules/validate.js';

/** A cell as read from CSV (always text) or XLSX (typed). */
export type Raw = string | number | boolean | Date | null;

/** A cell with no value to import: an Excel error, or a formula saved without its computed result. */
export type CellProblem = { error: string } | { formula: string };

/** Turns an exceljs cell value (rich text, formula, hyperlink, error…) into a plain value. */
export function cellToRaw(v: unknown): Raw | CellProblem {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((t) => t.text ?? '').join('');
    if ('error' in o) return { error: String(o.error) };
    if ('formula' in o || 'sharedFormula' in o) {
      // Written by a program and never recalculated by Excel: the value is unknown, not empty.
      if (o.result === undefined || o.result === null) return { formula: String(o.formula ?? o.sharedFormula ?? '') };
      // The streaming reader parses an error result (t="e", e.g. #N/A) as a number: NaN.
      if (typeof o.result === 'number' && Number.isNaN(o.result)) return { error: 'resultado de fórmula con error' };
      return cellToRaw(o.result);
    }
    if ('text' in o) return cellToRaw(o.text);
    if ('sharedString' in o) return null;
  }
  return String(v);
}

export function isBlank(v: Raw): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}

/** Lower case, no accents, single spaces: how headers and catalog labels are compared. */
export function foldKey(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
}

/**
 * Text as typed. An apostrophe before = + - @ is how exports (and Excel) neutralise formulas, so it is
 * removed on the way back in; integers typed as numbers (a phone, a zip code) keep no ".0".
 */
export function rawToText(v: Raw): string | null {
  if (v === null) return null;
  if (typeof v === 'string') {
    const s = v.replace(/\r\n?/g, '\n').trim();
    if (s === '') return null;
    return /^'[=+\-@]/.test(s) ? s.slice(1) : s;
  }
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'Sí' : 'No';
  return dateToIso(v);
}

export type NumberRead = { kind: 'number'; value: number } | { kind: 'ambiguous'; grouped: number } | { kind: 'invalid' };

const SPACES = /[\s\u00a0\u202f]/g;

/**
 * A number written as text. "1,234.5" and "1.234,5" both read 1234.5; "12,5" is 12.5; "1 234" is 1234.
 * One separator followed by exactly three digits ("1,234") could be a thousands separator or a decimal
 * one: the caller decides (an integer field takes 1234; a decimal field refuses it with a message).
 */
export function parseNumberText(input: string): NumberRead {
  let s = input.trim();
  if (s === '') return { kind: 'invalid' };
  let sign = 1;
  if (s[0] === '-' || s[0] === '+' || s[0] === '\u2212') {
    if (s[0] !== '+') sign = -1;
    s = s.slice(1).trim();
  }
  const num = (x: string) => sign * Number(x);
  if (/^\d+$/.test(s)) return { kind: 'number', value: num(s) };
  if (/^\d+(\.\d+)?e[+-]?\d+$/i.test(s)) return { kind: 'number', value: num(s) };
  // Grouping by spaces, with an optional decimal part.
  if (/^\d{1,3}([\s\u00a0\u202f]\d{3})+([.,]\d+)?$/.test(s)) return { kind: 'number', value: num(s.replace(SPACES, '').replace(',', '.')) };
  const single = /^(\d+)([.,])(\d+)$/.exec(s);
  if (single) {
    const [, intPart, , frac] = single;
    const value = num(`${intPart}.${frac}`);
    if (frac.length === 3 && intPart.length <= 3 && intPart !== '0') return { kind: 'ambiguous', grouped: num(intPart + frac) };
    return { kind: 'number', value };
  }
  // The same separator repeated: thousands groups (1.234.567 or 1,234,567).
  const repeated = /^\d{1,3}(([.,])\d{3})(\2\d{3})+$/.exec(s);
  if (repeated) return { kind: 'number', value: num(s.replace(/[.,]/g, '')) };
  // Both separators: the last one is the decimal separator, the other groups thousands.
  const both = /^(\d{1,3}(?:([.,])\d{3})+)([.,])(\d+)$/.exec(s);
  if (both && both[2] !== both[3] && !both[1].includes(both[3])) return { kind: 'number', value: num(`${both[1].replace(/[.,]/g, '')}.${both[4]}`) };
  return { kind: 'invalid' };
}

/** YYYY-MM-DD of a Date's UTC calendar day: exceljs gives Excel's wall-clock values as UTC. */
export function dateToIso(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) return null;
  return `${String(y).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

const DAY_MS = 86_400_000;

/**
 * Excel serial date → YYYY-MM-DD. The time of day (the fraction) is dropped, never rounded into the
 * next day. Serial 60 is Excel's fictitious 29 Feb 1900; the 1904 system counts from 1904-01-01.
 */
export function serialToIso(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial)) return null;
  let days = Math.floor(Math.round(serial * DAY_MS) / DAY_MS);
  if (date1904) days += 1462;
  if (days < 1 || days > 2_958_465 || (!date1904 && days === 60)) return null;
  const epoch = days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return dateToIso(new Date(epoch + days * DAY_MS));
}

/** A date written as text: dd/mm/aaaa (also with - or .), aaaa-mm-dd, aaaa/mm/dd, or an Excel serial. */
export function parseDateText(input: string, date1904 = false): string | null {
  const s = input.trim();
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T\s]\d{1,2}:\d{2}.*)?$/.exec(s);
  if (m) return ymd(m[1], m[2], m[3]);
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s*m\.?)?)?$/i.exec(s);
  if (m) return ymd(m[3], m[2], m[1]);
  if (/^\d{5}(\.\d+)?$/.test(s)) return serialToIso(Number(s), date1904);
  return null;
}

function ymd(y: string, mo: string, d: string): string | null {
  const iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return isValidDate(iso) ? iso : null;
}

const TRUE = new Set(['si', 's', 'true', 'verdadero', 'v', '1', 'x', 'yes', 'y']);
const FALSE = new Set(['no', 'n', 'false', 'falso', 'f', '0']);

export function parseBoolean(v: Raw): boolean | null | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const k = foldKey(v).replace(/\.$/, '');
  if (TRUE.has(k)) return true;
  if (FALSE.has(k)) return false;
  return undefined;
}

/** Splits a multi-choice cell: `;` or `|` separate values (commas may be inside labels). */
export function splitMulti(s: string): string[] {
  return s
    .split(/[;|\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Excel column letters for a 0-based index (0 → A, 26 → AA). */
export function columnLetter(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
