// How a spreadsheet cell written by a person is read: numbers in both conventions, dates in three forms and
// as Excel serials, sí/no, multi-choice separators, catalog values by code or label.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogRegistry } from '../catalogs/registry.js';
import { CatalogResolver } from './catalog-index.js';
import { cellToRaw, columnLetter, parseBoolean, parseDateText, parseNumberText, rawToText, serialToIso, splitMulti } from './cells.js';
import { decodeText, detectDelimiter } from './read.js';
import { pgArrayLiteral } from './service.js';
import iconv from 'iconv-lite';

describe('cellToRaw', () => {
  it('a formula gives its cached result; without one it is a problem, never an empty cell', () => {
    expect(cellToRaw({ formula: '2+2', result: 4 })).toBe(4);
    expect(cellToRaw({ formula: 'A1&"x"', result: 'ax' })).toBe('ax');
    expect(cellToRaw({ formula: '1+1' })).toEqual({ formula: '1+1' });
    expect(cellToRaw({ sharedFormula: 'A2' })).toEqual({ formula: 'A2' });
    expect(cellToRaw({ formula: 'NA()', result: Number.NaN })).toEqual({ error: 'resultado de fórmula con error' });
    expect(cellToRaw({ formula: 'NA()', result: { error: '#N/A' } })).toEqual({ error: '#N/A' });
  });
});

describe('parseNumberText', () => {
  it('reads both decimal conventions and thousands separators', () => {
    expect(parseNumberText('12,5')).toEqual({ kind: 'number', value: 12.5 });
    expect(parseNumberText('12.5')).toEqual({ kind: 'number', value: 12.5 });
    expect(parseNumberText('1.234,56')).toEqual({ kind: 'number', value: 1234.56 });
    expect(parseNumberText('1,234.56')).toEqual({ kind: 'number', value: 1234.56 });
    expect(parseNumberText('1.234.567')).toEqual({ kind: 'number', value: 1234567 });
    expect(parseNumberText('1 234 567,5')).toEqual({ kind: 'number', value: 1234567.5 });
    expect(parseNumberText('-7')).toEqual({ kind: 'number', value: -7 });
    expect(parseNumberText('0,123')).toEqual({ kind: 'number', value: 0.123 });
  });
  it('leaves "one separator and three digits" to the caller, and refuses what is not a number', () => {
    expect(parseNumberText('1,234')).toEqual({ kind: 'ambiguous', grouped: 1234 });
    expect(parseNumberText('1.234')).toEqual({ kind: 'ambiguous', grouped: 1234 });
    for (const bad of ['doce', '12abc', '1,2,3', '1.234,567.8', '$100', '', '1..2', '12 %']) expect(parseNumberText(bad).kind).toBe('invalid');
  });
  it('any amount with two decimals written the Mexican or the European way reads back exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (cents) => {
        const n = cents / 100;
        const us = n.toLocaleString('en-US', { minimumFractionDigits: 2 });
        const eu = n.toLocaleString('de-DE', { minimumFractionDigits: 2 });
        expect(parseNumberText(us)).toEqual({ kind: 'number', value: n });
        expect(parseNumberText(eu)).toEqual({ kind: 'number', value: n });
      }),
      { numRuns: 300 },
    );
  });
});

describe('dates', () => {
  it('dd/mm/aaaa, aaaa-mm-dd, d/m/aaaa and serials; impossible dates refused', () => {
    expect(parseDateText('31/12/2024')).toBe('2024-12-31');
    expect(parseDateText('1/2/2024')).toBe('2024-02-01');
    expect(parseDateText('2024-02-29')).toBe('2024-02-29');
    expect(parseDateText('2024/2/9')).toBe('2024-02-09');
    expect(parseDateText('15-03-2024 14:30')).toBe('2024-03-15');
    expect(parseDateText('45366')).toBe('2024-03-15');
    for (const bad of ['31/02/2024', '2023-02-29', '13/13/2024', '03/15/2024', '15/03/24', 'mañana', '2024']) expect(parseDateText(bad)).toBeNull();
  });
  it('Excel serials: the time of day never moves the day; the 1900 leap-year bug and the 1904 system', () => {
    expect(serialToIso(45366)).toBe('2024-03-15');
    expect(serialToIso(45366.999988)).toBe('2024-03-15'); // 23:59:59
    expect(serialToIso(61)).toBe('1900-03-01');
    expect(serialToIso(59)).toBe('1900-02-28');
    expect(serialToIso(60)).toBeNull(); // 29 Feb 1900 never existed
    expect(serialToIso(43904, true)).toBe('2024-03-15');
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 2_958_465 }), fc.double({ min: 0, max: 0.99999, noNaN: true }), (day, frac) => {
        const iso = new Date(Date.UTC(1899, 11, 30) + day * 86_400_000).toISOString().slice(0, 10);
        expect(serialToIso(day + frac)).toBe(iso);
      }),
      { numRuns: 300 },
    );
  });
});

