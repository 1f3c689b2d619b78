import { domainToASCII } from 'node:url';
import { DiscoveryError } from './types.ts';

export interface ParsedEmail {
  /** local@domain with the domain in lower-case ASCII (punycode). */
  address: string;
  local: string;
  domain: string;
}

const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Dot-atom local part (RFC 5322) plus UTF-8 (RFC 6531); quoted local parts are not worth their risk here.
const localPart = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;

/** Splits and checks an address; throws DiscoveryError('invalid_email') rather than guessing. */
export function parseEmail(input: unknown): ParsedEmail {
  const bad = (why: string) => new DiscoveryError('invalid_email', `Not a usable email address: ${why}`);
  if (typeof input !== 'string') throw bad('not text');
  const text = input.trim();
  if (text.length === 0 || text.length > 254) throw bad('empty or too long');
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) throw bad('needs a name and a domain around @');
  const local = text.slice(0, at);
  if (local.length > 64 || !localPart.test(local)) throw bad('the part before @ has characters mail servers refuse');
  const rawDomain = text.slice(at + 1).replace(/\.$/, '');
  // domainToASCII parses like a URL host and would quietly drop '/path' or ':port'; letters, digits,
  // marks, dots and hyphens are all a domain may hold.
  if (!/^[\p{L}\p{N}\p{M}.-]+$/u.test(rawDomain)) throw bad('the domain has characters a host name cannot');
  const domain = domainToASCII(rawDomain.toLowerCase());
  const labels = domain.split('.');
  if (!domain || domain.length > 253 || labels.length < 2 || !labels.every((l) => label.test(l))) {
    throw bad('the domain is not a host name');
  }
  if (/^\d+$/.test(labels[labels.length - 1])) throw bad('the domain is an IP address');
  return { address: `${local}@${domain}`, local, domain };
}
