import { isRegisteredProblemType } from '@sangam/core';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

/** An answer read loosely, as tests do: each test asserts what it relies on. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type LooseResponse = ApiResponse<any>;

export interface RequestOptions {
  readonly token?: string;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  /** A raw body with its own content type. */
  readonly raw?: { body: string | Uint8Array; contentType?: string };
  readonly headers?: Record<string, string>;
}

/**
 * A small HTTP client for integration tests. Every non-2xx answer is checked to be RFC 9457 problem+json with a
 * registered `type`, the right `status` and the request id as `instance`; anything else fails the test at once.
 */
export class Api {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely; each test asserts what it relies on
  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw) {
      if (options.raw.contentType) headers['content-type'] = options.raw.contentType;
      body = options.raw.body;
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    const type = response.headers.get('content-type') ?? '';
    if (/^application\/([a-z.+-]+\+)?json\b/.test(type) && text.length > 0) parsed = JSON.parse(text);
    if (response.status >= 300) assertProblem(method, path, response, parsed);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  // biome-ignore lint/suspicious/noExplicitAny: see request
  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  // biome-ignore lint/suspicious/noExplicitAny: see request
  post<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('POST', path, options);
  }
  // biome-ignore lint/suspicious/noExplicitAny: see request
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }
}

/** Counts every problem checked in this process, so a suite can prove the check ran. */
export const problemChecks = { count: 0 };

function assertProblem(method: string, path: string, response: Response, body: unknown): void {
  const where = `${method} ${path} → ${response.status}`;
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`${where}: content type is "${type}", not application/problem+json`);
  }
  if (typeof body !== 'object' || body === null)
    throw new Error(`${where}: the problem body is not an object`);
  const problem = body as Record<string, unknown>;
  if (!isRegisteredProblemType(problem.type)) {
    throw new Error(`${where}: problem type ${JSON.stringify(problem.type)} is not registered`);
  }
  if (problem.status !== response.status)
    throw new Error(`${where}: problem status is ${String(problem.status)}`);
  if (typeof problem.title !== 'string' || typeof problem.detail !== 'string') {
    throw new Error(`${where}: the problem has no title or detail`);
  }
  if (problem.instance !== response.headers.get('x-request-id')) {
    throw new Error(`${where}: the problem instance is not the request id`);
  }
  problemChecks.count += 1;
}
