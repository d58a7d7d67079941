// Text that leaves SINTRA in a spreadsheet: no control characters (emoji kept), formulas neutralised,
// and cut to Excel's cell limit with a visible marker.

/** Excel's limit of characters in one cell. */
export const EXCEL_CELL_MAX = 32_767;

// C0 and C1 controls except tab and line feed; U+FFFE/U+FFFF are not characters. XML (XLSX) refuses them.
// Bidirectional overrides and isolates too: they make a cell read differently from what it holds.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/g;
// Halves of a surrogate pair left alone (an emoji cut in two somewhere upstream).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A cell starting like this is run as a formula by spreadsheet programs (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

export function truncationMarker(originalLength: number): string {
  return ` […] [texto recortado: tenía ${originalLength} caracteres; el límite de una celda de Excel es ${EXCEL_CELL_MAX}]`;
}

export function cleanText(input: string): string {
  let s = input.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(LONE_SURROGATE, '');
  if (FORMULA_START.test(s)) s = `'${s}`;
  if (s.length > EXCEL_CELL_MAX) {
    const marker = truncationMarker(s.length);
    let cut = EXCEL_CELL_MAX - marker.length;
    const code = s.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--; // never split an emoji
    s = s.slice(0, cut) + marker;
  }
  return s;
}

/** One CSV field: quoted when it holds the separator, quotes or line breaks. */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
