import { Alert, Box, Button, Group } from '@mantine/core';
import { IconArrowsMaximize, IconArrowsMinimize, IconPhoto } from '@tabler/icons-react';
import { useState } from 'react';
import { mailUrls } from './api.ts';
import { useMailT } from './text.ts';

// The frame is cross-origin to us (sandboxed without allow-same-origin) and runs no script, so its content
// height cannot be measured. A height guessed from the text fits most mail; long mail scrolls inside, and
// "Expand" gives it the room of a long page.
const MIN = 140;
const MAX = 560;
const EXPANDED = 2400;

export function guessHeight(text: string | null, html: string): number {
  const lines = (text ?? '').split('\n').reduce((n, line) => n + 1 + Math.floor(line.length / 90), 0);
  const images = (html.match(/<img\b/gi) ?? []).length;
  const tables = (html.match(/<tr\b/gi) ?? []).length;
  return Math.max(MIN, Math.min(MAX, 24 + lines * 21 + images * 120 + tables * 8));
}

/**
 * A message's HTML in a sandboxed frame: no scripts and no same-origin access (the server's CSP says the
 * same); popups only so that links open in a new tab. Remote images wait for "Show images".
 */
export function HtmlBody({ messageId, html, text }: { messageId: string; html: string; text: string | null }) {
  const { t } = useMailT();
  const [images, setImages] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const blocked = !images && html.includes('data-remote-src');
  const height = expanded ? EXPANDED : guessHeight(text, html);

  return (
    <Box>
      {blocked ? (
        <Alert variant="light" color="gray" p="xs" mb="xs" icon={<IconPhoto size={16} />} data-testid="images-blocked">
          <Group justify="space-between" gap="xs">
            <span>{t('thread.imagesBlocked')}</span>
            <Button size="compact-xs" variant="light" onClick={() => setImages(true)} data-testid="show-images">
              {t('thread.showImages')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Box
        style={{
          resize: 'vertical',
          overflow: 'hidden',
          height,
          minHeight: MIN,
          border: '1px solid var(--mantine-color-gray-2)',
          borderRadius: 4,
        }}
        key={String(expanded)}
      >
        <iframe
          title={t('thread.messageFrame')}
          src={mailUrls.html(messageId, images)}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          referrerPolicy="no-referrer"
          loading="lazy"
          style={{ border: 0, width: '100%', height: '100%', display: 'block', background: 'white' }}
          data-testid="message-html"
          data-images={images ? '1' : '0'}
        />
      </Box>
      <Group justify="flex-end" mt={4}>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          leftSection={expanded ? <IconArrowsMinimize size={12} /> : <IconArrowsMaximize size={12} />}
          onClick={() => setExpanded((e) => !e)}
          data-testid="html-expand"
        >
          {expanded ? t('thread.collapse') : t('thread.expand')}
        </Button>
      </Group>
    </Box>
  );
}
