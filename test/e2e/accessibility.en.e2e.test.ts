import { accessibilityTour } from '../support/a11y-screens.ts';

// Every page and main dialog in English passes axe-core (WCAG 2.0/2.1 A and AA, landmarks, headings); the
// tour is test/support/a11y-screens.ts, and accessibility.zh.e2e.test.ts runs it in Chinese alongside.
accessibilityTour({ locale: 'en-US', user: 'alice@example.test' });
