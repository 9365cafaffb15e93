/**
 * One error shape for every endpoint, OpenAI's (`{ error: { message, type, code } }`), so the
 * `openai` SDK and OpenWebUI show our messages as they are. `code` is specific and stable: tests
 * and clients branch on it.
 */
export type ErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'rate_limit_error' | 'not_found_error' | 'server_error';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly type: ErrorType = statusCode === 401
      ? 'authentication_error'
      : statusCode === 403
        ? 'permission_error'
        : statusCode === 404
          ? 'not_found_error'
          : statusCode === 429
            ? 'rate_limit_error'
            : statusCode >= 500
              ? 'server_error'
              : 'invalid_request_error',
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON() {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

/** Fastify's own errors (parsers, body limit, routing) under our codes. */
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'the request body is larger than the server accepts'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'the body is empty: send a JSON object'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'the body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_request', 'Content-Length does not match the body'],
};

/** Any thrown value as an ApiError (unknown errors become a 500 that names nothing internal). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string; name?: string };
  if (e?.code && FASTIFY_CODES[e.code]) {
    const [status, code, message] = FASTIFY_CODES[e.code];
    return new ApiError(status, code, message);
  }
  if (e instanceof SyntaxError) return new ApiError(400, 'invalid_json', `the body is not valid JSON: ${e.message}`);
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new ApiError(e.statusCode, 'invalid_request', e.message ?? 'bad request');
  return new ApiError(500, 'internal_error', 'the server failed to handle this request; it has been logged');
}
