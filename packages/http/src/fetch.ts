import { type Dispatcher, errors } from 'undici';

/** Why a bounded fetch got no answer to read: too slow, nobody there, or more bytes than allowed. */
export type FetchFailure = 'timeout' | 'unreachable' | 'too-large';

export class BoundedFetchError extends Error {
  readonly failure: FetchFailure;

  constructor(failure: FetchFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BoundedFetchError';
    this.failure = failure;
  }
}

export interface BoundedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * A GET to a partner's server that cannot hang or flood the caller: the dispatcher's connect, header and body
 * timeouts catch a stall, an overall deadline (cleared when the call ends, so it never fires into a finished one)
 * catches a body that trickles forever, and the size cap is enforced while reading. Redirects are not followed.
 * Any status is returned; only a missing answer throws, as a `BoundedFetchError`.
 */
export async function boundedGet(
  dispatcher: Dispatcher,
  url: URL,
  options: { timeoutMs: number; maxBytes: number; headers?: Record<string, string> },
): Promise<BoundedAnswer> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  try {
    return await read(dispatcher, url, options, deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function read(
  dispatcher: Dispatcher,
  url: URL,
  options: { timeoutMs: number; maxBytes: number; headers?: Record<string, string> },
  signal: AbortSignal,
): Promise<BoundedAnswer> {
  let response: Dispatcher.ResponseData;
  try {
    response = await dispatcher.request({
      origin: url.origin,
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      headers: { accept: 'application/json', ...options.headers },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal,
    });
  } catch (error) {
    throw failure(error, signal);
  }
  const { statusCode, headers, body } = response;
  try {
    const declared = Number(headers['content-length'] ?? Number.NaN);
    if (declared > options.maxBytes) {
      throw new BoundedFetchError('too-large', `the answer is larger than ${options.maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBytes) {
        throw new BoundedFetchError('too-large', `the answer is larger than ${options.maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: statusCode, headers, body: Buffer.concat(chunks) };
  } catch (error) {
    throw failure(error, signal);
  } finally {
    // Whatever was not read is discarded, and the connection with it if the body never ends.
    body.on('error', () => {});
    body.destroy();
  }
}

function failure(error: unknown, signal: AbortSignal): BoundedFetchError {
  if (error instanceof BoundedFetchError) return error;
  if (
    signal.aborted ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new BoundedFetchError('timeout', 'no answer in time', { cause: error });
  }
  const code = (error as { code?: string }).code;
  return new BoundedFetchError('unreachable', `could not be reached${code ? ` (${code})` : ''}`, {
    cause: error,
  });
}
