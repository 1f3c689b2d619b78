import {
  Alert,
  Autocomplete,
  Button,
  type CSSVariablesResolver,
  Menu,
  Modal,
  MultiSelect,
  NavLink,
  Notification,
  Select,
  Table,
  TagsInput,
  createTheme,
  darken,
  luminance,
} from '@mantine/core';
import { i18n } from './i18n/index.ts';

function closeLabel() {
  return { 'aria-label': i18n.t('common.close') };
}

/**
 * A long option list scrolls in the listbox itself rather than in a scroll area inside it: a scrolling
 * element must be reachable by keyboard (WCAG 2.1.1), and the listbox is, through its combobox (the arrow
 * keys move through it), where a scroll area's viewport is not.
 */
const listboxScrolls = {
  withScrollArea: false,
  styles: { options: { maxHeight: 220, overflowY: 'auto' as const } },
};

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
    Select: Select.extend({ defaultProps: listboxScrolls }),
    MultiSelect: MultiSelect.extend({ defaultProps: listboxScrolls }),
    Autocomplete: Autocomplete.extend({ defaultProps: listboxScrolls }),
    TagsInput: TagsInput.extend({ defaultProps: listboxScrolls }),
    Table: Table.extend({
      defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm', highlightOnHover: true },
    }),
    // Mantine puts a role="presentation" focus placeholder inside role="menu", which may hold only menu
    // items; without it the first item takes the focus when a menu opens by keyboard.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    // A NavLink without a route is an action (pick a folder, fold a mailbox): a button, which may carry
    // aria-expanded; Mantine's default <a> without href may not. Links pass component={Link}.
    NavLink: NavLink.extend({ defaultProps: { component: 'button' } }),
    // Icon-only close buttons need a name a screen reader can say. Getters, read each time Mantine spreads
    // the default props into a render, so the name follows the UI language.
    Modal: Modal.extend({
      defaultProps: {
        centered: true,
        size: 'md',
        // Mantine draws the dialog's title bar as <header>, which reads as a second page banner.
        attributes: { header: { role: 'none' } },
        get closeButtonProps() {
          return closeLabel();
        },
      },
    }),
    Alert: Alert.extend({
      defaultProps: {
        get closeButtonLabel() {
          return i18n.t('common.close');
        },
      },
    }),
    Notification: Notification.extend({
      defaultProps: {
        get closeButtonProps() {
          return closeLabel();
        },
      },
    }),
  },
});

/** WCAG's contrast ratio of two colours (1 to 21). */
function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG 2 AA for normal text; a little over 4.5 so rounding in a browser never tips it under. */
const AA_TEXT = 4.6;

/** `color`, darkened in small steps until it reaches AA contrast against `background`. */
function readableOn(color: string, background: string): string {
  let result = color;
  for (let amount = 0.05; contrastRatio(result, background) < AA_TEXT && amount <= 1; amount += 0.05) {
    result = darken(color, amount);
  }
  return result;
}

/**
 * Mantine's light scheme puts white text on shade 6 (3.3:1 for red, 2.5:1 for teal), grey "dimmed" text
 * at 3.3:1 and light-variant text at 2.7:1 (yellow): below the 4.5:1 WCAG 2 AA asks of normal text. Here
 * every palette colour gets a text/filled shade that reads on the app's lightest and greyest surfaces
 * (white, gray.1) and under white text: the first of shades 6–9 that passes, else shade 9 darkened. Shade 6
 * itself becomes that shade, since Mantine colours some text with it directly (a red Menu.Item). Light
 * variants get text that passes on their own tint. So every `color=` in the app is readable without
 * per-page choices.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const surface = t.colors.gray[1];
  const light: Record<string, string> = {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#6c757d',
  };
  for (const [name, shades] of Object.entries(t.colors)) {
    const text = [6, 7, 8, 9].map((i) => shades[i]).find((c) => contrastRatio(c, surface) >= AA_TEXT) ?? readableOn(shades[9], surface);
    light[`--mantine-color-${name}-6`] = text;
    light[`--mantine-color-${name}-filled`] = text;
    light[`--mantine-color-${name}-filled-hover`] = darken(text, 0.1);
    light[`--mantine-color-${name}-outline`] = text;
    light[`--mantine-color-${name}-text`] = text;
    light[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
  }
  light['--mantine-color-anchor'] = light[`--mantine-color-${t.primaryColor}-text`];
  light['--mantine-color-error'] = light['--mantine-color-red-text'];
  return { variables: {}, light, dark: {} };
};
