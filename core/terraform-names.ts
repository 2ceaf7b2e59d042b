/**
 * Terraform addresses and output names, derived in one place from spec keys (tenant ids, pool,
 * group and container names) so that they read as hand-written (`openstack_networking_network_v2.
 * core_banking_network`), carry no hash and stay the same when the spec's lists are reordered.
 */

/**
 * A construct id for free text (container, group or CIDR names). Construct paths use '/' as their
 * separator and a newline as the address separator, and `$` would start an interpolation in the
 * path cdktf writes into the configuration's metadata, so those and '%' are percent-encoded: two
 * different texts never share an id and the text can be read back (see {@link terraformName}).
 */
export function constructIdFor(text: string): string {
  return text.replace(/[%/\n$]/g, (c) => encodeURIComponent(c));
}

/** The text a {@link constructIdFor} id was made from. */
function textOfConstructId(id: string): string {
  return id.replace(/%(2F|0A|24|25)/g, (c) => decodeURIComponent(c));
}

/** cdktf's name for a construct's main child; it adds nothing to an address. */
const MAIN_CHILD = "Resource";

/** Name parts by construct id: a stack names its elements again each time one is added. */
const parts = new Map<string, string>();

/**
 * One part of a Terraform name: lowercase letters, digits and '_', words kept apart by one '_'.
 * CamelCase ids (`QosAssociation`) become `qos_association`.
 */
function namePart(text: string): string {
  let part = parts.get(text);
  if (part === undefined) {
    part = textOfConstructId(text)
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
    parts.set(text, part);
  }
  return part;
}

/**
 * The Terraform name of a resource, data source or output from its construct path below the stack,
 * e.g. `["core-banking", "network"]` → `core_banking_network`. Always a valid Terraform identifier.
 */
export function terraformName(path: readonly string[]): string {
  const name = path
    .filter((p) => p !== MAIN_CHILD)
    .map(namePart)
    .filter((p) => p !== "")
    .join("_");
  if (name === "") return "main";
  // Terraform identifiers start with a letter or '_'.
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}

/**
 * Unique names for elements that share a namespace (one resource type, say): each gets its
 * {@link terraformName}; when two paths give the same name, the paths are sorted and every one
 * after the first gets `_2`, `_3`…, so the result depends on the set of paths, not their order.
 */
export function uniqueTerraformNames(
  paths: readonly (readonly string[])[],
): ReadonlyMap<string, string> {
  const byName = new Map<string, string[]>();
  for (const p of paths) {
    const key = p.join("/");
    const name = terraformName(p);
    const keys = byName.get(name);
    if (keys) keys.push(key);
    else byName.set(name, [key]);
  }
  const out = new Map<string, string>();
  const clashes: [string, string[]][] = [];
  for (const [name, keys] of byName) {
    if (keys.length === 1) out.set(keys[0], name);
    else clashes.push([name, keys]);
  }
  const taken = new Set(byName.keys());
  for (const [name, keys] of clashes.sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...new Set(keys)].sort();
    sorted.forEach((key, i) => {
      if (i === 0) {
        out.set(key, name);
        return;
      }
      let n = i + 1;
      while (taken.has(`${name}_${n}`)) n++;
      taken.add(`${name}_${n}`);
      out.set(key, `${name}_${n}`);
    });
  }
  return out;
}

/** A snake_case output name from spec keys: `outputName("domain", "corp", "id")` → `domain_corp_id`. */
export function outputName(...parts: readonly string[]): string {
  return terraformName(parts);
}
