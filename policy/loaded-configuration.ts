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
  /^(?:override|.*_override)\.tf(?:\.json)?$/s.test(file);

/**
 * What Terraform builds from the files: `resource` and `data` by type and name, `provider` by
 * type as a list, `variable` by name, `terraform.backend` by type. Normal files add blocks (a
 * name defined twice is an error to Terraform, which then applies nothing: the first is kept);
 * override files, in name order after them, replace the arguments and nested blocks they set in
 * the block of their type and name, as Terraform merges them.
 */
export function loadedConfiguration(
  files: readonly ConfigurationFile[],
  /**
   * The spec's synthesis of the stack: the only source of cdktf's `//` metadata (construct
   * paths), which a file's own could forge. @default none: blocks are named by type and name
   */
  synthesized?: unknown,
  /** Values the folder's variable files give (terraform.tfvars): they stand for the defaults. */
  values: Readonly<Record<string, unknown>> = {},
): Body {
  const resource: Record<string, Record<string, Body>> = {};
  const data: Record<string, Record<string, Body>> = {};
  const provider: Record<string, Body[]> = {};
  const backend: Record<string, Body> = {};
  const variable: Record<string, Body> = {};
  const ordered = [
    ...files.filter((f) => !isOverrideFile(f.file)),
    // (in the order Go sorts names: by their UTF-8 bytes)
    ...files
      .filter((f) => isOverrideFile(f.file))
      .sort((a, b) => Buffer.compare(Buffer.from(a.file), Buffer.from(b.file))),
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
  for (const [name, value] of Object.entries(values))
    if (variable[name]) variable[name] = { ...variable[name], default: value };
  // Construct paths as synth wrote them, in either format; a block of no construct by address.
  const known = (synthesized ?? {}) as Body;
  for (const { kind, type, name, body } of eachBlock(resource, data)) {
    const meta = ((known[kind] as Body | undefined)?.[type] as Body | undefined)?.[name];
    const path = (meta as Body | undefined)?.["//"];
    if (path === undefined) delete body["//"];
    else body["//"] = path;
  }
  return {
    resource,
    data,
    provider,
    variable,
    ...(Object.keys(backend).length ? { terraform: { backend } } : {}),
  };
}

/** Every resource and data source of a loaded configuration, with its kind, type and name. */
function* eachBlock(
  resource: Record<string, Record<string, Body>>,
  data: Record<string, Record<string, Body>>,
): Generator<{ kind: "resource" | "data"; type: string; name: string; body: Body }> {
  for (const [kind, byType] of [
    ["resource", resource],
    ["data", data],
  ] as const)
    for (const [type, byName] of Object.entries(byType))
      for (const [name, body] of Object.entries(byName)) yield { kind, type, name, body };
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

/**
 * The arguments the security rules read, by resource type: a value of the edited configuration
 * there must be a literal or a plain reference to a block, which the rules can follow.
 */
const READ_BY_RULES: Readonly<Record<string, readonly string[]>> = {
  openstack_networking_secgroup_rule_v2: [
    "direction",
    "ethertype",
    "protocol",
    "port_range_min",
    "port_range_max",
    "remote_ip_prefix",
    "remote_address_group_id",
  ],
  openstack_networking_address_group_v2: ["addresses"],
  openstack_networking_network_v2: ["shared", "external", "port_security_enabled"],
  openstack_networking_port_v2: ["port_security_enabled", "allowed_address_pairs"],
  openstack_networking_rbac_policy_v2: ["target_tenant", "action", "object_type"],
  openstack_objectstorage_container_v1: ["container_read", "container_write"],
  openstack_compute_instance_v2: ["admin_pass"],
  openstack_fw_rule_v2: [
    "action",
    "enabled",
    "protocol",
    "ip_version",
    "source_ip_address",
    "destination_port",
  ],
  openstack_identity_role_assignment_v3: ["role_id"],
  openstack_identity_inherit_role_assignment_v3: ["role_id"],
  openstack_compute_flavor_v2: ["is_public"],
  openstack_blockstorage_volume_type_v3: ["is_public"],
  "data.openstack_identity_role_v3": ["name"],
};

/** Text Terraform evaluates: `${...}` or `%{...}` not escaped as `$${` or `%%{`. */
const EVALUATED = /(^|[^$%])[$%]\{/;

/**
 * References the rules follow to a block of the stack: an address group SW-SEC-001 reads the
 * addresses of, a role data source SW-SEC-013 reads the name of.
 */
const FOLLOWED: Readonly<Record<string, RegExp>> = {
  remote_address_group_id: /^\$\{openstack_networking_address_group_v2\.[A-Za-z0-9_-]+\.id\}$/,
  role_id: /^\$\{data\.openstack_identity_role_v3\.[A-Za-z0-9_-]+\.id\}$/,
};

/**
 * Where one configuration file sets an argument the security rules read to something they cannot
 * read as Terraform will (a template, a function, a variable, `each.value`, another block's
 * attribute) where the spec's synthesis does not, repeats its resources (`for_each`, a `dynamic`
 * block), runs a program (a provisioner, an `external` data source) or calls a module, whose
 * files the rules do not read: `type.name.argument` or `module.name` for each.
 */
export function unreadArguments(config: unknown, synthesized?: unknown): string[] {
  const out: string[] = [];
  const evaluated = (value: unknown): boolean =>
    typeof value === "string"
      ? EVALUATED.test(value)
      : Array.isArray(value)
        ? value.some(evaluated)
        : value !== null && typeof value === "object"
          ? Object.values(value).some(evaluated)
          : false;
  const designed = (synthesized ?? {}) as Partial<
    Record<string, Record<string, Record<string, Body>>>
  >;
  // A module's resources are in files of its own folder, which the rules do not read; a check
  // block's data sources and a removed block's provisioners run as their top-level kin do.
  for (const top of blocks(config)) {
    for (const [name] of labels(top.module)) out.push(`module.${name}`);
    for (const [name, bodies] of labels(top.check))
      for (const body of blocks(bodies))
        for (const [type] of labels(body.data)) out.push(`check.${name}.data.${type}`);
    for (const body of blocks(top.removed))
      if (body.provisioner !== undefined) out.push("removed.provisioner");
  }
  const { resource, data } = loadedConfiguration([{ file: "file.tf.json", config }]) as {
    resource: Record<string, Record<string, Body>>;
    data: Record<string, Record<string, Body>>;
  };
  for (const [type, byName] of Object.entries(data))
    if (type === "external")
      for (const name of Object.keys(byName)) out.push(`data.external.${name}`);
  for (const { kind, type, name, body } of eachBlock(resource, data)) {
    const address = `${kind === "data" ? "data." : ""}${type}.${name}`;
    if (body.provisioner !== undefined) out.push(`${address}.provisioner`);
    const read = READ_BY_RULES[kind === "data" ? `data.${type}` : type];
    if (!read) continue;
    for (const key of ["for_each", "dynamic"])
      if (body[key] !== undefined) out.push(`${address}.${key}`);
    // (an expression the synthesis writes the same is the design's: ids of its own blocks)
    const own = designed[kind]?.[type]?.[name];
    for (const key of read)
      if (
        evaluated(body[key]) &&
        JSON.stringify(body[key]) !== JSON.stringify(own?.[key]) &&
        !FOLLOWED[key]?.test(String(body[key]).trim())
      )
        out.push(`${address}.${key}`);
  }
  return out;
}
