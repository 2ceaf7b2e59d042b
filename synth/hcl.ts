import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../core/package-root";

/**
 * Terraform JSON to native HCL. cdktf's own HCL renderer does not escape quotes in strings that
 * also hold `${` and never escapes backslashes, so user text could become an expression; this
 * converter treats every JSON string as the template it is and escapes its literal parts.
 */

interface SchemaBlock {
  block_types?: Record<string, { block: SchemaBlock }>;
}
interface ProviderSchema {
  resource_schemas: Record<string, { block: SchemaBlock }>;
  data_source_schemas: Record<string, { block: SchemaBlock }>;
}

let schemaCache: ProviderSchema | undefined;
function providerSchema(): ProviderSchema {
  if (!schemaCache) {
    const file = path.join(packageRoot(), "providers", "openstack", "schema.json");
    const all = JSON.parse(fs.readFileSync(file, "utf8")) as {
      provider_schemas: Record<string, ProviderSchema>;
    };
    schemaCache = Object.values(all.provider_schemas)[0];
  }
  return schemaCache;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const key = (k: string) => (IDENT.test(k) ? k : quote(k));
const quote = (s: string) => `"${escapeLiteral(s)}"`;

/** Escapes text for an HCL quoted string; `${`/`%{` sequences are handled by the caller. */
function escapeLiteral(s: string): string {
  // Control characters are exactly what must be escaped here.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\r":
        return "\\r";
      case "\t":
        return "\\t";
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    }
  });
}

/**
 * A string Terraform's JSON syntax reads as written (a variable's or output's description, a
 * backend setting): in HCL every `${` and `%{` of it must be escaped to stay text.
 */
function literalString(s: string): string {
  return `"${escapeLiteral(s).replace(/([$%])\{/g, "$1$1{")}"`;
}

/** A JSON value of a literal-only argument, as HCL. */
function literalValue(v: Json, indent: string): string {
  if (typeof v === "string") return literalString(v);
  if (v === null || typeof v !== "object") return value(v, indent);
  if (Array.isArray(v)) return `[${v.map((x) => literalValue(x, indent)).join(", ")}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(v).map(
    ([k, x]) => `${inner}${quote(k)} = ${literalValue(x, inner)}`,
  );
  return entries.length ? `{\n${entries.join("\n")}\n${indent}}` : "{}";
}

/**
 * A JSON string is a template: `${...}` interpolations stay as they are, `$${`/`%%{` escapes stay
 * escapes, and everything else is literal text to escape.
 */
export function templateString(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
      out += s.slice(i, i + 3);
      i += 3;
      continue;
    }
    if (s.startsWith("${", i) || s.startsWith("%{", i)) {
      let depth = 0;
      let j = i + 1;
      for (; j < s.length; j++) {
        if (s[j] === "{") depth++;
        else if (s[j] === "}" && --depth === 0) break;
      }
      if (j >= s.length)
        throw new Error(`unterminated interpolation in ${JSON.stringify(s.slice(i, i + 40))}`);
      out += s.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const next = nextSpecial(s, i);
    out += escapeLiteral(s.slice(i, next));
    i = next;
  }
  return `"${out}"`;
}

function nextSpecial(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if ((s[i] === "$" || s[i] === "%") && s[i + 1] === "{") return i;
    if ((s[i] === "$" || s[i] === "%") && s[i + 1] === s[i] && s[i + 2] === "{") return i;
  }
  return s.length;
}

function value(v: Json, indent: string): string {
  if (v === null) return "null";
  if (typeof v === "string") {
    // A string that is one interpolation is that expression, written bare as HCL users write it.
    const only = /^\$\{([^{}"]*)\}$/.exec(v);
    return only ? only[1] : templateString(v);
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => value(x, indent)).join(", ")}]`;
  const inner = `${indent}  `;
  const entries = Object.entries(v).map(([k, x]) => `${inner}${quote(k)} = ${value(x, inner)}`);
  return entries.length ? `{\n${entries.join("\n")}\n${indent}}` : "{}";
}

function body(obj: JsonObject, schema: SchemaBlock | undefined, indent: string): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (k === "//") continue;
    const nested = schema?.block_types?.[k];
    if (nested && v !== null && typeof v === "object") {
      for (const item of Array.isArray(v) ? v : [v]) {
        lines.push(
          `${indent}${key(k)} {`,
          ...body(item as JsonObject, nested.block, `${indent}  `),
          `${indent}}`,
        );
      }
    } else if (k === "lifecycle" && v !== null && typeof v === "object" && !Array.isArray(v)) {
      // A meta-argument block; its lists hold attribute names and references, written bare.
      lines.push(`${indent}lifecycle {`);
      for (const [lk, lv] of Object.entries(v)) {
        const bare =
          (lk === "ignore_changes" || lk === "replace_triggered_by") && Array.isArray(lv)
            ? `[${lv.map((x) => String(x).replace(/^\$\{(.*)\}$/, "$1")).join(", ")}]`
            : value(lv, `${indent}  `);
        lines.push(`${indent}  ${key(lk)} = ${bare}`);
      }
      lines.push(`${indent}}`);
    } else if (k === "depends_on" && Array.isArray(v)) {
      lines.push(`${indent}${dependsOn(v)}`);
    } else {
      lines.push(`${indent}${key(k)} = ${value(v, indent)}`);
    }
  }
  return lines;
}

