import { AppShell, Badge, Burger, Group, NavLink, ScrollArea, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAddressBook,
  IconBuilding,
  IconBuildingCommunity,
  IconChartBar,
  IconInbox,
  IconKey,
  IconTemplate,
  IconWebhook,
  IconMailbox,
  IconShieldLock,
  IconTargetArrow,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { useMailboxesNeedingAttention } from '../features/mailboxes/use-attention.ts';
import { useSyncEvents } from '../features/mailboxes/use-sync-events.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { ReminderBell } from '../features/reminders/reminder-bell.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { ProductMark } from './product-mark.tsx';
import { UserMenu } from './user-menu.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  testId: string;
  /** Shown after the label (a count that wants the reader's eye); its label is read out with the link's. */
  badge?: { count: number; label: string } | null;
}

export function AppLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  useSyncEvents();
  const broken = useMailboxesNeedingAttention();
  const attentionBadge = broken.length ? { count: broken.length, label: t('navAttention', { ns: 'notifications' }) } : null;

  const main: NavItem[] = [
    { to: '/inbox', label: t('nav.inbox'), icon: <IconInbox size={18} />, testId: 'nav-inbox' },
    { to: '/dashboard', label: t('dashboard.title', { ns: 'crm' }), icon: <IconChartBar size={18} />, testId: 'nav-dashboard' },
    { to: '/contacts', label: t('nav.contacts'), icon: <IconAddressBook size={18} />, testId: 'nav-contacts' },
    { to: '/companies', label: t('nav.companies'), icon: <IconBuilding size={18} />, testId: 'nav-companies' },
    { to: '/deals', label: t('nav.deals'), icon: <IconTargetArrow size={18} />, testId: 'nav-deals' },
  ];
  const settings: NavItem[] = [
    {
      to: '/settings/mailboxes',
      label: t('nav.mailboxes'),
      icon: <IconMailbox size={18} />,
      testId: 'nav-mailboxes',
      badge: attentionBadge,
    },
    {
      to: '/settings/organisation',
      label: t('nav', { ns: 'organisation' }),
      icon: <IconBuildingCommunity size={18} />,
      testId: 'nav-organisation',
    },
    { to: '/settings/users', label: t('nav.users'), icon: <IconUsers size={18} />, testId: 'nav-users' },
    { to: '/settings/security', label: t('nav.security'), icon: <IconShieldLock size={18} />, testId: 'nav-security' },
    { to: '/settings/tokens', label: t('nav.tokens'), icon: <IconKey size={18} />, testId: 'nav-tokens' },
    { to: '/settings/templates', label: t('nav.templates'), icon: <IconTemplate size={18} />, testId: 'nav-templates' },
    { to: '/settings/webhooks', label: t('nav', { ns: 'webhooks' }), icon: <IconWebhook size={18} />, testId: 'nav-webhooks' },
  ];

  const link = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={item.icon}
      rightSection={
        item.badge ? (
          <Badge size="xs" color="red" variant="filled" circle title={item.badge.label} data-testid={`${item.testId}-attention`}>
            {item.badge.count}
            <VisuallyHidden> {item.badge.label}</VisuallyHidden>
          </Badge>
        ) : null
      }
      active={pathname === item.to || pathname.startsWith(`${item.to}/`)}
      onClick={close}
      data-testid={item.testId}
    />
  );

  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" />
            <ProductMark size="header" />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <NotificationBell />
            <ReminderBell />
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        <ScrollArea>
          {main.map(link)}
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" mt="md" mb={4}>
            {t('nav.settings')}
          </Text>
          {settings.map(link)}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
