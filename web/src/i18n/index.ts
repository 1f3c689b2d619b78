import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../api/types.ts';
import en from './en.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };
import crmEn from './crm.en.json' with { type: 'json' };
import crmZhCN from './crm.zh-CN.json' with { type: 'json' };
import mailboxesEn from './mailboxes.en.json' with { type: 'json' };
import mailboxesZhCN from './mailboxes.zh-CN.json' with { type: 'json' };
import mailEn from './mail.en.json' with { type: 'json' };
import mailZhCN from './mail.zh-CN.json' with { type: 'json' };
import securityEn from './security.en.json' with { type: 'json' };
import securityZhCN from './security.zh-CN.json' with { type: 'json' };
import signinEn from './signin.en.json' with { type: 'json' };
import signinZhCN from './signin.zh-CN.json' with { type: 'json' };
import organisationEn from './organisation.en.json' with { type: 'json' };
import organisationZhCN from './organisation.zh-CN.json' with { type: 'json' };
import composeEn from './compose.en.json' with { type: 'json' };
import composeZhCN from './compose.zh-CN.json' with { type: 'json' };
import bouncesEn from './bounces.en.json' with { type: 'json' };
import bouncesZhCN from './bounces.zh-CN.json' with { type: 'json' };
import notificationsEn from './notifications.en.json' with { type: 'json' };
import notificationsZhCN from './notifications.zh-CN.json' with { type: 'json' };
import analyticsEn from './analytics.en.json' with { type: 'json' };
import analyticsZhCN from './analytics.zh-CN.json' with { type: 'json' };
import webhooksEn from './webhooks.en.json' with { type: 'json' };
import webhooksZhCN from './webhooks.zh-CN.json' with { type: 'json' };

/** Every namespace's catalogue, by language. */
const english = {
  translation: en,
  mailboxes: mailboxesEn,
  mail: mailEn,
  security: securityEn,
  crm: crmEn,
  signin: signinEn,
  organisation: organisationEn,
  compose: composeEn,
  bounces: bouncesEn,
  notifications: notificationsEn,
  analytics: analyticsEn,
  webhooks: webhooksEn,
};
const chinese = {
  translation: zhCN,
  mailboxes: mailboxesZhCN,
  mail: mailZhCN,
  security: securityZhCN,
  crm: crmZhCN,
  signin: signinZhCN,
  organisation: organisationZhCN,
  compose: composeZhCN,
  bounces: bouncesZhCN,
  notifications: notificationsZhCN,
  analytics: analyticsZhCN,
  webhooks: webhooksZhCN,
};

// Both languages must hold the same namespaces and keys: each assignment fails to compile when one lacks a key.
const zhHasEveryEnglishKey: typeof english = chinese;
const enHasEveryChineseKey: typeof chinese = english;
void zhHasEveryEnglishKey;
void enHasEveryChineseKey;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: typeof english;
  }
}

export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
const STORAGE_KEY = 'tidings.lang';

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}

/** Any Chinese browser language gets the Simplified Chinese UI; everything else gets English. */
export function localeFromBrowser(languages: readonly string[]): Locale {
  const first = languages[0] ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The language the user picked on this device, if any. */
export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage can be disabled; the browser language still works
  }
}

function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function applyToDocument(locale: Locale): void {
  document.documentElement.lang = locale;
}

/** Switch the UI language; `remember` records an explicit choice on this device. */
export async function changeLocale(locale: Locale, remember: boolean): Promise<void> {
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Not fatal: the choice then lasts for this page only (and on the account, when signed in).
    }
  }
  applyToDocument(locale);
  await i18n.changeLanguage(locale);
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'en';
}

const initial = storedLocale() ?? localeFromBrowser(browserLanguages());
applyToDocument(initial);
i18n.on('languageChanged', (lng) => {
  if (isLocale(lng)) applyToDocument(lng);
});

void i18n.use(initReactI18next).init({
  resources: { en: english, 'zh-CN': chinese },
  lng: initial,
  fallbackLng: 'en',
  supportedLngs: LOCALES,
  load: 'currentOnly',
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

export { i18n };