describe('other cells', () => {
  it('sí/no in several spellings', () => {
    for (const t of ['Sí', 'si', 'S', 'VERDADERO', 'true', 1, true, 'x']) expect(parseBoolean(t)).toBe(true);
    for (const f of ['No', 'n', 'FALSO', 'false', 0, false]) expect(parseBoolean(f)).toBe(false);
    expect(parseBoolean('tal vez')).toBeUndefined();
  });
  it('text: trimmed, the apostrophe that neutralised a formula removed, integers without ".0"', () => {
    expect(rawToText("'=SUMA(A1)")).toBe('=SUMA(A1)');
    expect(rawToText("'hola")).toBe("'hola");
    expect(rawToText('  a\r\nb  ')).toBe('a\nb');
    expect(rawToText(5512345678)).toBe('5512345678');
    expect(rawToText(new Date(Date.UTC(2024, 0, 31)))).toBe('2024-01-31');
  });
  it('multi-choice by ; or |, commas kept inside labels', () => {
    expect(splitMulti('A; B|C')).toEqual(['A', 'B', 'C']);
    expect(splitMulti('Niñas, niños y adolescentes; SALUD')).toEqual(['Niñas, niños y adolescentes', 'SALUD']);
  });
  it('column letters', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
  it('array literals for the bulk insert escape quotes and backslashes', () => {
    expect(pgArrayLiteral(['a', 'b"c', 'd\\e'])).toBe('{"a","b\\"c","d\\\\e"}');
    expect(pgArrayLiteral([])).toBe('{}');
  });
});

describe('CSV text', () => {
  it('detects UTF-8 with and without BOM, UTF-16 and Windows-1252', () => {
    const s = 'año,niño;€';
    expect(decodeText(Buffer.from(`\uFEFF${s}`, 'utf8'))).toEqual({ text: s, encoding: 'UTF-8 con BOM' });
    expect(decodeText(Buffer.from(s, 'utf8'))).toEqual({ text: s, encoding: 'UTF-8' });
    expect(decodeText(iconv.encode(s, 'win1252'))).toEqual({ text: s, encoding: 'Windows-1252' });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(s, 'utf16le')]))).toEqual({ text: s, encoding: 'UTF-16' });
  });
  it('detects the separator from the header line, ignoring quoted text', () => {
    expect(detectDelimiter('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectDelimiter('a,b,c\n1;2;3')).toBe(',');
    expect(detectDelimiter('"x;y;z",b,c\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
  });
});

describe('CatalogResolver', () => {
  const reg = new CatalogRegistry();
  reg.set({
    name: 'entidad',
    title: 'Entidad federativa',
    items: [
      { code: '09', label: 'Ciudad de México' },
      { code: '23', label: 'Quintana Roo' },
    ],
  });
  reg.set({
    name: 'municipio',
    title: 'Municipio',
    items: [
      { code: '09014', label: 'Benito Juárez', parent: '09' },
      { code: '09015', label: 'Cuauhtémoc', parent: '09' },
      { code: '23005', label: 'Benito Juárez', parent: '23' },
    ],
  });
  reg.set({ name: 'modalidad', title: 'Modalidad', items: [{ code: 'PRESENCIAL', label: 'Presencial' }, { code: 'MIXTA', label: 'Mixta (híbrida)' }] });
  const r = new CatalogResolver(reg);
  it('by code, by code without leading zeros, by label without case or accents, by "clave — etiqueta"', () => {
    expect(r.resolve('entidad', '09')).toEqual({ ok: true, code: '09' });
    expect(r.resolve('entidad', '9')).toEqual({ ok: true, code: '09' });
    expect(r.resolve('municipio', '9015')).toEqual({ ok: true, code: '09015' });
    expect(r.resolve('entidad', 'ciudad de mexico')).toEqual({ ok: true, code: '09' });
    expect(r.resolve('modalidad', 'presencial')).toEqual({ ok: true, code: 'PRESENCIAL' });
    expect(r.resolve('modalidad', 'MIXTA (HIBRIDA)')).toEqual({ ok: true, code: 'MIXTA' });
    expect(r.resolve('municipio', '09015 — Cuauhtémoc (Ciudad de México)')).toEqual({ ok: true, code: '09015' });
  });
  it('a label shared by several items is settled by the parent, or reported as ambiguous', () => {
    expect(r.resolve('municipio', 'benito juarez', '23')).toEqual({ ok: true, code: '23005' });
    expect(r.resolve('municipio', 'Benito Juárez')).toEqual({ ok: false, reason: 'ambiguous', options: ['09014', '23005'] });
    expect(r.resolve('entidad', 'Atlántida')).toEqual({ ok: false, reason: 'unknown' });
  });
});
