import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type FieldError, isDatabaseBusy } from '../kernel/index.ts';
import { type ApiErrorCode, statusForCode } from './error-statuses.ts';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  const { headers, ...rest } = extra as { headers?: Record<string, string> };
  if (headers) reply.headers(headers);
  return reply
    .code(status)
    .type('application/problem+json')
    .serializer(JSON.stringify)
    .send({ type: `https://tidings.dev/problems/${code}`, title: titles[status] ?? 'Error', status, code, detail, ...rest });
}

/** Fastify's own errors (parsing, limits) as our codes; their statuses stand in the table's `api` section. */
const fastifyCodes: Record<string, [ApiErrorCode, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['malformed_json', 'The request body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['malformed_json', 'The request body is empty but declared as JSON.'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['body_too_large', 'The request body is larger than the limit.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type', 'Send the body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_content_length', 'The Content-Length header does not match the body.'],
  FST_ERR_BAD_URL: ['bad_url', 'The URL is malformed.'],
  FST_ERR_MAX_PARAM_LENGTH: ['uri_too_long', 'A part of the URL path is longer than the limit.'],
  FST_ERR_ASYNC_CONSTRAINT: ['bad_request', 'The request could not be routed.'],
};

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler(answerError);
}

/**
 * Every error as a problem: the app's error handler, and Fastify's `frameworkErrors` option for what the
 * router raises before a route is found (a malformed escape, a path segment over the length limit), which
 * otherwise never reaches the error handler and leaves as Fastify's own JSON.
 */
export function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) return sendDomainProblem(request, reply, error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldError[] = error.validation.map((v) => ({
      path: [error.validationContext, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('.'),
      message: v.message ?? 'invalid',
    }));
    return sendProblem(
      reply,
      400,
      'validation_failed',
      `The request is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  const known = error.code ? fastifyCodes[error.code] : undefined;
  if (known) return sendDomainProblem(request, reply, new DomainError(known[0], known[1], { cause: error }));
  if (error.validation) {
    return sendProblem(reply, 400, 'validation_failed', error.message);
  }
  if (isDatabaseBusy(error)) {
    request.log.warn({ route: request.routeOptions.url }, 'no database connection free in time: answered 503 database_busy');
    const busy = new DomainError('database_busy', 'The database is busy. Try again in a few seconds.', { retryAfterSeconds: 5 });
    return sendDomainProblem(request, reply, busy);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(reply, error.statusCode, 'bad_request', error.message);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side. The error was logged.');
}

function sendDomainProblem(request: FastifyRequest, reply: FastifyReply, error: DomainError) {
  // A mapped 5xx the client can act on (502 the mail server refused, 503 sync switched off) is answered
  // as mapped; a code nobody mapped, or a plain server fault (500), hides its message and is logged.
  const status = statusForCode(error.code);
  if (status === 500) {
    request.log.error({ err: error, code: error.code }, 'domain error answered with 500 (a code with no status, or a server fault)');
    return sendProblem(reply, 500, 'internal_error', 'Something went wrong on our side. The error was logged.');
  }
  const retry = error.retryAfterSeconds;
  const extra =
    retry === undefined ? error.details : { ...error.details, retryAfterSeconds: retry, headers: { 'retry-after': String(retry) } };
  return sendProblem(reply, status, error.code, error.message, extra);
}
