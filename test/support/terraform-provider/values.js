// Object values of the test provider: cty's msgpack encoding, and what the provider does to a
// resource's or data source's object, led by the block schema of `terraform providers schema -json`.
"use strict";
const crypto = require("crypto");
const { Decoder, Encoder, ExtensionCodec } = require("@msgpack/msgpack");

/**
 * A value not known until apply. cty (go-cty cty/msgpack) writes a wholly unknown value as
 * extension 0 with one nul byte, and an unknown with refinements (not null, a string prefix,
 * bounds) as extension 0x0c whose payload is a map of them. Unknowns Terraform sends keep their
 * extension and payload, so a refinement in the configuration stays in the plan.
 */
class Unknown {
  constructor(type = 0, data = new Uint8Array([0])) {
    this.type = type;
    this.data = data;
  }
}

const REFINED_UNKNOWN = 0x0c;
const extensionCodec = new ExtensionCodec();
for (const type of [0, REFINED_UNKNOWN]) {
  extensionCodec.register({
    type,
    encode: (value) => (value instanceof Unknown && value.type === type ? value.data : null),
    decode: (data) => new Unknown(type, data),
  });
}
const decoder = new Decoder({ extensionCodec });
const encoder = new Encoder({ extensionCodec, sortKeys: true });

/** A DynamicValue's object: msgpack, or JSON where Terraform sent that. */
function decodeValue(dynamic) {
  if (dynamic?.msgpack?.length) return decoder.decode(dynamic.msgpack);
  if (dynamic?.json?.length) return JSON.parse(Buffer.from(dynamic.json).toString("utf8"));
  return null;
}

function encodeValue(value) {
  return { msgpack: Buffer.from(encoder.encode(value)) };
}

const isObject = (v) => v !== null && typeof v === "object" && !(v instanceof Unknown);

/** Applies `fn` to each object of a nested block's value, whatever its nesting mode. */
function eachNested(nested, value, fn) {
  if (!isObject(value)) return value;
  switch (nested.nesting_mode) {
    case "single":
    case "group":
      return fn(value);
    case "list":
    case "set":
      return value.map(fn);
    case "map":
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
    default:
      throw new Error(`unknown nesting mode ${nested.nesting_mode}`);
  }
}

/**
 * The planned object of a create or update: the proposed new state (configuration merged with the
 * prior state by Terraform), with every computed attribute still null left unknown until apply,
 * as the SDK does.
 */
function planObject(block, proposed) {
  const out = { ...proposed };
  for (const [name, attr] of Object.entries(block.attributes ?? {}))
    if (attr.computed && out[name] === null) out[name] = new Unknown();
  for (const [name, nested] of Object.entries(block.block_types ?? {}))
    out[name] = eachNested(nested, out[name], (o) => planObject(nested.block, o));
  return out;
}

/**
 * Stand-in values for what the cloud would have filled in. Deterministic: an id is the resource
 * type and a hash of the object's known values (`mock-openstack_networking_network_v2-3f9a0c1e`),
 * so the same configuration gets the same ids on every run.
 */
function placeholder(type, name, where) {
  if (type === "string")
    return name === "id"
      ? `mock-${where.typeName}-${where.hash}`
      : `mock-${where.typeName}-${where.hash}-${name}`;
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (type === "dynamic") return null;
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") return [];
  if (kind === "map") return {};
  if (kind === "object")
    return Object.fromEntries(
      Object.entries(inner).map(([k, t]) => [k, placeholder(t, `${name}.${k}`, where)]),
    );
  if (kind === "tuple") return inner.map((t, i) => placeholder(t, `${name}.${i}`, where));
  throw new Error(`unknown type ${JSON.stringify(type)}`);
}

/** A value with every unknown in it replaced by a stand-in of its type. */
function known(type, value, name, where) {
  if (value instanceof Unknown) return placeholder(type, name, where);
  if (value === null || typeof type === "string") return value;
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") return value.map((v) => known(inner, v, name, where));
  if (kind === "map")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, known(inner, v, name, where)]),
    );
  if (kind === "object")
    return Object.fromEntries(
      Object.entries(inner).map(([k, t]) => [k, known(t, value[k], `${name}.${k}`, where)]),
    );
  return value.map((v, i) => known(inner[i], v, `${name}.${i}`, where));
}

/** What a created or updated resource reads as: the plan with each unknown filled in. */
function applyObject(block, planned, where) {
  const out = { ...planned };
  for (const [name, attr] of Object.entries(block.attributes ?? {}))
    out[name] = known(attr.type, out[name], name, where);
  for (const [name, nested] of Object.entries(block.block_types ?? {}))
    out[name] =
      out[name] instanceof Unknown
        ? ({ list: [], set: [], map: {} }[nested.nesting_mode] ?? null)
        : eachNested(nested, out[name], (o) => applyObject(nested.block, o, where));
  return out;
}

/** What a data source reads: its configuration with the computed attributes left null filled in. */
function readObject(block, config, where) {
  const out = applyObject(block, config, where);
  for (const [name, attr] of Object.entries(block.attributes ?? {}))
    if (attr.computed && out[name] === null) out[name] = placeholder(attr.type, name, where);
  for (const [name, nested] of Object.entries(block.block_types ?? {}))
    out[name] = eachNested(nested, out[name], (o) => readObject(nested.block, o, where));
  return out;
}

/** The object of a state file's JSON, typed by the schema: absent attributes are null. */
function fromState(block, json) {
  const out = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {}))
    out[name] = typed(attr.type, json?.[name] ?? null);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const value = json?.[name];
    const empty = { list: [], set: [], map: {} }[nested.nesting_mode] ?? null;
    out[name] =
      value === undefined || value === null
        ? empty
        : eachNested(nested, value, (o) => fromState(nested.block, o));
  }
  return out;
}

function typed(type, value) {
  if (value === null || typeof type === "string") return value;
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") return value.map((v) => typed(inner, v));
  if (kind === "map")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(inner, v)]));
  if (kind === "object")
    return Object.fromEntries(
      Object.entries(inner).map(([k, t]) => [k, typed(t, value[k] ?? null)]),
    );
  return value.map((v, i) => typed(inner[i], v));
}

/** Where stand-in values come from: the type and a short hash of the object's known values. */
function origin(typeName, value) {
  const text = JSON.stringify(value, (_k, v) =>
    v instanceof Unknown
      ? "(unknown)"
      : isObject(v) && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v,
  );
  const hash = crypto.createHash("sha256").update(`${typeName}\n${text}`).digest("hex");
  return { typeName, hash: hash.slice(0, 8) };
}

module.exports = {
  Unknown,
  decodeValue,
  encodeValue,
  planObject,
  applyObject,
  readObject,
  fromState,
  origin,
};
