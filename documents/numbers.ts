import { MAX_COUNTED_ADDRESSES } from "../model/addressing";

/**
 * Figures in documents: up to two decimals, grouped as the locale writes them. One formatter
 * per locale: `toLocaleString` with options builds a new one on every call (~50x slower).
 */
const formatters = new Map<string, (n: number) => string>();

export function numberFormat(locale: string): (n: number) => string {
  let format = formatters.get(locale);
  if (!format) {
    // (no sign on a zero, which rounding or a -0 would print as -0)
    format = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 2,
      signDisplay: "negative",
    }).format;
    formatters.set(locale, format);
  }
  return format;
}

/** A figure in the architecture documents (written in en-US digits whatever the language). */
export const fmt = numberFormat("en-US");

/** A count of usable addresses: "≥" where the model stopped counting (IPv6 subnets). */
export const fmtAddresses = (n: number): string =>
  n >= MAX_COUNTED_ADDRESSES ? `≥ ${fmt(n)}` : fmt(n);
