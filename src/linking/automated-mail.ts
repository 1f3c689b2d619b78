/**
 * Mail that is not a conversation with a person: lists, bulk senders, machines. Such mail is still linked
 * to existing contacts, but it never creates one.
 */

/** Local parts that belong to a machine or a role, not to a person (compared without dots, dashes, underscores). */
const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'noreply',
  'donotreply',
  'mailerdaemon',
  'postmaster',
  'bounce',
  'bounces',
  'notification',
  'notifications',
  'notify',
  'alert',
  'alerts',
  'info',
  'support',
  'sales',
  'admin',
  'administrator',
  'service',
  'services',
  'help',
  'helpdesk',
  'contact',
  'hello',
  'team',
  'office',
  'billing',
  'invoice',
  'invoices',
  'accounts',
  'newsletter',
  'news',
  'marketing',
  'press',
  'jobs',
  'careers',
  'hr',
  'webmaster',
  'hostmaster',
  'abuse',
  'security',
  'root',
  'system',
  'daemon',
  'automailer',
  'mailer',
  'feedback',
  'enquiries',
  'inquiries',
  'kefu',
]);

/** Prefixes that mark machine senders whatever follows (noreply-billing@, bounce+123@). */
const ROLE_PREFIXES = ['noreply', 'donotreply', 'bounce', 'mailerdaemon', 'notification'];

export function isRoleAddress(address: string): boolean {
  const local = (address.split('@')[0] ?? '').toLowerCase().split('+')[0]!;
  const squashed = local.replace(/[._-]/g, '');
  return ROLE_LOCAL_PARTS.has(squashed) || ROLE_PREFIXES.some((p) => squashed.startsWith(p));
}

export interface AutomationHeaders {
  listId: string | null;
  listUnsubscribe: string | null;
  precedence: string | null;
  autoSubmitted: string | null;
}

/** RFC 2369 list headers, Precedence bulk/list/junk, or any Auto-Submitted other than "no" (RFC 3834). */
export function isAutomatedMail(h: AutomationHeaders): boolean {
  if (h.listId?.trim() || h.listUnsubscribe?.trim()) return true;
  if (h.precedence && /^(bulk|list|junk)$/i.test(h.precedence.trim())) return true;
  if (h.autoSubmitted && !/^no$/i.test(h.autoSubmitted.trim().split(';')[0]!.trim())) return true;
  return false;
}
