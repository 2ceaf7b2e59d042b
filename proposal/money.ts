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
  const f = BigInt(Math.round(factor * Number(FRACTION)));
  const product = BigInt(minor) * f;
  const negative = product < 0n;
  const abs = negative ? -product : product;
  const rounded = (abs + FRACTION / 2n) / FRACTION;
  return Number(negative ? -rounded : rounded);
}

/** Sum of minor amounts (integers, so exact). */
export const sumMinor = (values: readonly number[]) => values.reduce((t, v) => t + v, 0);
