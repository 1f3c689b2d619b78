import { Anchor, Button, Group, Loader, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAddressBook, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useRequest } from '../../components/use-request.ts';
import { mailApi } from './api.ts';
import { addressLabel, useMailT } from './text.ts';
import type { Address, Contact } from './types.ts';

/** The sender's name; a click shows the CRM contact with that address, or offers to create one. */
export function SenderCard({ address }: { address: Address }) {
  const { t } = useMailT();
  const [opened, setOpened] = useState(false);
  const [contact, setContact] = useState<Contact | null | undefined>(undefined);
  // The look-up and creating the contact share the one alert.
  const { busy: creating, error, setError, run } = useRequest();

  async function lookUp() {
    setError(null);
    try {
      const { items } = await mailApi.findContacts(address.address);
      const lower = address.address.toLowerCase();
      setContact(items.find((c) => c.emails.some((e) => e.address.toLowerCase() === lower)) ?? null);
    } catch (err) {
      setError(err);
    }
  }

  const create = () =>
    run(async () => {
      const name = address.name?.trim() || address.address.split('@')[0] || address.address;
      const { contact: created } = await mailApi.createContact(name, address.address);
      setContact(created);
      notifications.show({ message: t('sender.created'), color: 'teal' });
    });

  return (
    <Popover opened={opened} onChange={setOpened} width={300} position="bottom-start" shadow="md" withArrow onOpen={() => void lookUp()}>
      <Popover.Target>
        <UnstyledButton onClick={() => setOpened((o) => !o)} data-testid="sender-name" style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} span style={{ textDecoration: 'underline dotted' }}>
            {addressLabel(address)}
          </Text>
          {address.name ? <Text size="xs" c="dimmed" span ml={6}>{`<${address.address}>`}</Text> : null}
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown data-testid="sender-card">
        <Stack gap="xs">
          <div>
            <Text fw={600} size="sm">
              {address.name?.trim() || address.address}
            </Text>
            <Text size="xs" c="dimmed" data-testid="sender-card-address">
              {address.address}
            </Text>
          </div>
          <ErrorAlert error={error} testId="sender-card-error" />
          {contact === undefined && !error ? (
            <Group gap="xs">
              <Loader size="xs" />
              <Text size="xs" c="dimmed">
                {t('sender.loading')}
              </Text>
            </Group>
          ) : null}
          {contact ? (
            <Group gap="xs" data-testid="sender-contact">
              <IconAddressBook size={16} />
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor
                  component={Link}
                  to={`/contacts/${encodeURIComponent(contact.id)}`}
                  size="sm"
                  data-testid="sender-contact-link"
                  data-contact-id={contact.id}
                >
                  {contact.name}
                </Anchor>
                {contact.company || contact.title ? (
                  <Text size="xs" c="dimmed">
                    {[contact.title, contact.company?.name].filter(Boolean).join(' · ')}
                  </Text>
                ) : null}
              </Stack>
            </Group>
          ) : null}
          {contact === null ? (
            <>
              <Text size="xs" c="dimmed">
                {t('sender.notContact')}
              </Text>
              <Button
                size="xs"
                leftSection={<IconUserPlus size={14} />}
                onClick={() => void create()}
                loading={creating}
                data-testid="sender-create-contact"
              >
                {t('sender.create')}
              </Button>
            </>
          ) : null}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
