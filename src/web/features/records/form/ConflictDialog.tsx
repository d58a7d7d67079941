// 409 on save: someone saved first. Lists the fields where the stored record now differs from what
// the user loaded, with both values, and keeps the user's input until they choose.
import { Alert, Button, Group, Modal, ScrollArea, Table, Text } from '@mantine/core';
import type { LabelMap } from '../../../api/catalogs';
import type { FieldOut, Values } from '../../../api/types';
import { fmtDateTime, fmtValue } from '../../../lib/format';

export interface Conflict {
  current: Values;
}

export function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ? null : Array.isArray(v) ? [...v].map(String).sort() : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

export function changedFields(fields: FieldOut[], loaded: Values, current: Values): FieldOut[] {
  const out: FieldOut[] = [];
  for (const f of fields) {
    if (!same(loaded[f.key], current[f.key])) out.push(f);
    if (f.otro && !same(loaded[`${f.key}_otro`], current[`${f.key}_otro`]))
      out.push({ ...f, key: `${f.key}_otro`, type: 'texto', catalog: null, label: `${f.label} — especificación de «Otro»` });
  }
  return out;
}

/**
 * The user's input over the stored record: fields the user changed keep the user's value, fields only
 * the other person changed take theirs (so «Usar mis cambios» does not silently undo their work).
 */
export function mergeMine(keys: string[], loaded: Values, mine: Values, current: Values): Values {
  const out: Values = { ...mine };
  for (const k of keys) if (same(mine[k], loaded[k]) && !same(current[k], loaded[k])) out[k] = current[k];
  return out;
}

export function ConflictDialog({
  conflict,
  fields,
  loaded,
  mine,
  maps,
  busy,
  onKeepMine,
  onDiscardMine,
  onClose,
}: {
  conflict: Conflict | null;
  fields: FieldOut[];
  loaded: Values;
  mine: Values;
  maps: Record<string, LabelMap>;
  busy: boolean;
  onKeepMine: () => void;
  onDiscardMine: () => void;
  onClose: () => void;
}) {
  const cur = conflict?.current ?? {};
  const savedBy = (c: Record<string, unknown>) => {
    const names = c.usuarios as Record<string, string> | undefined;
    return typeof c.updated_by === 'string' ? names?.[c.updated_by] : undefined;
  };
  const diff = conflict ? changedFields(fields, loaded, cur) : [];
  const show = (f: FieldOut, v: unknown) => fmtValue(f, v, maps) || '(vacío)';
  return (
    <Modal opened={conflict !== null} onClose={onClose} title="Otra persona guardó este registro antes que usted" size="xl" centered>
      <Text size="sm" mb="sm">
        {cur.updated_at ? `${savedBy(cur) ? `${savedBy(cur)} lo guardó` : 'El registro se guardó'} el ${fmtDateTime(cur.updated_at)}. ` : ''}
        Su captura no se ha perdido. Revise lo que cambió la otra persona y elija cómo continuar: «Usar mis cambios» guarda lo que
        usted modificó y conserva lo demás que guardó la otra persona.
      </Text>
      {diff.length === 0 ? (
        <Alert color="blue" variant="light" mb="md">
          La otra persona no cambió ningún campo del formulario (solo el estatus o la versión del registro).
        </Alert>
      ) : (
        <ScrollArea.Autosize mah={380} mb="md">
          <Table withTableBorder striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Campo</Table.Th>
                <Table.Th scope="col">Cuando usted lo abrió</Table.Th>
                <Table.Th scope="col">Guardado por la otra persona</Table.Th>
                <Table.Th scope="col">Su captura</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {diff.map((f) => (
                <Table.Tr key={f.key}>
                  <Table.Th scope="row" fw={600}>
                    {f.label}
                  </Table.Th>
                  <Table.Td>{show(f, loaded[f.key])}</Table.Td>
                  <Table.Td>{show(f, cur[f.key])}</Table.Td>
                  <Table.Td>
                    {same(mine[f.key], loaded[f.key]) ? (
                      <Text size="sm" c="dimmed">
                        Sin cambio suyo (se conserva lo de la otra persona)
                      </Text>
                    ) : (
                      <>
                        {show(f, mine[f.key])}
                        <Text size="xs" fw={700} c="#a14a00">
                          Ambos lo cambiaron: se guardará el suyo
                        </Text>
                      </>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      {cur.estatus === 'validado' && (
        <Alert color="orange" variant="light" mb="md">
          El registro ya fue validado: para modificarlo debe reabrirse primero.
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onDiscardMine} disabled={busy}>
          Descartar mis cambios
        </Button>
        <Button onClick={onKeepMine} loading={busy} disabled={cur.estatus === 'validado'}>
          Usar mis cambios
        </Button>
      </Group>
    </Modal>
  );
}
