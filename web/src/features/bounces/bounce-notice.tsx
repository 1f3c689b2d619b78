import { Alert, Anchor, Badge, List, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconClockExclamation, IconMailOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../components/format.ts';
import type { MessageDetail } from '../mail/types.ts';

type Bounce = MessageDetail['bounces'][number];

function useBouncesT() {
  return useTranslation('bounces');
}

/**
 * On a message: which recipients it did not reach (and which are delayed), with the receiving server's
 * answer. On a delivery report: the message it is about, with a link to it.
 */
export function BounceNotice({ message }: { message: MessageDetail }) {
  const { t } = useBouncesT();
  // Answers from PATCH carry no bounce facts: nothing to show then.
  const bounces = message.bounces ?? [];
  const reportOf = message.bounceOf ?? null;
  const reason = (b: Bounce) => b.diagnostic ?? b.status ?? t('notice.noReason');
  const failed = bounces.filter((b) => b.action === 'failed');
  const delayed = bounces.filter((b) => b.action === 'delayed' && !failed.some((f) => f.recipient === b.recipient));
  if (!failed.length && !delayed.length && !reportOf) return null;
  return (
    <Stack gap="xs" data-testid="bounce-notice">
      <RecipientsAlert action="failed" bounces={failed} reason={reason} />
      <RecipientsAlert action="delayed" bounces={delayed} reason={reason} />
      {reportOf ? (
        <Alert variant="light" color="gray" icon={<IconAlertTriangle size={16} />} data-testid="bounce-report-of">
          <Stack gap={4}>
            <Text size="sm">
              {reportOf.messageId
                ? t('notice.reportOf', { subject: reportOf.subject || t('notice.noSubject') })
                : t('notice.reportOfUnknown')}
            </Text>
            {reportOf.recipients.length ? (
              <List size="sm" spacing={0}>
                {reportOf.recipients.map((b) => (
                  <List.Item key={b.recipient}>{t('notice.reportLine', { recipient: b.recipient, reason: reason(b) })}</List.Item>
                ))}
              </List>
            ) : null}
            {reportOf.messageId ? (
              // The notice's own colour, underlined: the theme's link blue is too pale on the grey notice.
              <Anchor
                component={Link}
                to={`/inbox?message=${encodeURIComponent(reportOf.messageId)}`}
                size="sm"
                c="inherit"
                underline="always"
                data-testid="bounce-original-link"
              >
                {t('notice.openOriginal')}
              </Anchor>
            ) : null}
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}

const ALERT_LOOK = {
  failed: { color: 'red', icon: IconMailOff },
  delayed: { color: 'yellow', icon: IconClockExclamation },
} as const;

/** The recipients a message did not reach (or not yet), one line each; nothing when there are none. */
function RecipientsAlert({ action, bounces, reason }: { action: keyof typeof ALERT_LOOK; bounces: Bounce[]; reason(b: Bounce): string }) {
  const { t } = useBouncesT();
  if (!bounces.length) return null;
  const { color, icon: AlertIcon } = ALERT_LOOK[action];
  return (
    <Alert variant="light" color={color} icon={<AlertIcon size={16} />} data-testid={`bounce-${action}`}>
      <Stack gap={2}>
        {bounces.map((b) => (
          <Text key={`${b.reportMessageId}:${b.recipient}`} size="sm">
            {t(`notice.${action}`, { recipient: b.recipient, reason: reason(b) })}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** Next to a contact's address: mail to it bounced; the date and the server's answer in a tooltip. */
export function BouncingBadge({ email }: { email: { bouncingAt: string | null; bounceReason: string | null } }) {
  const { t, i18n } = useBouncesT();
  if (!email.bouncingAt) return null;
  const tip = t('badge.tooltip', {
    date: formatDateTime(email.bouncingAt, i18n.language, ''),
    reason: email.bounceReason ?? t('notice.noReason'),
  });
  return (
    <Tooltip label={tip} multiline maw={360} events={{ hover: true, focus: true, touch: true }}>
      {/* Focusable so keyboard users reach the tooltip; the reason is also read out with the badge. */}
      <Badge size="xs" variant="outline" color="red.9" tabIndex={0} data-testid="email-bouncing">
        {t('badge.bouncing')}
        <VisuallyHidden>{`: ${tip}`}</VisuallyHidden>
      </Badge>
    </Tooltip>
  );
}
