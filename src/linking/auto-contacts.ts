import type { ContactCreation } from '../mailboxes/tables.ts';
import type { StoredAddress } from '../store/tables.ts';
import { isAutomatedMail, isRoleAddress, type AutomationHeaders } from './automated-mail.ts';
import { domainOf, isFreeMailDomain } from './free-mail.ts';

export interface AutoContactInput extends AutomationHeaders {
  mode: ContactCreation;
  /** The bound mailbox's own address. */
  mailboxAddress: string;
  from: StoredAddress[];
  to: StoredAddress[];
  cc: StoredAddress[];
  bcc: StoredAddress[];
  /**
   * Whether Bcc recipients may become contacts: only when every member reads the mailbox in full
   * (share_all). A contact is visible to the whole workspace, so elsewhere it would reveal a blind copy.
   */
  bccVisible: boolean;
  /** The company's own domains: colleagues are never contacts. */
  workspaceDomains: string[];
  allowFreeMail: boolean;
  /** Workspace-blocked addresses and domains. */
  isBlocked: (address: string) => boolean;
}

export interface ContactCandidate {
  address: string;
  name: string;
  /** The work domain the contact's company is made from; null for free mail. */
  companyDomain: string | null;
}

const sameOrSub = (domain: string, of: string) => domain === of || domain.endsWith(`.${of}`);

/**
 * Which people one message turns into contacts. 'sent': the recipients of mail the mailbox owner wrote;
 * 'all': everyone on the message but the owner. Bcc recipients only when `bccVisible`. Never for automated/bulk mail, machine or role addresses,
 * colleagues (workspace domains and the mailbox's own domain), blocked senders, or (unless allowed) free mail.
 */
export function decideAutoContacts(m: AutoContactInput): ContactCandidate[] {
  if (m.mode === 'off') return [];
  if (isAutomatedMail(m)) return [];
  const own = m.mailboxAddress.trim().toLowerCase();
  const fromOwner = m.from.some((a) => a.address.trim().toLowerCase() === own);
  const bcc = m.bccVisible ? m.bcc : [];
  let people: StoredAddress[];
  if (m.mode === 'sent') {
    if (!fromOwner) return [];
    people = [...m.to, ...m.cc, ...bcc];
  } else {
    people = [...m.from, ...m.to, ...m.cc, ...bcc];
  }
  // A machine sent it: nobody on it becomes a contact.
  if (m.from.some((a) => isRoleAddress(a.address))) return [];
  const colleagues = [...m.workspaceDomains.map((d) => d.toLowerCase()), domainOf(own)].filter(Boolean);
  const out = new Map<string, ContactCandidate>();
  for (const p of people) {
    const address = p.address.trim().toLowerCase();
    const domain = domainOf(address);
    if (!address || !domain || address === own || out.has(address)) continue;
    if (colleagues.some((c) => sameOrSub(domain, c))) continue;
    if (isRoleAddress(address) || m.isBlocked(address)) continue;
    const free = isFreeMailDomain(domain);
    if (free && !m.allowFreeMail) continue;
    out.set(address, { address, name: p.name?.trim() || nameFromAddress(address), companyDomain: free ? null : domain });
  }
  return [...out.values()];
}

/** "li.lei@x" → "Li Lei": a readable default until someone edits it. */
export function nameFromAddress(address: string): string {
  const local = address.split('@')[0] ?? address;
  return (
    local
      .split(/[._-]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ') || address
  );
}

/** Company name from its domain: acme.com → "Acme", sales.acme.co.uk → "Acme", 阿里巴巴 IDNs stay as given. */
export function companyNameFromDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.');
  // Second-level public suffixes (co.uk, com.cn...): the name is the label before them.
  const twoPart =
    labels.length >= 3 && /^(com|co|net|org|gov|edu|ac)$/.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2;
  const label = labels[labels.length - (twoPart ? 3 : 2)] ?? labels[0]!;
  return label.charAt(0).toUpperCase() + label.slice(1);
}
