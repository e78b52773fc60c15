import { createHmac, randomInt } from 'node:crypto';

/** A source of uniform integers in [0, n): `crypto.randomInt` unless a test supplies its own. */
export type RandomInt = (n: number) => number;

const cryptoInt: RandomInt = (n) => randomInt(0, n);

/**
 * Uniform integers from HMAC-SHA256 under a secret key, in counter mode, for one label: the same label always gives
 * the same draws. Noise drawn from it for a cell and period is the same however often the count is made again (after
 * a restart, a repeated snapshot), so repeating a release gives an analyst nothing to average; without the key the
 * draws cannot be told from random.
 */
export function keyedRandom(key: Uint8Array, label: string): RandomInt {
  let block = 0;
  let bytes = Buffer.alloc(0);
  let offset = 0;
  const next32 = (): number => {
    if (offset + 4 > bytes.length) {
      bytes = createHmac('sha256', key).update(`${label}\u0000${block}`).digest();
      block += 1;
      offset = 0;
    }
    const value = bytes.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  return (n) => {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError('1 to 2^32 outcomes');
    // Rejection keeps every outcome equally likely.
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const u = next32();
      if (u < limit) return u % n;
    }
  };
}

/** ε as a fraction s/t (t ≤ 1000), so the sampler needs nothing but integers. */
export function epsilonFraction(epsilon: number): { s: number; t: number } {
  if (!(epsilon > 0 && epsilon <= 100)) throw new RangeError('ε is above 0 and at most 100');
  const t = 1000;
  const s = Math.max(1, Math.round(epsilon * t));
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(s, t);
  return { s: s / g, t: t / g };
}

/** Bernoulli(n/d) from one uniform integer. */
function bernoulli(n: number, d: number, random: RandomInt): boolean {
  return random(d) < n;
}

/** Bernoulli(exp(-n/d)) for 0 ≤ n/d ≤ 1, with integers only (Canonne, Kamath and Steinke 2020, algorithm 1). */
function bernoulliExpSmall(n: number, d: number, random: RandomInt): boolean {
  let k = 1;
  while (bernoulli(n, d * k, random)) k += 1;
  return k % 2 === 1;
}

/** Bernoulli(exp(-n/d)) for any n/d ≥ 0. */
function bernoulliExp(n: number, d: number, random: RandomInt): boolean {
  let rest = n;
  while (rest > d) {
    if (!bernoulliExpSmall(1, 1, random)) return false;
    rest -= d;
  }
  return bernoulliExpSmall(rest, d, random);
}

/**
 * One draw of the discrete Laplace (two-sided geometric) distribution with P(x) ∝ exp(-ε|x|), sampled exactly with
 * integer arithmetic from `crypto` randomness (Canonne, Kamath and Steinke 2020, algorithm 2, with scale t/s = 1/ε).
 */
export function discreteLaplace(epsilon: number, random: RandomInt = cryptoInt): number {
  const { s, t } = epsilonFraction(epsilon);
  for (;;) {
    const u = random(t);
    if (!bernoulliExp(u, t, random)) continue;
    let v = 0;
    while (bernoulliExp(1, 1, random)) v += 1;
    const y = Math.floor((u + t * v) / s);
    const negative = bernoulli(1, 2, random);
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
}

/** The variance of the discrete Laplace distribution with parameter ε: 2q / (1 − q)², q = exp(−ε). */
export function discreteLaplaceVariance(epsilon: number): number {
  const q = Math.exp(-epsilon);
  return (2 * q) / (1 - q) ** 2;
}
