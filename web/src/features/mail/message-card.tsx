import { Alert, Anchor, Badge, Box, Button, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import {
  IconArrowBackUp,
  IconArrowBackUpDouble,
  IconArrowForwardUp,
  IconDownload,
  IconEyeOff,
  IconPaperclip,
  IconStarFilled,
} from '@tabler/icons-react';
import { BounceNotice } from '../bounces/bounce-notice.tsx';
import { useComposeT } from '../compose/text.ts';
import { formatDateTime } from '../../components/format.ts';
import { mailUrls } from './api.ts';
import { HtmlBody } from './html-body.tsx';
import { MessageLabels } from './label-tags.tsx';
import { SenderCard } from './sender-card.tsx';
import { addressLabel, addressList, formatSize, shortDate, useMailT } from './text.ts';
import type { Address, MessageDetail } from './types.ts';

function AddressLine({ label, list, testId }: { label: string; list: Address[]; testId: string }) {
  if (!list.length) return null;
  return (
    <Text size="xs" c="dimmed" data-testid={testId}>
      <Text span fw={500} size="xs">
        {label}:{' '}
      </Text>
      {addressList(list)}
    </Text>
  );
}

function Body({ message }: { message: MessageDetail }) {
  const { t } = useMailT();
  if (message.access !== 'full') {
    return (
      <Alert variant="light" color="gray" icon={<IconEyeOff size={16} />} data-testid="body-restricted" data-access={message.access}>
        {message.access === 'subject' ? t('thread.subjectOnly') : t('thread.metadataOnly')}
      </Alert>
    );
  }
  if (message.tooLarge) {
    return (
      <Alert variant="light" color="yellow" data-testid="message-too-large">
        {t('thread.tooLarge')}
      </Alert>
    );
  }
  if (message.html) return <HtmlBody messageId={message.id} html={message.html} text={message.text} />;
  const tooBig = message.htmlTooBig ? (
    <Alert variant="light" color="gray" data-testid="message-html-too-big">
      {t('thread.htmlTooBig')}{' '}
      {/* The notice's own colour, underlined: the theme's link blue is too pale on the grey notice (WCAG AA contrast). */}
      <Anchor href={mailUrls.raw(message.id)} size="sm" c="inherit" underline="always">
        {t('thread.downloadOriginal')}
      </Anchor>
    </Alert>
  ) : null;
  if (message.text) {
    return (
      <Stack gap="xs">
        {tooBig}
        <Box
          component="pre"
          m={0}
          fz="sm"
          ff="inherit"
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          data-testid="message-text"
        >
          {message.text}
        </Box>
      </Stack>
    );
  }
  if (tooBig) return tooBig;
  return (
    <Text size="sm" c="dimmed">
      {t('thread.noBody')}
    </Text>
  );
}

interface MessageCardProps {
  message: MessageDetail;
  expanded: boolean;
  onExpand(): void;
  /** A click on one of the message's labels (search mail with it). */
  onPickLabel?(label: string): void;
  /** Reply, reply all or forward this message (absent: no such buttons). */
  onCompose?(kind: 'reply' | 'reply_all' | 'forward'): void;
}

function ComposeButtons({ onCompose }: { onCompose(kind: 'reply' | 'reply_all' | 'forward'): void }) {
  const { t } = useComposeT();
  const button = (kind: 'reply' | 'reply_all' | 'forward', label: string, icon: React.ReactNode) => (
    <Button size="compact-xs" variant="default" leftSection={icon} onClick={() => onCompose(kind)} data-testid={`message-${kind}`}>
      {label}
    </Button>
  );
  return (
    <Group gap={6}>
      {button('reply', t('actions.reply'), <IconArrowBackUp size={14} />)}
      {button('reply_all', t('actions.replyAll'), <IconArrowBackUpDouble size={14} />)}
      {button('forward', t('actions.forward'), <IconArrowForwardUp size={14} />)}
    </Group>
  );
}

/** One message of a thread: who, to whom, when; attachments; the body. Collapsed, a line with a snippet. */
export function MessageCard({ message, expanded, onExpand, onPickLabel, onCompose }: MessageCardProps) {
  const { t, i18n } = useMailT();
  const from = message.from[0];
  const files = message.attachments.filter((a) => !a.inline || !a.contentId);

  if (!expanded) {
    return (
      <Paper withBorder px="md" py="xs" data-testid="thread-message" data-message-id={message.id} data-expanded="false">
        <UnstyledButton onClick={onExpand} w="100%" data-testid="thread-message-expand">
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Text size="sm" fw={message.seen ? 500 : 700} truncate="end" style={{ flexShrink: 0, maxWidth: '40%' }}>
              {from ? addressLabel(from) : t('list.unknownSender')}
            </Text>
            <Text size="sm" c="dimmed" truncate="end" style={{ flex: 1 }}>
              {message.snippet ?? ''}
            </Text>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {shortDate(message.date, i18n.language)}
            </Text>
          </Group>
        </UnstyledButton>
      </Paper>
    );
  }

  return (
    <Paper withBorder p="md" data-testid="thread-message" data-message-id={message.id} data-expanded="true">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              {from ? (
                <SenderCard address={from} />
              ) : (
                <Text size="sm" fw={600}>
                  {t('list.unknownSender')}
                </Text>
              )}
              {message.flagged ? (
                <IconStarFilled size={14} color="var(--mantine-color-yellow-6)" data-testid="thread-message-starred" />
              ) : null}
            </Group>
            <AddressLine label={t('thread.to')} list={message.to} testId="thread-message-to" />
            <AddressLine label={t('thread.cc')} list={message.cc} testId="thread-message-cc" />
            <AddressLine label={t('thread.bcc')} list={message.bcc} testId="thread-message-bcc" />
            <MessageLabels labels={message.labels} onPick={onPickLabel} />
          </Stack>
          <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
            <Text size="xs" c="dimmed" data-testid="thread-message-date">
              {formatDateTime(message.date, i18n.language, '')}
            </Text>
            {/* The sender's Date header was implausible (year 3609, 1970): the list sorts by the received date. */}
            {message.headerDate && message.headerDate !== message.date ? (
              <Text size="xs" c="dimmed" data-testid="thread-message-header-date">
                {t('thread.headerDate', { date: formatDateTime(message.headerDate, i18n.language, '') })}
              </Text>
            ) : null}
            {message.loggedByUserId ? (
              <Text size="xs" c="dimmed" data-testid="thread-message-logged">
                {t('thread.loggedViaDropBox')}
              </Text>
            ) : null}
          </Stack>
        </Group>
        <BounceNotice message={message} />
        <Body message={message} />
        {files.length ? (
          <Stack gap={4} data-testid="attachments">
            <Text size="xs" c="dimmed">
              {t('thread.attachments', { count: files.length })}
            </Text>
            <Group gap="xs">
              {files.map((a) => (
                <Badge
                  key={a.id}
                  component="a"
                  href={mailUrls.attachment(a.id)}
                  download={a.filename ?? true}
                  variant="light"
                  color="gray"
                  size="lg"
                  radius="sm"
                  tt="none"
                  leftSection={<IconPaperclip size={13} />}
                  rightSection={<IconDownload size={13} />}
                  style={{ cursor: 'pointer', fontWeight: 500 }}
                  data-testid="attachment-link"
                  data-filename={a.filename ?? ''}
                >
                  {a.filename ?? a.contentType} · {formatSize(a.size)}
                </Badge>
              ))}
            </Group>
          </Stack>
        ) : null}
        {message.access === 'full' ? (
          <Group justify={onCompose ? 'space-between' : 'flex-end'}>
            {onCompose ? <ComposeButtons onCompose={onCompose} /> : null}
            <Anchor href={mailUrls.raw(message.id)} size="xs" c="dimmed" data-testid="message-source">
              {t('thread.source')}
            </Anchor>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
