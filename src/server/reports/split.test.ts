// Wide tables in the printed report: split into page-wide pieces without losing or repeating a column.
import { describe, expect, it } from 'vitest';
import { MAX_PRINTED_COLS, splitWide } from './content.js';

describe('splitWide', () => {
  const fig = { id: 'Cuadro 7', titulo: 'Medio de transporte', filtros: 'f', consulta: 'q' };
  it('a table of 20 value columns becomes 8 + 8 + 4, each with the row labels, notes under the last', () => {
    const head = ['Medio', ...Array.from({ length: 19 }, (_, i) => `c${i + 1}`), 'Total'];
    const rows = [
      ['Autobús', ...Array.from({ length: 19 }, (_, i) => i), 171],
      ['Total', ...Array.from({ length: 19 }, (_, i) => i), 171],
    ];
    const parts = splitWide({ kind: 'table', figure: fig, head, rows, notes: ['nota'] });
    expect(MAX_PRINTED_COLS).toBe(8);
    expect(parts.map((p) => p.head.length - 1)).toEqual([8, 8, 4]);
    expect(parts.map((p) => Boolean(p.continuation))).toEqual([false, true, true]);
    expect(parts.every((p) => p.figure.id === 'Cuadro 7' && p.head[0] === 'Medio' && p.rows[0][0] === 'Autobús')).toBe(true);
    expect(parts.flatMap((p) => p.head.slice(1))).toEqual(head.slice(1));
    expect(parts.flatMap((p) => p.rows[0].slice(1))).toEqual(rows[0].slice(1));
    expect(parts.map((p) => p.notes)).toEqual([[], [], ['nota']]);
    expect(parts[2].figure.titulo).toBe('Medio de transporte (columnas 17 a 20 de 20)');
  });
  it('a table that fits is left as it is', () => {
    const b = { kind: 'table' as const, figure: fig, head: ['a', 'b', 'Total'], rows: [['x', 1, 1]], notes: [] };
    expect(splitWide(b)).toEqual([b]);
  });
});
