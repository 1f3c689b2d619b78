import type { ServerSetting } from './types.ts';

/** Implicit TLS from the first byte (IMAP 993, SMTP 465). */
export const tls = (host: string, port: number): ServerSetting => ({ host, port, security: 'tls' });

/** Plain connection upgraded with STARTTLS before login (SMTP 587, Proton Mail Bridge). */
export const starttls = (host: string, port: number): ServerSetting => ({ host, port, security: 'starttls' });
