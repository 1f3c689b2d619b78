export { createSelfSigned, createTestCa, fingerprintOf, sharedTestCa } from './certs.ts';
export type { CertRequest, IssuedCert, TestCa } from './certs.ts';
export { startDovecot } from './dovecot.ts';
export type { DovecotInstance, DovecotOptions } from './dovecot.ts';
export { HarnessError } from './errors.ts';
export { startSmtp } from './smtp.ts';
export type { ReceivedMessage, SmtpInstance, SmtpOptions } from './smtp.ts';
