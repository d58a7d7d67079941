// Text leaving in a spreadsheet: formulas neutralised, control characters gone (emoji kept), cut at Excel's
// cell limit with a marker and never through an emoji.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCEL_CELL_MAX, cleanText, csvField } from './sanitize.js';

describe('cleanText', () => {
  it('neutralises cells that a spreadsheet would run as formulas', () => {
    for (const s of ['=1+1', '+52 55', '-2', '@SUM(A1)', '\t=1']) expect(cleanText(s).startsWith("'")).toBe(true);
    expect(cleanText('hola = mundo')).toBe('hola = mundo');
  });
  it('removes control characters and keeps emoji, accents and line breaks', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f')).toBe('abcdef');
    expect(cleanText('Niñas 😀 👩🏽‍⚕️\r\nsegunda')).toBe('Niñas 😀 👩🏽‍⚕️\nsegunda');
    expect(cleanText('mitad \ud83d sola')).toBe('mitad  sola');
    expect(cleanText('factura\u202Efdp.exe y \u2066aislado\u2069')).toBe('facturafdp.exe y aislado');
  });
  it('cuts at 32,767 characters with a marker saying how long the text was', () => {
    const out = cleanText('x'.repeat(40_000));
    expect(out.length).toBe(EXCEL_CELL_MAX);
    expect(out).toContain('tenía 40000 caracteres');
    const emoji = cleanText('😀'.repeat(20_000));
    expect(emoji.length).toBeLessThanOrEqual(EXCEL_CELL_MAX);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no half emoji left
  });
  it('never returns more than a cell holds, a formula start or a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.integer({ min: 0, max: 40_000 }), (s, pad) => {
        const out = cleanText(s + 'y'.repeat(pad));
        expect(out.length).toBeLessThanOrEqual(EXCEL_CELL_MAX);
        expect(/^[=+\-@\t\r]/.test(out)).toBe(false);
        expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(out)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('csvField', () => {
  it('quotes separators, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('di "hola"')).toBe('"di ""hola"""');
    expect(csvField('uno\ndos')).toBe('"uno\ndos"');
    expect(csvField('simple')).toBe('simple');
    expect(csvField(null)).toBe('');
  });
});
