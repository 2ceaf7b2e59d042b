import { formatPath, type SpecIssue } from "../../core/errors";
import { foldName } from "../text-checks";

export type Path = readonly (string | number)[];

/** Collects issues for one spec; each rule below adds what it finds. */
export class Findings {
  readonly issues: SpecIssue[] = [];
  error(code: string, path: Path, message: string) {
    this.issues.push({ code, path, message, severity: "error" });
  }
  warn(code: string, path: Path, message: string) {
    this.issues.push({ code, path, message, severity: "warning" });
  }
}

/**
 * Reports every item whose key an earlier item already has. `show` is how an item is named in
 * the message (its key by default), `code` the issue code.
 */
export function duplicates<T>(
  items: readonly T[],
  key: (t: T) => string,
  f: Findings,
  path: (i: number) => Path,
  what: string,
  options: {
    code?: string;
    show?: (t: T) => string;
    /** Where the first item stands, for a list gathered from several (its path by default). */
    at?: (i: number) => string;
  } = {},
) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    // Compared as the databases do: "Retail", "ｒｅｔａｉｌ" and "Rétail" are one name.
    const folded = foldName(k);
    const first = seen.get(folded);
    if (first !== undefined) {
      const earlier = key(items[first]);
      f.error(
        options.code ?? "duplicate-name",
        path(i),
        `${what} ${JSON.stringify(options.show ? options.show(item) : k)} is already declared at ${options.at ? options.at(first) : formatPath(path(first))}${earlier === k ? "" : ` as ${JSON.stringify(earlier)} (names are compared ignoring case, accents and Unicode width forms, as the services' databases compare them)`}`,
      );
    } else seen.set(folded, i);
  });
}
