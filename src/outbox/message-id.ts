import { randomBytes } from 'node:crypto';

/** A new Message-ID under the sending mailbox's domain: minted once per outbox row and never changed. */
export function mintMessageId(mailboxEmail: string): string {
  const domain = mailboxEmail.slice(mailboxEmail.lastIndexOf('@') + 1).toLowerCase() || 'tidings.invalid';
  return `<${randomBytes(18).toString('base64url')}@${domain}>`;
}
