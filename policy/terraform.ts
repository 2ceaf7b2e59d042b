/**
 * A read-only view of one synthesized stack (cdktf's JSON configuration) for construct rules:
 * every resource, data source, provider and backend block with its construct path.
 */

export type BlockKind = "resource" | "data" | "provider" | "backend";

type Body = Readonly<Record<string, unknown>>;

export interface TerraformNode {
  readonly stack: string;
  readonly kind: BlockKind;
  /** Resource or data source type (`openstack_networking_secgroup_rule_v2`), provider or backend name. */
  readonly type: string;
  /** Logical id inside the stack (resources and data sources), else the type. */
  readonly name: string;
  /** The construct path cdktf records in `//.metadata.path`, e.g. `platform/cloud/security/...`. */
  readonly path: string;
  /** The block's arguments, without cdktf's `//` metadata. */
  readonly body: Body;
}

export interface StackView {
  readonly name: string;
  readonly nodes: readonly TerraformNode[];
  /**
   * The value a `${var.<name>}` takes from the stack's own files (its default, or a variable
   * file's value), where they give one.
   */
  variableDefault(reference: unknown): unknown;
  /**
   * A block as the spec synthesizes it, for a stack read as written (`check --terraform`): what
   * the design declares, however the block now reads; the block itself otherwise. Undefined for
   * a block the synthesis has not.
   */
  designed(node: TerraformNode): Body | undefined;
  /** The resource a `${type.name.attribute}` reference points to, when it is in this stack. */
  resolve(reference: unknown): TerraformNode | undefined;
  /** The data source a `${data.type.name.attribute}` reference reads, when it is in this stack. */
  resolveData(reference: unknown): TerraformNode | undefined;
}

/** Builds the view of a stack from its synthesized JSON configuration (parsed or as text). */
export function stackView(name: string, configuration: unknown, synthesized?: unknown): StackView {
  const config = (
    typeof configuration === "string" ? parseJson(name, configuration) : configuration
  ) as Record<string, unknown>;
  const nodes: TerraformNode[] = [];
  for (const kind of ["resource", "data"] as const) {
    for (const [type, byName] of entries(config[kind])) {
      for (const id of Object.keys(byName as object)) {
        // Bodies are read on demand: an inspected configuration resolves them when first read.
        let raw: unknown;
        let read = false;
        const source = () => {
          if (!read) {
            raw = (byName as Record<string, unknown>)[id];
            read = true;
          }
          return raw;
        };
        let body: Body | undefined;
        nodes.push({
          stack: name,
          kind,
          type,
          name: id,
          get path() {
            const meta = (source() as { "//"?: { metadata?: { path?: unknown } } } | null)?.["//"];
            const path = meta?.metadata?.path;
            return typeof path === "string"
              ? path
              : `${name}/${kind === "data" ? "data." : ""}${type}.${id}`;
          },
          get body() {
            return (body ??= withoutMetadata(source()));
          },
        });
      }
    }
  }
  for (const [type, blocks] of entries(config.provider)) {
    const list = Array.isArray(blocks) ? blocks : [blocks];
    list.forEach((raw, i) => {
      const body = withoutMetadata(raw);
      const suffix = list.length > 1 ? `[${i}]` : "";
      nodes.push({
        stack: name,
        kind: "provider",
        type,
        name: type,
        path: `${name}/provider/${type}${suffix}`,
        body,
      });
    });
  }
  const terraform = (config.terraform ?? {}) as Record<string, unknown>;
  for (const [type, raw] of entries(terraform.backend)) {
    nodes.push({
      stack: name,
      kind: "backend",
      type,
      name: type,
      path: `${name}/backend/${type}`,
      body: withoutMetadata(raw),
    });
  }
  const byAddress = new Map(
    nodes
      .filter((n) => n.kind === "resource" || n.kind === "data")
      .map((n) => [`${n.kind === "data" ? "data." : ""}${n.type}.${n.name}`, n] as const),
  );
  const variables = config.variable;
  const source = synthesized as Record<string, unknown> | undefined;
  return {
    name,
    nodes,
    designed(node) {
      if (!source) return node.body;
      if (node.kind !== "resource" && node.kind !== "data") return undefined;
      const byName = (source[node.kind] as Record<string, unknown> | undefined)?.[node.type];
      const raw = (byName as Record<string, unknown> | undefined)?.[node.name];
      return raw === undefined ? undefined : withoutMetadata(raw);
    },
    variableDefault(reference) {
      if (typeof reference !== "string") return undefined;
      const match = /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(reference.trim());
      const declared = match && entries(variables).find(([key]) => key === match[1])?.[1];
      const [body] = Array.isArray(declared) ? declared : [declared];
      return body && typeof body === "object"
        ? (body as Record<string, unknown>).default
        : undefined;
    },
    resolve(reference) {
      if (typeof reference !== "string") return undefined;
      const match = /^\$\{([A-Za-z0-9_]+)\.([^.}]+)(?:\.[^}]*)?\}$/.exec(reference);
      return match && match[1] !== "data" ? byAddress.get(`${match[1]}.${match[2]}`) : undefined;
    },
    resolveData(reference) {
      if (typeof reference !== "string") return undefined;
      const match = /^\$\{data\.([A-Za-z0-9_]+)\.([^.}]+)(?:\.[^}]*)?\}$/.exec(reference);
      return match ? byAddress.get(`data.${match[1]}.${match[2]}`) : undefined;
    },
  };
}

/** True when a configuration string is (or contains) a Terraform expression, not plain text. */
export function isExpression(value: unknown): boolean {
  // `$${` is an escaped, literal `${`.
  return typeof value === "string" && /(^|[^$])\$\{/.test(value);
}

/** A block's arguments without the `//` key cdktf writes its metadata to. */
function withoutMetadata(raw: unknown): Body {
  const body: Record<string, unknown> = { ...((raw ?? {}) as Record<string, unknown>) };
  delete body["//"];
  return body;
}

function entries(value: unknown): [string, unknown][] {
  return value && typeof value === "object" && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>)
    : [];
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(
      `stack ${name}: policy checks read the JSON configuration; synthesize with format "json"`,
    );
  }
}
