import { ActionIcon, Badge, Button, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { IconPaperclip, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/problem-text.ts';
import { formatSize } from '../mail/text.ts';
import { uploadFile } from './api.ts';
import { useComposeT } from './text.ts';
import type { AttachmentRef } from './types.ts';

/** One attachment in the form: an upload in flight or done, or one of the forwarded message's. */
export interface ComposeAttachment {
  key: string;
  filename: string;
  size: number;
  ref: AttachmentRef | null;
  /** 0..1 while uploading; null when done. */
  progress: number | null;
  error: unknown;
}

interface AttachmentsProps {
  value: ComposeAttachment[];
  onChange(update: (list: ComposeAttachment[]) => ComposeAttachment[]): void;
}

/** Attach files (uploaded at once, with progress), remove them; forwarded attachments listed alike. */
export function Attachments({ value, onChange }: AttachmentsProps) {
  const { t } = useComposeT();
  const { t: tc } = useTranslation();
  const add = (files: File[]) => {
    for (const file of files) {
      const key = `${Date.now()}-${Math.random()}`;
      onChange((list) => [...list, { key, filename: file.name, size: file.size, ref: null, progress: 0, error: null }]);
      const set = (patch: Partial<ComposeAttachment>) => onChange((list) => list.map((a) => (a.key === key ? { ...a, ...patch } : a)));
      uploadFile(file, (progress) => set({ progress })).then(
        (upload) => set({ ref: { uploadId: upload.id }, progress: null }),
        (error: unknown) => set({ error, progress: null }),
      );
    }
  };
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <FileButton onChange={add} multiple>
          {(props) => (
            <Button {...props} variant="default" size="xs" leftSection={<IconPaperclip size={14} />} data-testid="compose-attach">
              {t('fields.attach')}
            </Button>
          )}
        </FileButton>
        {value.map((a) => (
          <Badge
            key={a.key}
            variant="light"
            color={a.error ? 'red' : 'gray'}
            size="lg"
            radius="sm"
            tt="none"
            style={{ fontWeight: 500 }}
            leftSection={<IconPaperclip size={13} />}
            rightSection={
              <ActionIcon
                size="xs"
                variant="transparent"
                color="gray"
                aria-label={t('fields.removeAttachment', { name: a.filename })}
                onClick={() => onChange((list) => list.filter((x) => x.key !== a.key))}
                data-testid="compose-attachment-remove"
              >
                <IconX size={12} />
              </ActionIcon>
            }
            data-testid="compose-attachment"
            data-filename={a.filename}
            data-ready={a.ref !== null}
          >
            {a.filename} · {formatSize(a.size)}
          </Badge>
        ))}
      </Group>
      {value
        .filter((a) => a.progress !== null)
        .map((a) => (
          <Progress key={a.key} value={(a.progress ?? 0) * 100} size="sm" aria-label={t('fields.uploading', { name: a.filename })} />
        ))}
      {value
        .filter((a) => a.error)
        .map((a) => (
          <Text key={a.key} size="xs" c="red" role="alert">
            {a.filename}: {errorText(tc, a.error).title}
          </Text>
        ))}
    </Stack>
  );
}
