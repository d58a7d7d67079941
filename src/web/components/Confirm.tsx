// A yes/no question in the application's own dialog (its fonts, its focus handling, Spanish buttons), instead
// of the browser's confirm box, which shows the site's address as its title.
import { Button, Group, Modal, Text } from '@mantine/core';
import { useRef, useState, type ReactNode } from 'react';

export interface ConfirmOptions {
  title: string;
  message: ReactNode;
  /** The confirming button's text: the action itself («Desactivar»), never «Aceptar». */
  confirm: string;
  danger?: boolean;
}

/** `ask(options)` resolves true when confirmed; render `dialog` once in the component. */
export function useConfirm(): [(o: ConfirmOptions) => Promise<boolean>, ReactNode] {
  const [open, setOpen] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((ok: boolean) => void) | null>(null);
  const close = (ok: boolean) => {
    resolver.current?.(ok);
    resolver.current = null;
    setOpen(null);
  };
  const ask = (o: ConfirmOptions) =>
    new Promise<boolean>((resolve) => {
      resolver.current?.(false);
      resolver.current = resolve;
      setOpen(o);
    });
  const dialog = (
    <Modal opened={open !== null} onClose={() => close(false)} title={open?.title} centered>
      <Text size="sm">{open?.message}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={() => close(false)}>
          Cancelar
        </Button>
        <Button color={open?.danger ? '#b02525' : undefined} onClick={() => close(true)} data-autofocus>
          {open?.confirm}
        </Button>
      </Group>
    </Modal>
  );
  return [ask, dialog];
}
