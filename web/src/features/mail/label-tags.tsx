import { Badge, Box, Group, Text } from '@mantine/core';
import { IconTag } from '@tabler/icons-react';
import { useMailT } from './text.ts';

/** Gmail's \Important travels as a system label; the UI names it in the reader's language. */
const IMPORTANT = '\\Important';

export function useLabelName() {
  const { t } = useMailT();
  return (label: string) => (label === IMPORTANT ? t('labels.important') : label);
}

/** `label:` with quotes when the name has blanks, as the search box reads it. */
export function labelQuery(label: string): string {
  const name = label === IMPORTANT ? 'important' : label;
  return /[\s"]/.test(name) ? `label:"${name.replace(/"/g, '')}"` : `label:${name}`;
}

const tagProps = { size: 'sm', radius: 'sm', tt: 'none', variant: 'light', fw: 500, c: 'dark.6' } as const;
/** Dark text on a light tint keeps WCAG AA contrast; \Important stands out by its yellow tint, as in Gmail. */
const tagColor = (label: string) => (label === IMPORTANT ? 'yellow' : 'gray');

/** A message's labels in a list row: a few tags, then "+N". Plain text: the row itself is the button. */
export function RowLabels({ labels, max = 3 }: { labels: string[]; max?: number }) {
  const { t } = useMailT();
  const name = useLabelName();
  if (!labels.length) return null;
  const shown = labels.slice(0, max);
  const more = labels.length - shown.length;
  return (
    <Group gap={4} wrap="nowrap" style={{ overflow: 'hidden' }} data-testid="row-labels">
      {shown.map((l) => (
        <Badge
          key={l}
          {...tagProps}
          size="xs"
          color={tagColor(l)}
          style={{ flexShrink: 1, minWidth: 0 }}
          data-testid="row-label"
          data-label={l}
        >
          {name(l)}
        </Badge>
      ))}
      {more > 0 ? (
        <Text size="xs" c="gray.7" style={{ flexShrink: 0 }}>
          {t('labels.more', { count: more })}
        </Text>
      ) : null}
    </Group>
  );
}

/** A message's labels on the message: each a button that searches mail with that label (when offered). */
export function MessageLabels({ labels, onPick }: { labels: string[]; onPick?: (label: string) => void }) {
  const { t } = useMailT();
  const name = useLabelName();
  if (!labels.length) return null;
  return (
    <Box
      component="ul"
      aria-label={t('labels.title')}
      m={0}
      p={0}
      style={{ listStyle: 'none', display: 'flex', flexWrap: 'wrap', gap: 6 }}
      data-testid="message-labels"
    >
      {labels.map((l) => (
        <li key={l}>
          {onPick ? (
            <Badge
              component="button"
              type="button"
              {...tagProps}
              color={tagColor(l)}
              leftSection={<IconTag size={12} aria-hidden />}
              onClick={() => onPick(l)}
              title={t('labels.search', { label: name(l) })}
              style={{ cursor: 'pointer', border: 0 }}
              data-testid="message-label"
              data-label={l}
            >
              {name(l)}
            </Badge>
          ) : (
            <Badge
              {...tagProps}
              color={tagColor(l)}
              leftSection={<IconTag size={12} aria-hidden />}
              data-testid="message-label"
              data-label={l}
            >
              {name(l)}
            </Badge>
          )}
        </li>
      ))}
    </Box>
  );
}
