/**
 * Gmail labels (X-GM-LABELS) as Tidings keeps them: the message's user labels, plus \Important.
 *
 * Gmail's other system labels are not user tags, and each repeats something Tidings already shows:
 * \Inbox, \Sent, \Draft, \Trash and \Spam are the folders the message is in (its folder memberships);
 * \Starred is the star (\Flagged). Showing them again as tags would say everything twice, and keeping them
 * would make a tag flicker as mail moves between folders. \Important (Gmail's priority marker) has no
 * folder or flag of its own in Tidings, so it is kept and shown as an "Important" tag. Any other
 * backslash label (a system label Google adds later) is left out until someone decides what it means.
 */
const IMPORTANT = '\\Important';

/** Where Gmail puts its system folders ("[Google Mail]" in some countries). */
const SYSTEM_ROOT = /^\[(gmail|google mail)\]$/i;

export interface SelectedFolder {
  path: string;
  delimiter?: string;
  specialUse?: string;
}

/**
 * The label a folder stands for. Gmail leaves the selected folder's own label out of X-GM-LABELS (in
 * "Customers" a message does not say "Customers"), so without it a label would vanish each time that
 * folder is synced and return with All Mail. INBOX and the [Gmail] folders stand for system labels, which
 * are not kept anyway, except [Gmail]/Important.
 */
export function ownLabelOf(folder: SelectedFolder | false | null | undefined): string | null {
  if (!folder || folder.path.toUpperCase() === 'INBOX') return null;
  const root = folder.delimiter ? folder.path.split(folder.delimiter)[0]! : folder.path;
  // Not folder.specialUse alone: imapflow guesses it from names too, and a user label may be called "Archive".
  if (SYSTEM_ROOT.test(root)) return folder.specialUse?.toLowerCase() === '\\important' ? IMPORTANT : null;
  return folder.path;
}

/** The labels to keep, de-duplicated and sorted (a stable order, so an unchanged set compares equal). */
export function keptLabels(serverLabels: Iterable<string>, ownLabel: string | null): string[] {
  const out = new Set<string>();
  for (const label of [...serverLabels, ...(ownLabel ? [ownLabel] : [])]) {
    const name = label.trim();
    if (!name) continue;
    if (!name.startsWith('\\')) out.add(name);
    else if (name.toLowerCase() === IMPORTANT.toLowerCase()) out.add(IMPORTANT);
  }
  return [...out].sort();
}
