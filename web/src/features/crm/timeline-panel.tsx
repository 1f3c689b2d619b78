import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { IconCoin, IconMail, IconPaperclip, IconTargetArrow } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../components/format.ts';
import { ActivityItem } from './activities-panel.tsx';
import { crmApi } from './api.ts';
import { CrmErrorAlert } from './crm-error-alert.tsx';
import { FeedCard, FeedEntry } from './feed.tsx';
import { formatDate, formatMoney, useCrmT } from './text.ts';
import type { MailSummary, TimelineItem } from './types.ts';
import { replaced, withoutId, useKeysetQuery } from '../../api/use-keyset-query.ts';

const who = (list: Array<{ name: string | null; address: string }>) => list.map((a) => a.name || a.address).join(', ');

function MailEntry({ mail }: { mail: MailSummary }) {
  const { t, i18n } = useCrmT();
  return (
    <FeedEntry icon={IconMail} color="indigo" testId="timeline-mail" top>
      <Stack gap={2} flex={1} miw={0}>
        <Group gap={6} wrap="nowrap">
          <Anchor
            component={Link}
            to={`/inbox?message=${encodeURIComponent(mail.id)}`}
            size="sm"
            fw={500}
            lineClamp={1}
            data-testid="timeline-mail-link"
          >
            {mail.access === 'metadata' ? t('timeline.subjectHidden') : mail.subject || t('timeline.noSubject')}
          </Anchor>
          {mail.hasAttachments ? <IconPaperclip size={14} /> : null}
        </Group>
        {mail.snippet ? (
          <Text size="sm" c="dimmed" lineClamp={2}>
            {mail.snippet}
          </Text>
        ) : null}
        <Text size="xs" c="dimmed">
          {t('timeline.fromTo', { from: who(mail.from), to: who(mail.to) })} · {formatDateTime(mail.date, i18n.language, '')}
        </Text>
      </Stack>
    </FeedEntry>
  );
}

/**
 * A record's story, newest first: the mail the viewer may see (cut to each mailbox's visibility by the
 * server), notes, tasks, calls, deals and purchases. Mail opens in the inbox (`/inbox?message=<id>`).
 */
export function TimelinePanel({ record, id }: { record: 'contacts' | 'companies' | 'deals'; id: string }) {
  const { t, i18n } = useCrmT();
  const list = useKeysetQuery(['timeline', record, id], (cursor) => crmApi.timeline(record, id, cursor));
  const replace = (item: TimelineItem) => list.setItems(replaced(item, (a, b) => a.id === b.id && a.kind === b.kind));

  return (
    <Stack gap="sm" data-testid="timeline-panel">
      <CrmErrorAlert error={list.error} testId="timeline-error" />
      <FeedCard list={list} empty={t('timeline.empty')} testId="timeline">
        {(e) => {
          switch (e.kind) {
            case 'email':
              return <MailEntry key={`m-${e.id}`} mail={e.email} />;
            case 'deal':
              return (
                <FeedEntry key={`d-${e.id}`} icon={IconTargetArrow} color="orange" testId="timeline-deal">
                  <Anchor component={Link} to={`/deals/${e.deal.id}`} size="sm" fw={500}>
                    {e.deal.name}
                  </Anchor>
                  <Text size="sm">{formatMoney(e.deal.amount, e.deal.currency, i18n.language)}</Text>
                  <Badge size="xs" variant="light">
                    {t(`stages.kinds.${e.deal.status}`)}
                  </Badge>
                </FeedEntry>
              );
            case 'purchase':
              return (
                <FeedEntry key={`p-${e.id}`} icon={IconCoin} color="green" testId="timeline-purchase">
                  <Text size="sm" fw={500}>
                    {t('timeline.purchase', { amount: formatMoney(e.purchase.amount, e.purchase.currency, i18n.language) })}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDate(e.purchase.purchasedOn, i18n.language)}
                  </Text>
                </FeedEntry>
              );
            default:
              return (
                <ActivityItem
                  key={`a-${e.id}`}
                  activity={e.activity}
                  onChange={(a) => replace({ ...e, activity: a })}
                  onDelete={(a) => {
                    crmApi
                      .deleteActivity(a.id)
                      .then(() => list.setItems(withoutId(a.id)))
                      .catch(() => undefined);
                  }}
                />
              );
          }
        }}
      </FeedCard>
    </Stack>
  );
}
