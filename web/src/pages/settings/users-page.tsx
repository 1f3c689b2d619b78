import { Badge, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPencil, IconShieldOff, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usersApi } from '../../api/endpoints.ts';
import { useListQuery } from '../../api/use-list-query.ts';
import type { User } from '../../api/types.ts';
import { AdminOnly } from '../../components/admin-only.tsx';
import { ListPage } from '../../components/list-card.tsx';
import { ConfirmItemModal } from '../../components/confirm-modal.tsx';
import { useItemDialog } from '../../components/use-item-dialog.ts';
import { formatDateTime } from '../../components/format.ts';
import { ResetTwoFactorModal } from '../../features/security/reset-two-factor-modal.tsx';
import { twoFactorOn, useSecurityT } from '../../features/security/text.ts';
import { ResetPasswordModal } from './reset-password-modal.tsx';
import { UserFormModal } from './user-form-modal.tsx';
import { RowActionsMenu } from '../../components/row-actions-menu.tsx';

export function UsersPage() {
  const { t } = useTranslation();
  return (
    <AdminOnly
      title={t('users.title')}
      subtitle={t('users.subtitle')}
      denied={{ title: t('users.adminOnlyTitle'), body: t('users.adminOnlyBody'), testId: 'users-admin-only' }}
    >
      {(me) => <UsersAdmin me={me} />}
    </AdminOnly>
  );
}

function UsersAdmin({ me }: { me: User }) {
  const { t, i18n } = useTranslation();
  const { t: ts } = useSecurityT();
  const list = useListQuery<User>(['users'], usersApi.list);
  // A failed reactivation shows where a failed load does.
  const [actionError, setActionError] = useState<unknown>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const deactivating = useItemDialog<User>();
  const resettingTwoFactor = useItemDialog<User>();

  const replace = (user: User) => list.upsert(user);
  /** Opens the user form on `user`, or empty for a new one. */
  const openForm = (user: User | null) => {
    setEditing(user);
    setFormOpen(true);
  };

  async function setActive(user: User, active: boolean) {
    const result = await usersApi.update(user.id, { active });
    replace(result.user);
    notifications.show({
      color: active ? 'teal' : 'gray',
      message: t(active ? 'users.reactivated' : 'users.deactivated', { name: user.name }),
    });
  }

  async function reactivate(user: User) {
    try {
      await setActive(user, true);
    } catch (err) {
      setActionError(err);
    }
  }

  const row = (user: User) => (
    <Table.Tr key={user.id} data-testid="users-row" data-email={user.email}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={500}>
            {user.name}
          </Text>
          {user.id === me.id ? (
            <Badge size="xs" variant="outline">
              {t('common.you')}
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td data-testid="user-team">{user.team ?? '—'}</Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={user.role === 'admin' ? 'indigo' : 'gray'}>
          {t(`roles.${user.role}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge size="sm" variant="dot" color={user.active ? 'teal' : 'red'} data-testid="users-status">
          {user.active ? t('status.active') : t('status.deactivated')}
        </Badge>
      </Table.Td>
      <Table.Td c="dimmed">{formatDateTime(user.lastLoginAt, i18n.language, t('common.never'))}</Table.Td>
      <Table.Td ta="right">
        <RowActionsMenu
          label={t('users.memberActions', { name: user.name })}
          width={190}
          testId="users-row-menu"
          items={[
            { icon: IconPencil, label: t('users.edit'), onClick: () => openForm(user), testId: 'users-edit' },
            { icon: IconKey, label: t('users.resetPassword'), onClick: () => setResetting(user), testId: 'users-reset-password' },
            twoFactorOn(user) && {
              icon: IconShieldOff,
              label: ts('resetTwoFactor.action'),
              onClick: () => resettingTwoFactor.open(user),
              testId: 'users-reset-two-factor',
            },
            user.id !== me.id &&
              (user.active
                ? {
                    icon: IconUserOff,
                    label: t('users.deactivate'),
                    onClick: () => deactivating.open(user),
                    testId: 'users-deactivate',
                    color: 'red',
                  }
                : { icon: IconUserCheck, label: t('users.reactivate'), onClick: () => void reactivate(user), testId: 'users-reactivate' }),
          ]}
        />
      </Table.Td>
    </Table.Tr>
  );

  return (
    <>
      <ListPage
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        create={{ label: t('users.create'), onClick: () => openForm(null) }}
        list={list}
        actionError={actionError}
        testId="users"
        row={row}
        minWidth={640}
        columns={[t('fields.name'), t('fields.email'), t('fields.team'), t('fields.role'), t('users.status'), t('users.lastLogin')]}
        actions={{ label: t('common.actions'), width: 48 }}
      />

      <UserFormModal
        user={editing}
        opened={formOpen}
        onClose={() => setFormOpen(false)}
        onSaved={(user, created) => {
          replace(user);
          setFormOpen(false);
          notifications.show({ color: 'teal', message: created ? t('users.created', { name: user.name }) : t('users.updated') });
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(user) => {
          replace(user);
          setResetting(null);
          notifications.show({ color: 'teal', message: t('users.passwordReset', { name: user.name }) });
        }}
      />
      <ResetTwoFactorModal dialog={resettingTwoFactor} onDone={replace} />
      <ConfirmItemModal
        dialog={deactivating}
        title={(user) => t('users.deactivateTitle', { name: user.name })}
        body={t('users.deactivateBody')}
        confirmLabel={t('users.deactivate')}
        onConfirm={(user) => setActive(user, false)}
        testId="users-deactivate-modal"
      />
    </>
  );
}
