import * as fs from "fs";
import * as path from "path";

interface Attribute {
  type: unknown;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
interface Block {
  attributes?: Record<string, Attribute>;
  block_types?: Record<
    string,
    { nesting_mode: string; block: Block; min_items?: number; max_items?: number }
  >;
}

const schemaFile = path.join(__dirname, "..", "..", "providers", "openstack", "schema.json");
const provider = Object.values(
  (JSON.parse(fs.readFileSync(schemaFile, "utf8")) as { provider_schemas: Record<string, any> })
    .provider_schemas,
)[0] as { provider: { block: Block }; resource_schemas: Record<string, { block: Block }> };

function typeMatches(type: unknown, value: unknown): boolean {
  if (typeof value === "string" && value.startsWith("${")) return true; // a reference, typed by Terraform
  if (type === "string") return typeof value === "string";
  if (type === "number") return typeof value === "number";
  if (type === "bool") return typeof value === "boolean";
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, unknown];
    if (kind === "list" || kind === "set")
      return Array.isArray(value) && value.every((v) => typeMatches(inner, v));
    if (kind === "map")
      return (
        typeof value === "object" &&
        value !== null &&
        Object.values(value).every((v) => typeMatches(inner, v))
      );
  }
  return false;
}

function checkBlock(
  block: Block,
  config: Record<string, unknown>,
  where: string,
  problems: string[],
) {
  for (const [key, value] of Object.entries(config)) {
    if (["//", "depends_on", "lifecycle", "count", "for_each", "provider"].includes(key)) continue;
    const attr = block.attributes?.[key];
    const nested = block.block_types?.[key];
    if (attr) {
      if (attr.computed && !attr.optional && !attr.required)
        problems.push(`${where}.${key} is computed-only`);
      else if (!typeMatches(attr.type, value))
        problems.push(
          `${where}.${key}: ${JSON.stringify(value)} is not ${JSON.stringify(attr.type)}`,
        );
    } else if (nested) {
      // Terraform's JSON syntax takes one block as an object or several as an array.
      const items = Array.isArray(value) ? value : [value];
      if (nested.nesting_mode === "single" && Array.isArray(value))
        problems.push(`${where}.${key} is a single block`);
      else {
        if (nested.max_items !== undefined && items.length > nested.max_items)
          problems.push(`${where}.${key}: more than ${nested.max_items} blocks`);
        items.forEach((item, i) =>
          checkBlock(
            nested.block,
            item as Record<string, unknown>,
            `${where}.${key}[${i}]`,
            problems,
          ),
        );
      }
    } else problems.push(`${where}.${key} is not an attribute of the provider schema`);
  }
  for (const [key, attr] of Object.entries(block.attributes ?? {})) {
    if (attr.required && !(key in config)) problems.push(`${where}.${key} is required`);
  }
  for (const [key, nested] of Object.entries(block.block_types ?? {})) {
    const n = Array.isArray(config[key]) ? (config[key] as unknown[]).length : config[key] ? 1 : 0;
    if (nested.min_items && n < nested.min_items)
      problems.push(`${where}.${key}: at least ${nested.min_items} blocks`);
  }
}

/** Every problem of a synthesized configuration against the committed provider schema. */
export function schemaProblems(config: {
  provider?: Record<string, unknown[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}): string[] {
  const problems: string[] = [];
  for (const p of config.provider?.openstack ?? [])
    checkBlock(
      provider.provider.block,
      p as Record<string, unknown>,
      "provider.openstack",
      problems,
    );
  for (const [type, items] of Object.entries(config.resource ?? {})) {
    if (type === "terraform_data") {
      // Terraform's built-in resource (terraform.io/builtin/terraform, Terraform >= 1.4).
      for (const [name, body] of Object.entries(items))
        for (const key of Object.keys(body))
          if (!["input", "triggers_replace", "//", "lifecycle", "depends_on"].includes(key))
            problems.push(`terraform_data.${name}: unknown argument ${key}`);
      continue;
    }
    const schema = provider.resource_schemas[type];
    if (!schema) {
      problems.push(`${type} is not a resource of provider v3.4.0`);
      continue;
    }
    for (const [name, body] of Object.entries(items))
      checkBlock(schema.block, body, `${type}.${name}`, problems);
  }
  return problems;
}
