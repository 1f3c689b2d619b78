import { describe, expect, it } from 'vitest';
import { keptLabels, ownLabelOf } from './gmail-labels.ts';

describe('Gmail labels', () => {
  it('keeps user labels and \\Important, drops the system labels that repeat folders and flags', () => {
    expect(
      keptLabels(['\\Inbox', 'Customers', '\\Sent', '\\Starred', '\\Important', '\\Draft', '\\Trash', '\\Spam', 'Q3/北京'], null),
    ).toEqual(['Customers', 'Q3/北京', '\\Important']);
    expect(keptLabels(['\\important', ' ', 'B', 'A', 'B'], null)).toEqual(['A', 'B', '\\Important']);
  });

  it("adds the selected folder's own label, which Gmail leaves out", () => {
    expect(ownLabelOf({ path: 'Customers/China', delimiter: '/' })).toBe('Customers/China');
    expect(ownLabelOf({ path: 'INBOX', delimiter: '/' })).toBeNull();
    expect(ownLabelOf({ path: '[Gmail]/All Mail', delimiter: '/', specialUse: '\\All' })).toBeNull();
    expect(ownLabelOf({ path: '[Google Mail]/Sent Mail', delimiter: '/' })).toBeNull();
    expect(ownLabelOf({ path: '[Gmail]/Important', delimiter: '/', specialUse: '\\Important' })).toBe('\\Important');
    expect(keptLabels(['\\Inbox'], ownLabelOf({ path: 'Leads', delimiter: '/' }))).toEqual(['Leads']);
    expect(ownLabelOf(false)).toBeNull();
  });
});
