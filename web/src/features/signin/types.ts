import type { ItemOf, RequestOf, ResponseOf } from '../../api/schema-types.ts';

/** The shapes of the sign-in routes, named from the generated OpenAPI types. */

export type SigninApp = ItemOf<'/api/v1/signin-apps'>;
/** Google or Microsoft: the identity providers Tidings signs in with for IMAP/SMTP (XOAUTH2). */
export type SigninProvider = SigninApp['provider'];
export const SIGNIN_PROVIDERS: readonly SigninProvider[] = ['google', 'microsoft'];

/** The secret is write-only: absent keeps the stored one, null removes it (a Microsoft public client). */
export type SigninAppInput = RequestOf<'/api/v1/signin-apps/{provider}', 'put'>;

export type StartFlowInput = RequestOf<'/api/v1/signin/flows', 'post'>;
export type StartedFlow = ResponseOf<'/api/v1/signin/flows', 'post'>;
export type SigninFlow = ResponseOf<'/api/v1/signin/flows/{id}', 'get'>;
export type DeviceCode = NonNullable<SigninFlow['device']>;

export type SigninInvitation = ResponseOf<'/api/v1/signin/invitations', 'post'>;
