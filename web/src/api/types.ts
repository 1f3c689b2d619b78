import type { ItemOf, RequestOf, ResponseOf } from './schema-types.ts';

/** The shared account shapes, named from the generated OpenAPI types. */
export type User = ResponseOf<'/api/v1/me', 'get'>['user'];
export type Role = User['role'];
/** The languages a user may pick (the answer says `string`; the request names them). */
export type Locale = NonNullable<RequestOf<'/api/v1/me', 'patch'>['locale']>;
export type ApiToken = ItemOf<'/api/v1/tokens'>;
