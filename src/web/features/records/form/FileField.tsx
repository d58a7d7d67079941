// archivo fields: each chosen file is uploaded at once (POST /attachments with field=<module>.<key>);
// the field keeps the returned ids. Shows name and size, and lets the user remove a file.
import { Anchor, Button, FileButton, Group, Input, List, Text } from '@mantine/core';
import { useState } from 'react';
import { apiUrl, errorMessage } from '../../../api/client';
import { fileInfo, rememberFile } from '../../../lib/drafts';
import { fmtSize, plural } from '../../../lib/format';
import { uploadAttachment } from '../api';
import type { InputProps } from './inputs';

const MIME: Record<string, string> = {
  pdf: '.pdf,application/pdf',
  docx: '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: '.jpg,.jpeg,image/jpeg',
  png: '.png,image/png',
  mp3: '.mp3,audio/mpeg',
  mp4: '.mp4,video/mp4',
};

export function FileField(p: InputProps) {
  const ids = Array.isArray(p.value) ? (p.value as string[]) : [];
  const rules = p.f.files ?? { maxFiles: 5, kinds: Object.keys(MIME), maxMb: 20 };
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const full = ids.length >= rules.maxFiles;

  const onFiles = async (files: File[]) => {
    setProblem(null);
    let current = ids;
    for (const file of files) {
      if (current.length >= rules.maxFiles) {
        setProblem(`Se admiten a lo más ${plural(rules.maxFiles, 'archivo', 'archivos')}.`);
        break;
      }
      if (file.size > rules.maxMb * 1024 * 1024) {
        setProblem(`«${file.name}» pesa ${fmtSize(file.size)}; el límite es ${rules.maxMb} MB.`);
        continue;
      }
      setBusy(file.name);
      try {
        const a = await uploadAttachment(p.moduleKey, p.f.key, file);
        rememberFile(a.id, { name: a.name, size: a.size });
        current = [...current, a.id];
        p.onChange(current);
      } catch (e) {
        setProblem(`«${file.name}»: ${errorMessage(e)}`);
      } finally {
        setBusy(null);
      }
    }
  };

  const kinds = rules.kinds.map((k) => k.toUpperCase()).join(', ');
  return (
    <Input.Wrapper
      labelElement="div"
      label={p.label}
      required={p.required}
      description={
        <>
          {p.description}
          {p.description ? ' ' : ''}
          Formatos: {kinds}; hasta {rules.maxMb} MB por archivo y {plural(rules.maxFiles, 'archivo', 'archivos')}.
        </>
      }
      error={problem ?? p.error}
    >
      {ids.length > 0 && (
        <List spacing={4} mt={6} mb={6} listStyleType="none" pl={0}>
          {ids.map((id) => {
            const info = fileInfo(id);
            return (
              <List.Item key={id}>
                <Group gap="sm" wrap="nowrap">
                  <Anchor href={apiUrl(`/attachments/${id}`)} download size="sm">
                    {info ? info.name : `Archivo adjunto ${id.slice(0, 8)}`}
                  </Anchor>
                  {info && (
                    <Text size="xs" c="dimmed">
                      {fmtSize(info.size)}
                    </Text>
                  )}
                  {!p.readOnly && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="#b02525"
                      onClick={() => p.onChange(ids.filter((x) => x !== id))}
                      aria-label={`Quitar ${info ? info.name : 'archivo'}`}
                    >
                      Quitar
                    </Button>
                  )}
                </Group>
              </List.Item>
            );
          })}
        </List>
      )}
      {!p.readOnly && (
        <Group gap="sm" mt={6}>
          <FileButton onChange={(f: File | File[] | null) => void onFiles(f === null ? [] : Array.isArray(f) ? f : [f])} accept={rules.kinds.map((k) => MIME[k] ?? `.${k}`).join(',')} multiple={rules.maxFiles - ids.length > 1}>
            {(props) => (
              <Button {...props} variant="default" size="sm" disabled={full || busy !== null} loading={busy !== null} id={p.id} onBlur={p.onBlur}>
                {ids.length ? 'Adjuntar otro archivo' : 'Adjuntar archivo'}
              </Button>
            )}
          </FileButton>
          {busy && (
            <Text size="sm" aria-live="polite">
              Subiendo «{busy}»…
            </Text>
          )}
          {!busy && ids.length === 0 && (
            <Text size="sm" c="dimmed">
              Ningún archivo adjunto.
            </Text>
          )}
        </Group>
      )}
    </Input.Wrapper>
  );
}
