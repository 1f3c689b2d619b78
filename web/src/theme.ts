import { Button, type CSSVariablesResolver, Table, createTheme } from '@mantine/core';
import { i18n } from './i18n/index.ts';

// A dense business look: small controls, compact tables, system fonts with good CJK fallbacks.
export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 keeps white text on filled buttons above WCAG AA's 4.5:1 (shade 6 is about 4.2:1).
  primaryShade: 7,
  defaultRadius: 'sm',
  fontFamily:
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
  headings: { fontWeight: '600' },
  components: {
    Button: Button.extend({ defaultProps: { size: 'sm' } }),
    Table: Table.extend({
      defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm', highlightOnHover: true },
    }),
    // A function, so the close button's name follows the UI language (an unnamed button fails WCAG 4.1.2).
    Modal: { defaultProps: () => ({ centered: true, size: 'md', closeButtonProps: { 'aria-label': i18n.t('common.close') } }) },
  },
});

/**
 * Contrast for WCAG 2 AA. Mantine's "dimmed" text is gray 6, about 3.3:1 on white and less on the gray page background: below
 * WCAG AA's 4.5:1 for body text. Gray 7 is well above it.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Light badges and alerts write shade 9 on shade 1 (teal: 4.3:1); on shade 0 it reads at AA. Yellow and
    // orange are too bright even in shade 9: they write in a dark amber.
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((name) => [
        [`--mantine-color-${name}-light`, `var(--mantine-color-${name}-0)`],
        [`--mantine-color-${name}-light-color`, `var(--mantine-color-${name}-9)`],
        [`--mantine-color-${name}-light-hover`, `var(--mantine-color-${name}-1)`],
      ]),
    ),
    '--mantine-color-yellow-light-color': '#7a3e00',
    '--mantine-color-orange-light-color': '#7a3e00',
    // White on filled red, teal, green or orange needs shade 9 for 4.5:1 (red 7 is 3.8:1).
    ...Object.fromEntries(
      ['red', 'teal', 'green', 'orange'].flatMap((name) => [
        [`--mantine-color-${name}-filled`, `var(--mantine-color-${name}-9)`],
        [`--mantine-color-${name}-filled-hover`, `var(--mantine-color-${name}-9)`],
      ]),
    ),
  },
  dark: {},
});
