import { accessibilityTour } from '../support/a11y-screens.ts';

// Every page and main dialog in Chinese (zh-CN) passes axe-core (WCAG 2.0/2.1 A and AA, landmarks,
// headings); the tour is test/support/a11y-screens.ts, and accessibility.en.e2e.test.ts runs it in English.
accessibilityTour({ locale: 'zh-CN', user: 'wang@example.test' });
