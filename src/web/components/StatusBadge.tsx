import { Badge } from '@mantine/core';
import { ESTATUS_COLORS, ESTATUS_LABELS } from '../app/theme';

export function StatusBadge({ estatus }: { estatus: string }) {
  return (
    <Badge color={ESTATUS_COLORS[estatus] ?? '#5c636a'} variant="filled" radius="sm" tt="none" fw={600}>
      {ESTATUS_LABELS[estatus] ?? estatus}
    </Badge>
  );
}
