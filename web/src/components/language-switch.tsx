import { Button, Menu } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { meApi } from '../api/endpoints.ts';
import type { Locale } from '../api/types.ts';
import { LOCALES, changeLocale, currentLocale } from '../i18n/index.ts';
import { useSession } from '../session/session-context.tsx';

/** English / 简体中文. The choice is kept on this device and, when signed in, on the account. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { user, userChanged } = useSession();
  const active = currentLocale();

  async function pick(locale: Locale) {
    await changeLocale(locale, true);
    if (user && user.locale !== locale) {
      try {
        const { user: updated } = await meApi.update({ locale });
        userChanged(updated);
      } catch {
        // The UI already switched; the account keeps its old language until the next switch succeeds.
      }
    }
  }

  return (
    <Menu position="bottom-end" width={160}>
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="compact-sm"
          leftSection={<IconLanguage size={16} />}
          // The accessible name starts with what the button shows (WCAG 2.5.3, label in name).
          aria-label={`${t(`language.${active}`)} (${t('language.label')})`}
          data-testid="language-switch"
        >
          {t(`language.${active}`)}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {LOCALES.map((locale) => (
          <Menu.Item
            key={locale}
            lang={locale}
            onClick={() => void pick(locale)}
            rightSection={locale === active ? <IconCheck size={14} /> : null}
            data-testid={`language-${locale}`}
          >
            {t(`language.${locale}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
