// The list's spreadsheet actions: templates and the import screen for those who capture; the list as CSV or
// XLSX (with the filters on screen) for those who read records. Victims are never exported record by
// record: their files are the aggregated tables of the statistics.
import { Button, Menu } from '@mantine/core';
import { apiUrl } from '../api/client';
import { can } from '../api/session';
import type { ModuleOut, User } from '../api/types';
import { useNavigate } from '@tanstack/react-router';
import { ButtonLink } from './links';

export function ModuleFileMenu({ m, user, params }: { m: ModuleOut; user: User; params: Record<string, string | string[] | undefined> }) {
  const navigate = useNavigate();
  const exportUrl = (format: 'csv' | 'xlsx') => {
    const q: Record<string, string | readonly string[]> = { format };
    for (const [k, v] of Object.entries(params)) if (v !== undefined && k !== 'sort') q[k] = v;
    return apiUrl(`/modules/${m.key}/export`, q);
  };
  const template = (format: 'csv' | 'xlsx') => apiUrl(`/modules/${m.key}/imports/template`, { format });
  return (
    <>
      {can.write(user) && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button variant="default">Importar</Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => void navigate({ to: '/m/$module/importar', params: { module: m.key } })}>
              Importar un archivo…
            </Menu.Item>
            <Menu.Divider />
            <Menu.Label>Plantillas</Menu.Label>
            <Menu.Item component="a" href={template('xlsx')} download>
              Plantilla de Excel (.xlsx)
            </Menu.Item>
            <Menu.Item component="a" href={template('csv')} download>
              Plantilla CSV
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      )}
      {can.readRecords(user) &&
        (m.key === 'victimas' ? (
          <ButtonLink to="/estadisticas" variant="default" title="Los registros de víctimas no se exportan uno por uno: descargue los tabulados agregados.">
            Exportar tabulados
          </ButtonLink>
        ) : (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button variant="default">Exportar</Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>La lista con los filtros aplicados</Menu.Label>
              <Menu.Item component="a" href={exportUrl('xlsx')} download>
                Excel (.xlsx)
              </Menu.Item>
              <Menu.Item component="a" href={exportUrl('csv')} download>
                CSV (UTF-8)
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        ))}
    </>
  );
}
