// The provider's schema: providers/openstack/schema.json (what `terraform providers schema -json`
// prints for terraform-provider-openstack), and the same as the protocol's Schema messages.
"use strict";
const fs = require("fs");
const path = require("path");

const SCHEMA_FILE = path.join(__dirname, "..", "..", "..", "providers", "openstack", "schema.json");

/** The schema.json entry of terraform-provider-openstack: provider, resource and data source schemas. */
function loadProviderSchema(file = SCHEMA_FILE) {
  const all = JSON.parse(fs.readFileSync(file, "utf8")).provider_schemas;
  const schema = all["registry.terraform.io/terraform-provider-openstack/openstack"];
  if (!schema) throw new Error(`${file} has no schema of terraform-provider-openstack`);
  return schema;
}

const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 };
const STRING_KIND = { plain: 0, markdown: 1 };
const byName = ([a], [b]) => (a < b ? -1 : 1);

function toProtoBlock(block) {
  return {
    version: 0,
    attributes: Object.entries(block.attributes ?? {})
      .sort(byName)
      .map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description ?? "",
        required: a.required === true,
        optional: a.optional === true,
        computed: a.computed === true,
        sensitive: a.sensitive === true,
        description_kind: STRING_KIND[a.description_kind ?? "plain"],
        deprecated: a.deprecated === true,
      })),
    block_types: Object.entries(block.block_types ?? {})
      .sort(byName)
      .map(([name, b]) => {
        if (!NESTING[b.nesting_mode]) throw new Error(`${name}: nesting mode ${b.nesting_mode}`);
        return {
          type_name: name,
          block: toProtoBlock(b.block),
          nesting: NESTING[b.nesting_mode],
          min_items: b.min_items ?? 0,
          max_items: b.max_items ?? 0,
        };
      }),
    description: block.description ?? "",
    description_kind: STRING_KIND[block.description_kind ?? "plain"],
    deprecated: block.deprecated === true,
  };
}

function toProtoSchema(schema) {
  return { version: schema.version ?? 0, block: toProtoBlock(schema.block) };
}

/** GetSchema's answer. */
function schemaResponse(schema) {
  const each = (schemas) =>
    Object.fromEntries(Object.entries(schemas ?? {}).map(([k, s]) => [k, toProtoSchema(s)]));
  return {
    provider: toProtoSchema(schema.provider),
    resource_schemas: each(schema.resource_schemas),
    data_source_schemas: each(schema.data_source_schemas),
    diagnostics: [],
    // As the SDK says: Terraform may reuse the schema instead of asking each provider process.
    server_capabilities: { get_provider_schema_optional: true },
  };
}

module.exports = { loadProviderSchema, schemaResponse };