/** References to other objects are bare traversals in HCL. */
function dependsOn(refs: readonly Json[]): string {
  return `depends_on = [${refs.map((x) => String(x).replace(/^\$\{(.*)\}$/, "$1")).join(", ")}]`;
}

function labelled(kind: string, labels: string[], inner: string[]): string[] {
  return [`${kind} ${labels.map(quote).join(" ")} {`, ...inner, "}", ""];
}

/** Renders a cdktf Terraform JSON configuration as HCL (unformatted; run it through a formatter). */
export function jsonToHcl(config: JsonObject): string {
  const schema = providerSchema();
  const known = new Set([
    "//",
    "terraform",
    "provider",
    "variable",
    "locals",
    "data",
    "resource",
    "output",
  ]);
  const unknown = Object.keys(config).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`cannot render ${unknown.join(", ")} as HCL`);
  const out: string[] = [];
  const terraform = config.terraform as JsonObject | undefined;
  if (terraform) {
    const inner: string[] = [];
    for (const [k, v] of Object.entries(terraform)) {
      if (k === "required_providers") {
        inner.push("  required_providers {");
        for (const [name, req] of Object.entries(v as JsonObject))
          inner.push(`    ${key(name)} = ${value(req, "    ")}`);
        inner.push("  }");
      } else if (k === "backend") {
        for (const [type, cfg] of Object.entries(v as JsonObject)) {
          inner.push(
            `  backend ${quote(type)} {`,
            ...Object.entries(cfg as JsonObject).map(
              ([k, x]) => `    ${key(k)} = ${literalValue(x, "    ")}`,
            ),
            "  }",
          );
        }
      } else {
        inner.push(`  ${key(k)} = ${value(v, "  ")}`);
      }
    }
    out.push("terraform {", ...inner, "}", "");
  }
  for (const [name, list] of Object.entries((config.provider ?? {}) as JsonObject)) {
    for (const p of list as JsonObject[])
      out.push(...labelled("provider", [name], body(p, undefined, "  ")));
  }
  for (const [name, v] of Object.entries((config.variable ?? {}) as JsonObject)) {
    const inner = Object.entries(v as JsonObject).flatMap(([k, x]) =>
      // A variable's type is a type expression, not a string; validations are blocks of
      // expressions; the rest is literal.
      k === "type"
        ? [`  type = ${String(x)}`]
        : k === "validation"
          ? (x as JsonObject[]).flatMap((rule) => [
              "  validation {",
              ...Object.entries(rule).map(([r, e]) => `    ${key(r)} = ${value(e, "    ")}`),
              "  }",
            ])
          : [`  ${key(k)} = ${literalValue(x, "  ")}`],
    );
    out.push(...labelled("variable", [name], inner));
  }
  if (config.locals)
    out.push("locals {", ...body(config.locals as JsonObject, undefined, "  "), "}", "");
  for (const [type, items] of Object.entries((config.data ?? {}) as JsonObject)) {
    for (const [name, b] of Object.entries(items as JsonObject)) {
      out.push(
        ...labelled(
          "data",
          [type, name],
          body(b as JsonObject, schema.data_source_schemas[type]?.block, "  "),
        ),
      );
    }
  }
  for (const [type, items] of Object.entries((config.resource ?? {}) as JsonObject)) {
    for (const [name, b] of Object.entries(items as JsonObject)) {
      out.push(
        ...labelled(
          "resource",
          [type, name],
          body(b as JsonObject, schema.resource_schemas[type]?.block, "  "),
        ),
      );
    }
  }
  for (const [name, o] of Object.entries((config.output ?? {}) as JsonObject)) {
    // The value is an expression and depends_on references; the rest is literal.
    const inner = Object.entries(o as JsonObject)
      .filter(([k]) => k !== "//")
      .map(([k, x]) =>
        k === "value"
          ? `  value = ${value(x, "  ")}`
          : k === "depends_on" && Array.isArray(x)
            ? `  ${dependsOn(x)}`
            : `  ${key(k)} = ${literalValue(x, "  ")}`,
      );
    out.push(...labelled("output", [name], inner));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
