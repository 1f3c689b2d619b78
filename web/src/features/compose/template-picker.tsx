import { Badge, Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTemplate } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/problem-text.ts';
import { templatesApi } from './api.ts';
import { useComposeT } from './text.ts';
import type { MergeContext, RenderedTemplate } from './types.ts';

/** A menu of the user's and shared templates; the picked one is rendered for the record and inserted. */
export function TemplatePicker({
  context,
  onInsert,
}: {
  context: MergeContext;
  onInsert(rendered: RenderedTemplate, templateId: string): void;
}) {
  const { t } = useComposeT();
  const { t: tc } = useTranslation();
  const { data } = useQuery({ queryKey: ['templates'], queryFn: async () => (await templatesApi.list()).items });
  const pick = (id: string) =>
    templatesApi.render(id, context).then(
      (rendered) => onInsert(rendered, id),
      (error: unknown) => notifications.show({ color: 'red', message: errorText(tc, error).title }),
    );
  return (
    <Menu position="top-start" withinPortal>
      <Menu.Target>
        <Button variant="default" size="xs" leftSection={<IconTemplate size={14} />} data-testid="compose-template">
          {t('templates.pick')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown data-testid="compose-template-menu">
        {data?.length ? (
          data.map((tpl) => (
            <Menu.Item
              key={tpl.id}
              onClick={() => void pick(tpl.id)}
              rightSection={
                <Badge size="xs" variant="light" color={tpl.shared ? 'blue' : 'gray'}>
                  {tpl.shared ? t('templates.shared') : t('templates.personal')}
                </Badge>
              }
              data-testid="compose-template-item"
              data-name={tpl.name}
            >
              {tpl.name}
            </Menu.Item>
          ))
        ) : (
          // A menu holds only menu items: "no templates yet" is one, disabled.
          <Menu.Item disabled data-testid="compose-template-none">
            {t('templates.none')}
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
