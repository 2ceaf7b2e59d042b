/**
 * Makes user text inert in Terraform: `${` and `%{` open interpolation and template
 * directives in both JSON and HCL configurations, so they are doubled.
 */
export function tfLiteral(text: string): string {
  // A replacer function, because "$$" in a replacement string means a single "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Escapes every string value of a string map. */
export function tfLiteralMap(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [tfLiteral(k), tfLiteral(v)]));
}
