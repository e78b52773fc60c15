/** The TypeScript of an OpenAPI document: its paths, operations and components (openapi-typescript). */
export function clientTypes(document: unknown): Promise<string>;
/** Where the client's generated types are kept. */
export const generatedFile: string;
