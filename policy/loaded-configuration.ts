/**
 * The configuration Terraform loads from a stack's folder, for the construct rules: every file's
 * blocks, in Terraform's JSON syntax (where any block may be an object or a list of objects) or
 * as hcl2json renders HCL (every block a list), brought to one shape, with override files merged.
 */

type Body = Record<string, unknown>;

/** One parsed configuration file of a stack's folder. */
export interface ConfigurationFile {
  /** Its name in the folder: override files are told by it. */
  readonly file: string;
  readonly config: unknown;
}

/** `override.tf`, `override.tf.json` and `*_override.tf(.json)`: merged, not added. */
export const isOverrideFile = (file: string): boolean =>
  /(^|[/\\_])override\.tf(\.json)?$/.test(file);

/**
 * What Terraform builds from the files: `resource` and `data` by type and name, `provider` by
 * type as a list, `variable` by name, `terraform.backend` by type. Normal files add blocks (a name defined twice is
 * an error to Terraform, which then applies nothing: the first is kept); override files, in name
 * order after them, replace the arguments and nested blocks they set in the block of their type
 * and name, as Terraform merges them.
 */
export function loadedConfiguration(files: readonly ConfigurationFile[]): Body {
  const resource: Record<string, Record<string, Body>> = {};
  const data: Record<string, Record<string, Body>> = {};
  const provider: Record<string, Body[]> = {};
  const backend: Record<string, Body> = {};
  const variable: Record<string, Body> = {};
  const ordered = [
    ...files.filter((f) => !isOverrideFile(f.file)),
    ...files.filter((f) => isOverrideFile(f.file)).sort((a, b) => compare(a.file, b.file)),
  ];
  for (const { file, config } of ordered) {
    const override = isOverrideFile(file);
    for (const top of blocks(config)) {
      for (const [kind, into] of [
        ["resource", resource],
        ["data", data],
      ] as const)
        for (const [type, byName] of labels(top[kind]))
          for (const [name, bodies] of labels(byName)) {
            // (a name given several bodies is a duplicate to Terraform: the first stands)
            const [body] = blocks(bodies);
            const existing = into[type]?.[name];
            if (!body) continue;
            if (override) {
              if (existing) Object.assign(existing, withoutMetadata(body));
            } else if (!existing) (into[type] ??= {})[name] = { ...body };
          }
      for (const [type, value] of labels(top.provider))
        for (const body of blocks(value)) {
          const list = (provider[type] ??= []);
          const same = list.find((p) => p.alias === body.alias);
          if (override && same) Object.assign(same, withoutMetadata(body));
          else if (!override) list.push({ ...body });
        }
      for (const [name, bodies] of labels(top.variable)) {
        const [body] = blocks(bodies);
        if (!body) continue;
        if (override && variable[name]) Object.assign(variable[name], body);
        else if (!override && !variable[name]) variable[name] = { ...body };
      }
      for (const settings of blocks(top.terraform))
        for (const [type, bodies] of labels(settings.backend)) {
          const [body] = blocks(bodies);
          if (!body) continue;
          // (an override's backend replaces the other's, whatever its type)
          if (override) for (const key of Object.keys(backend)) delete backend[key];
          if (override || !Object.keys(backend).length) backend[type] = { ...body };
        }
    }
  }
  return {
    resource,
    data,
    provider,
    variable,
    ...(Object.keys(backend).length ? { terraform: { backend } } : {}),
  };
}

/** A block value as its list of bodies: an object is one, a list holds several. */
function blocks(value: unknown): Body[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((b): b is Body => typeof b === "object" && b !== null && !Array.isArray(b));
}

/** A labelled level's entries, `{ label: inner }` or a list of such objects. */
function labels(value: unknown): [string, unknown][] {
  return blocks(value).flatMap((b) => Object.entries(b));
}

function withoutMetadata(body: Body): Body {
  const rest = { ...body };
  delete rest["//"];
  return rest;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
