import { createAjv, exampleOf } from '@sangam/http';
import type { Api, ApiResponse } from './api.js';

interface Answer {
  readonly $ref?: string;
  readonly content?: Record<string, { schema: object }>;
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly requestBody?: { content: Record<string, { schema: object }> };
  readonly responses: Record<string, Answer>;
}

/** An OpenAPI document as the gateway serves it. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { operationId: string; responses: Record<string, Answer> }>>;
  readonly components: { schemas: Record<string, object> };
}

export interface CallOptions {
  readonly token?: string;
  readonly params?: Record<string, string>;
  readonly query?: string;
  readonly json?: object;
  /**
   * Sends the JSON body built from the operation's schema, with these members given (the ids at hand); the rest is
   * the schema's own example.
   */
  readonly example?: object;
  readonly form?: Record<string, string>;
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

/**
 * An OpenAPI document taken as a contract: operations are called by their id, and each answer's status, media type
 * and body are checked against what the document says of that operation. It keeps which operations were called,
 * so a suite can show it called them all.
 */
export class Contract {
  readonly #api: Api;
  readonly #document: OpenApiDocument;
  readonly #operations = new Map<string, Operation>();
  readonly #called = new Set<string>();
  readonly #ajv = createAjv({ strict: false });

  constructor(api: Api, document: OpenApiDocument) {
    this.#api = api;
    this.#document = document;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        this.#operations.set(operation.operationId, { ...operation, method, path });
      }
    }
  }

  /** The ids of every operation in the document. */
  get operationIds(): string[] {
    return [...this.#operations.keys()];
  }

  /** Operations of the document not called yet. */
  uncalled(ids: readonly string[] = this.operationIds): string[] {
    return ids.filter((id) => !this.#called.has(id));
  }

  /** Calls an operation and checks the answer against the document; a mismatch throws, naming the operation. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely; each test asserts what it relies on
  async call(operationId: string, options: CallOptions = {}): Promise<ApiResponse<any>> {
    const operation = this.#operations.get(operationId);
    if (!operation) throw new Error(`the document has no operation ${operationId}`);
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => options.params?.[name] ?? '');
    const json = options.example ? this.#exampleOf(operation, options.example) : options.json;
    const r = await this.#api.request(operation.method.toUpperCase(), `${path}${options.query ?? ''}`, {
      ...(options.token ? { token: options.token } : {}),
      ...(json ? { json } : {}),
      ...(options.form ? { form: options.form } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.text === undefined ? {} : { raw: { body: options.text, contentType: 'text/plain' } }),
    });
    const answer = operation.responses[String(r.status)];
    if (!answer)
      throw new Error(`${operationId} answered ${r.status}, which it does not document: ${r.text}`);
    const type = (r.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const schema = answer.$ref
      ? type === 'application/problem+json'
        ? this.#document.components.schemas.Problem
        : undefined
      : answer.content?.[type]?.schema;
    if (answer.content || answer.$ref) {
      if (!schema) throw new Error(`${operationId} ${r.status} answered ${type}, which it does not document`);
      if (type.endsWith('json') && r.text.length > 0) {
        const validate = this.#ajv.compile(schema);
        if (!validate(r.body)) {
          throw new Error(
            `${operationId} ${r.status} does not fit its schema: ${this.#ajv.errorsText(validate.errors)}`,
          );
        }
      }
    }
    this.#called.add(operationId);
    return r;
  }

  #exampleOf(operation: Operation, given: object): object {
    const schema = operation.requestBody?.content['application/json']?.schema;
    if (!schema) throw new Error(`${operation.method} ${operation.path} takes no JSON body`);
    const body = exampleOf(schema, given);
    if (typeof body !== 'object' || body === null) {
      throw new Error(`${operation.method} ${operation.path}: its schema gives no example`);
    }
    return body;
  }
}
