// A statistics table (contract "stats shape"): rows × optional columns with totals. Values may be
// the string "<5" (suppressed small counts); they are shown as given, never recomputed.
import { Table, Text } from '@mantine/core';
import type { StatsOut } from '../api/types';
import { fmtNumber } from '../lib/format';

const LAST = ['SIN_DATO', 'NO_ESPECIFICADO', 'NO_IDENTIFICADO', 'NACIONAL'];

/** The codes of one axis, in the order given (catalog order), unknown codes after, «Sin dato» last. */
export function axisCodes(codes: Iterable<string>, order: readonly string[] = []): string[] {
  const pos = new Map(order.map((c, i) => [c, i]));
  return [...new Set(codes)].sort((a, b) => {
    const la = LAST.indexOf(a);
    const lb = LAST.indexOf(b);
    if (la !== lb) return la - lb;
    const pa = pos.get(a);
    const pb = pos.get(b);
    if (pa !== undefined && pb !== undefined) return pa - pb;
    if (pa !== undefined) return -1;
    if (pb !== undefined) return 1;
    return a.localeCompare(b, 'es', { numeric: true });
  });
}

export function rowCodes(d: StatsOut, order?: readonly string[]): string[] {
  return axisCodes([...Object.keys(d.rowTotals ?? {}), ...d.cells.map((c) => c.row)], order);
}

export function colCodes(d: StatsOut, order?: readonly string[]): string[] {
  if (!d.cols) return [];
  return axisCodes([...Object.keys(d.colTotals ?? {}), ...d.cells.map((c) => c.col ?? '')].filter(Boolean), order);
}

export function cellMap(d: StatsOut): Map<string, number | string> {
  return new Map(d.cells.map((c) => [`${c.row}\u0000${c.col ?? ''}`, c.value]));
}

export function fmtCell(v: number | string | undefined | null): string {
  if (v === undefined || v === null) return '0';
  return typeof v === 'number' ? fmtNumber(v) : v;
}

/** A cell as shown: a protected figure says what it means when pointed at or read by a screen reader. */
function CellValue({ v }: { v: number | string | undefined | null }) {
  const text = fmtCell(v);
  if (typeof v !== 'string') return <>{text}</>;
  const n = v.replace(/^</, '');
  return (
    <abbr title={`Cifra protegida: menos de ${n} personas, o una cifra mayor suprimida para que ninguna cifra pequeña pueda deducirse de los totales`} style={{ textDecoration: 'underline dotted', cursor: 'help' }}>
      {text}
    </abbr>
  );
}

export interface CrossTableProps {
  data: StatsOut;
  caption: string;
  rowHeader: string;
  rowLabel: (code: string) => string;
  colLabel?: (code: string) => string;
  rowOrder?: readonly string[];
  colOrder?: readonly string[];
}

export function CrossTable({ data, caption, rowHeader, rowLabel, colLabel = (c) => c, rowOrder, colOrder }: CrossTableProps) {
  const rows = rowCodes(data, rowOrder);
  const cols = colCodes(data, colOrder);
  const cells = cellMap(data);
  if (rows.length === 0 && data.suppression?.withheld)
    return (
      <Text py="md">
        Tabla no publicada: cuenta menos de {data.suppression.threshold} personas (o es una tabla por municipio con celdas menores que {data.suppression.threshold}), y sus categorías
        describirían a esas personas. Total: <CellValue v={data.total} />.
      </Text>
    );
  if (rows.length === 0)
    return (
      <Text c="dimmed" py="md">
        No hay registros que cumplan los criterios.
      </Text>
    );
  return (
    // A focusable scroll region: keyboard users can scroll wide tables (WCAG 2.1.1).
    <div role="region" aria-label={caption} tabIndex={0} style={{ overflowX: 'auto' }}>
      <Table withTableBorder withColumnBorders striped className="sintra-stats-table" verticalSpacing={6} maw={cols.length <= 2 ? 640 : undefined} miw={cols.length > 4 ? 200 + cols.length * 100 : undefined}>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 600, color: '#1f2328', marginBottom: 6 }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{rowHeader}</Table.Th>
            {cols.map((c) => (
              <Table.Th key={c} scope="col" ta="right" style={{ whiteSpace: 'normal', minWidth: 90 }}>
                {colLabel(c)}
              </Table.Th>
            ))}
            <Table.Th scope="col" ta="right">
              Total
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r}>
              <Table.Th scope="row" fw={500} style={{ whiteSpace: 'normal' }}>
                {rowLabel(r)}
              </Table.Th>
              {cols.map((c) => (
                <Table.Td key={c} ta="right">
                  <CellValue v={cells.get(`${r}\u0000${c}`)} />
                </Table.Td>
              ))}
              <Table.Td ta="right" fw={700}>
                <CellValue v={data.rowTotals?.[r] ?? (cols.length ? undefined : cells.get(`${r}\u0000`))} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th scope="row">Total</Table.Th>
            {cols.map((c) => (
              <Table.Td key={c} ta="right" fw={700}>
                <CellValue v={data.colTotals?.[c]} />
              </Table.Td>
            ))}
            <Table.Td ta="right" fw={700}>
              <CellValue v={data.total} />
            </Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </div>
  );
}
