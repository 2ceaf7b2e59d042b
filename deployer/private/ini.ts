import { osloQuoted } from "../../core/oslo-ini";

/**
 * One section of an oslo.config file; `comment` lines go above its options. With `when` (a Jinja
 * condition over Kolla-Ansible's variables), Kolla writes the section only where it holds.
 */
export interface IniSection {
  readonly name: string;
  readonly comment?: readonly string[];
  readonly options: readonly (readonly [string, IniValue])[];
  readonly when?: string;
}

/** A Kolla-Ansible variable the value is taken from when Kolla renders the file. */
export interface KollaVariable {
  readonly kollaVariable: string;
}
export type IniValue = string | number | boolean | KollaVariable;

/**
 * An oslo.config INI file as Kolla-Ansible merges it: Kolla renders every override with Jinja
 * first, so text that could open a Jinja block is kept raw, and oslo.config reads `$name` as a
 * reference to another option, so a literal `$` is written `$$`.
 */
export function iniFile(header: readonly string[], sections: readonly IniSection[]): string {
  const out = header.map((l) => `# ${l}`.trimEnd());
  for (const s of sections) {
    if (out.length) out.push("");
    for (const c of s.comment ?? []) out.push(`# ${c}`.trimEnd());
    if (s.when) out.push(`{% if ${s.when} %}`);
    out.push(`[${s.name}]`);
    for (const [key, value] of s.options) out.push(`${key} = ${iniValue(value)}`.trimEnd());
    if (s.when) out.push("{% endif %}");
  }
  return `${out.join("\n")}\n`;
}

export function iniValue(value: IniValue): string {
  if (typeof value === "object") return `{{ ${value.kollaVariable} }}`;
  // Read twice by oslo.config's parser: Kolla's merge_configs, then the service.
  return jinjaLiteral(osloQuoted(String(value).replace(/\$/g, "$$$$"), 2));
}

/**
 * Text Jinja renders as itself: every `{` (which could open `{{`, `{%` or `{#`) becomes an
 * expression printing `{`. Unlike a raw block, no text can end it early.
 */
export function jinjaLiteral(text: string): string {
  return text.replace(/\{/g, "{{ '{' }}");
}
