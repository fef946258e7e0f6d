// API errors: each carries its HTTP status and the error code of the contract.
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The error codes of the HTTP contract and the status each is answered with. */
export const ERROR_STATUS = {
  invalid_parameter: 400,
  query_too_long: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  index_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error a route throws to answer with `{ "error": { code, message, param? } }`. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.param !== undefined ? { param: this.param } : {}) } };
  }
}
