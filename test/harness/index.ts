export { createSelfSigned, createTestCa, fingerprintOf, sharedTestCa, sharedTestCaFile } from './certs.ts';
export type { CertRequest, IssuedCert, TestCa } from './certs.ts';
export { startDovecot } from './dovecot.ts';
export type { DovecotInstance, DovecotOptions } from './dovecot.ts';
export type { OAuth2Options } from './dovecot-config.ts';
export { HarnessError } from './errors.ts';
export { startSmtp } from './smtp.ts';
export type { ReceivedMessage, SmtpInstance, SmtpOptions } from './smtp.ts';
export {
  GOOGLE_MAIL_SCOPE,
  GRAPH_APP_SCOPE,
  GRAPH_MAIL_SCOPE,
  GRAPH_SEND_SCOPE,
  GRAPH_USER_SCOPE,
  MICROSOFT_APP_SCOPE,
  MICROSOFT_IMAP_SCOPE,
  MICROSOFT_SMTP_SCOPE,
  startOAuthProvider,
} from './oauth-provider.ts';
export type { OAuthProviderInstance, ProviderError, ProviderKind } from './oauth-provider.ts';
export { MAIL_SCOPES, oauthTestClient } from './oauth-client.ts';
export type { OAuthTestClient, TestTokens } from './oauth-client.ts';
export { startGoogleWithDelegation, JWT_BEARER_GRANT } from './oauth-jwt-bearer.ts';
export type { GoogleWithDelegation, ServiceAccountKeyFile } from './oauth-jwt-bearer.ts';
export { startAppMailAccess } from './app-mail-access.ts';
export type { AppMailAccess } from './app-mail-access.ts';
export { startGraphServer } from './graph-server.ts';
export type { GraphHostile, GraphSendFailure, GraphSentMessage, GraphServerInstance } from './graph-server.ts';
export { startEwsServer } from './ews-server.ts';
export type {
  AuthScheme,
  EwsRequestRecord,
  EwsSendFailure,
  EwsSentMessage,
  EwsServerInstance,
  EwsUserOptions,
  EwsUserState,
  HostileMode,
} from './ews-server.ts';
export type { AutodiscoverMode } from './ews-autodiscover.ts';
export { startS3 } from './s3.ts';
export type { S3Instance } from './s3.ts';
