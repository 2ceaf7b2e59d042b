/**
 * Money in integer minor units (cents, fen). Products are computed exactly with integers and
 * rounded half up once, so every total is the sum of the rounded lines it lists.
 */

/** Fractions (quantities, rates) are held exactly to this many decimal places. */
const FRACTION = 1_000_000n;

/** `value` (an amount in major units) in minor units, rounded half up. */
export function toMinor(value: number, digits: number): number {
  // The price book allows no more decimals than the currency has; this only drops float noise.
  return Math.round(value * 10 ** digits);
}

/** `minor` x `factor` rounded half up (away from zero) to a whole minor unit. */
export function mulRound(minor: number, factor: number): number {
  return sumOfProducts([[minor, factor]]);
}

/**
 * The sum of `minor` x `factor` products, exact, rounded half up once: a price made of several
 * (a server's disks of each kind) is the sum the book's prices give, not of rounded parts.
 */
export function sumOfProducts(terms: readonly (readonly [number, number])[]): number {
  const product = terms.reduce(
    (t, [minor, factor]) => t + BigInt(minor) * BigInt(Math.round(factor * Number(FRACTION))),
    0n,
  );
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + FRACTION / 2n) / FRACTION;
  return Number(negative ? -rounded : rounded);
}

/**
 * `minor` per unit of `units` (a count with at most 6 decimals, such as used vCPU-months) rounded
 * half up (away from zero) to a whole minor unit; 0 for no units.
 */
export function perUnit(minor: number, units: number): number {
  const u = BigInt(Math.round(units * Number(FRACTION)));
  if (u <= 0n) return 0;
  const num = BigInt(minor) * FRACTION;
  const negative = num < 0n;
  const abs = negative ? -num : num;
  const rounded = (2n * abs + u) / (2n * u);
  return Number(negative ? -rounded : rounded);
}

/** `minor` as an exact decimal string in major units: `-1234.05` for -123405 cents. */
export function minorToDecimal(minor: number, digits: number): string {
  const sign = minor < 0 ? "-" : "";
  if (digits === 0) return `${sign}${Math.abs(minor)}`;
  const units = String(Math.abs(minor)).padStart(digits + 1, "0");
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** Sum of minor amounts (integers, so exact). */
export const sumMinor = (values: readonly number[]) => values.reduce((t, v) => t + v, 0);
