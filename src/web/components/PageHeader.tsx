import { Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { setTitle } from '../lib/format';

/** Page heading (the one h1 of the page) and the document title. */
export function PageHeader({ title, subtitle, actions, docTitle }: { title: string; subtitle?: ReactNode; actions?: ReactNode; docTitle?: string }) {
  useEffect(() => setTitle(docTitle ?? title), [docTitle, title]);
  return (
    <Group justify="space-between" align="flex-end" mb="md" wrap="wrap" gap="sm">
      <Stack gap={4} style={{ flex: '1 1 420px', minWidth: 0 }}>
        <Title order={1} fz={{ base: 22, sm: 26 }} c="guinda.9">
          {title}
        </Title>
        {subtitle && (
          <Text c="dimmed" size="sm">
            {subtitle}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
