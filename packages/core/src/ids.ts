import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** Random base32 text carrying `bits` bits of entropy from the system CSPRNG. */
export function randomBase32(bits = 128): string {
  const bytes = randomBytes(Math.ceil(bits / 8));
  let out = '';
  let buffer = 0;
  let filled = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    filled += 8;
    while (filled >= 5) {
      filled -= 5;
      out += alphabet[(buffer >> filled) & 31];
    }
    buffer &= (1 << filled) - 1;
  }
  if (filled > 0) out += alphabet[(buffer << (5 - filled)) & 31];
  return out;
}

/** A new opaque id with a readable prefix, e.g. `newId('cl')` → `cl_5v1k…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase32(120)}`;
}

/** Readable ids (organisations, catalogue path segments): lower-case letters, digits and inner hyphens. */
export const slugPattern = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$';
const slugRegExp = new RegExp(slugPattern);

export function isSlug(value: string): boolean {
  return slugRegExp.test(value);
}

/** A readable id derived from a display name: "Surat Municipal Corporation" → "surat-municipal-corporation". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
  return slug.length > 0 ? slug : `org-${randomBase32(40)}`;
}
