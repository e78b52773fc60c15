/** A client's stored standing, as the release rule reads it. */
export interface ClientFacts {
  readonly status: string;
  /** When its secret was last replaced (RFC 3339), if ever. */
  readonly secretRotatedAt: string | null;
}

/**
 * The last part of rule 1 of DESIGN.md §5: the client a token was issued to is still active, and its secret was not
 * rotated since (`iat` is kept to the millisecond, so every token issued up to the rotation's instant is stopped).
 * The reason it is refused (problem `clientRevoked`), or undefined.
 */
export function clientRefusal(client: ClientFacts | undefined, issuedAtSeconds: number): string | undefined {
  if (client?.status !== 'active') return 'The client this token was issued to has been revoked';
  if (client.secretRotatedAt && issuedAtSeconds * 1000 <= Date.parse(client.secretRotatedAt)) {
    return 'The client secret was rotated after this token was issued';
  }
  return undefined;
}
