import type { paths } from './generated/schema.ts';

/**
 * Shortcuts into the generated OpenAPI types, so the web app names an answer by its route
 * (`ResponseOf<'/api/v1/users', 'get'>`) rather than writing its shape again.
 */
export type ApiPath = keyof paths;
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessOf<Op> = Op extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : never
  : never;

/** The JSON body of a route's success answer (200, else 201). */
export type ResponseOf<P extends ApiPath, M extends ApiMethod> = SuccessOf<paths[P][M]>;

/** The JSON body a route accepts. */
export type RequestOf<P extends ApiPath, M extends ApiMethod> = paths[P][M] extends { requestBody?: infer B }
  ? JsonOf<NonNullable<B>>
  : never;

/** A route's query parameters. */
export type QueryOf<P extends ApiPath, M extends ApiMethod> = paths[P][M] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

/** The element type of a list answer. */
export type ItemOf<P extends ApiPath, M extends ApiMethod = 'get'> = ResponseOf<P, M> extends { items: Array<infer I> } ? I : never;
