// A stand-in for terraform-provider-openstack that real Terraform core runs as a plugin, so that
// `terraform init`, `validate`, `plan` and `apply` work on generated stacks with no network and no
// cloud. It answers with the real provider's schema (providers/openstack/schema.json) and checks
// nothing beyond what Terraform core checks; apply fills in computed values with deterministic
// stand-ins (values.js). Started by Terraform through the `terraform-provider-openstack` launcher.
"use strict";
const childProcess = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { setImmediate, setInterval } = require("timers");
const grpc = require("@grpc/grpc-js");
const protoLoader = require("@grpc/proto-loader");
const { loadProviderSchema, schemaResponse } = require("./schema");
const values = require("./values");

// The provider's ForceNew attributes (providers/openstack/force-new.json, read from its Go code
// by scripts/force-new.py): a change of one plans a replacement, as the real provider's does.
const FORCE_NEW = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, "..", "..", "..", "providers", "openstack", "force-new.json"),
    "utf8",
  ),
);

/**
 * The attribute paths of a planned update whose change the provider makes a replacement. An
 * attribute of a set block is said as the set's path, as the provider's SDK says it (a set has no
 * index), and compared as a set.
 */
function replacedBy(typeName, block, prior, planned) {
  if (!prior || !planned) return [];
  const same = (a, b) =>
    !(a instanceof values.Unknown) &&
    !(b instanceof values.Unknown) &&
    JSON.stringify(a) === JSON.stringify(b);
  const paths = [];
  for (const [name, inner] of FORCE_NEW[typeName] ?? []) {
    if (inner === undefined) {
      if (!same(prior[name], planned[name])) paths.push({ steps: [{ attribute_name: name }] });
      continue;
    }
    // (an attribute of a nested block: each element's, where the block holds a list)
    const was = Array.isArray(prior[name]) ? prior[name] : [];
    const now = Array.isArray(planned[name]) ? planned[name] : [];
    if (block.block_types?.[name]?.nesting_mode === "set") {
      const members = (items) => items.map((item) => JSON.stringify(item?.[inner] ?? null)).sort();
      const unknown = now.some((item) => item?.[inner] instanceof values.Unknown);
      if (unknown || JSON.stringify(members(was)) !== JSON.stringify(members(now)))
        if (!paths.some((p) => p.steps.length === 1 && p.steps[0].attribute_name === name))
          paths.push({ steps: [{ attribute_name: name }] });
      continue;
    }
    const changed = Array.from({ length: Math.max(was.length, now.length) }, (_, i) => i).filter(
      (i) => !same(was[i]?.[inner], now[i]?.[inner]),
    );
    for (const i of changed)
      paths.push({
        steps: [{ attribute_name: name }, { element_key_int: i }, { attribute_name: inner }],
      });
  }
  return paths;
}

const {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  CORE_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
} = require("./handshake");

function fail(message) {
  process.stderr.write(`terraform-provider-openstack (test stand-in): ${message}\n`);
  process.exit(1);
}

if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
  fail("this is a Terraform plugin: Terraform starts it, it is not run by hand");
}
const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? "").split(",").map(Number);
if (!offered.includes(PROTOCOL_VERSION)) {
  fail(
    `Terraform offers plugin protocols ${offered.join(", ")}; this plugin speaks ${PROTOCOL_VERSION}`,
  );
}

const packageDefinition = protoLoader.loadSync(
  ["tfplugin5.proto", "go-plugin.proto"].map((f) => path.join(__dirname, f)),
  { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true },
);
const proto = grpc.loadPackageDefinition(packageDefinition);

const schema = loadProviderSchema();
const resources = schema.resource_schemas;
const dataSources = schema.data_source_schemas;
const GET_SCHEMA = schemaResponse(schema);

function blockOf(schemas, typeName) {
  const found = schemas[typeName];
  if (!found) throw new Error(`the schema has no type ${typeName}`);
  return found.block;
}

/** A unary handler; a thrown error reaches Terraform as the call's error, with its stack. */
const unary = (fn) => (call, callback) => {
  try {
    callback(null, fn(call.request));
  } catch (err) {
    callback({ code: grpc.status.INTERNAL, details: err.stack ?? String(err) });
  }
};

/**
 * The objects apply made, by type and id, in the folder STACKWRIGHT_STANDIN_CLOUD names, so that a
 * later process (`terraform import`, a refresh) finds them as a cloud would; without it, nothing
 * is kept and a refresh returns the state as it is.
 */
const cloud = (() => {
  const dir = process.env.STACKWRIGHT_STANDIN_CLOUD;
  const file = (type, id) => path.join(dir, type, `${encodeURIComponent(String(id))}.json`);
  return {
    get(type, id) {
      if (!dir || typeof id !== "string") return undefined;
      try {
        return JSON.parse(fs.readFileSync(file(type, id), "utf8"));
      } catch {
        return undefined;
      }
    },
    put(type, object) {
      if (!dir || typeof object.id !== "string") return;
      fs.mkdirSync(path.join(dir, type), { recursive: true });
      fs.writeFileSync(file(type, object.id), JSON.stringify(object));
    },
    remove(type, id) {
      if (dir && typeof id === "string") fs.rmSync(file(type, id), { force: true });
    },
  };
})();

const provider = {
  GetSchema: unary(() => GET_SCHEMA),
  PrepareProviderConfig: unary((req) => ({ prepared_config: req.config, diagnostics: [] })),
  ValidateResourceTypeConfig: unary((req) => {
    blockOf(resources, req.type_name);
    return { diagnostics: [] };
  }),
  ValidateDataSourceConfig: unary((req) => {
    blockOf(dataSources, req.type_name);
    return { diagnostics: [] };
  }),
  Configure: unary(() => ({ diagnostics: [] })),
  UpgradeResourceState: unary((req) => {
    const block = blockOf(resources, req.type_name);
    if (!req.raw_state?.json?.length) throw new Error("only JSON state is supported");
    const json = JSON.parse(Buffer.from(req.raw_state.json).toString("utf8"));
    return { upgraded_state: values.encodeValue(values.fromState(block, json)), diagnostics: [] };
  }),
  // The cloud holds what apply made; nothing changes it outside Terraform.
  ReadResource: unary((req) => {
    const current = values.decodeValue(req.current_state);
    const held = current && cloud.get(req.type_name, current.id);
    return {
      new_state: held ? values.encodeValue(held) : req.current_state,
      private: req.private,
      diagnostics: [],
    };
  }),
  ImportResourceState: unary((req) => {
    blockOf(resources, req.type_name);
    const held = cloud.get(req.type_name, req.id);
    if (!held)
      return {
        imported_resources: [],
        diagnostics: [
          {
            severity: 1,
            summary: "Cannot import non-existent remote object",
            detail: `no ${req.type_name} with id ${JSON.stringify(req.id)} in the stand-in cloud`,
          },
        ],
      };
    return {
      imported_resources: [{ type_name: req.type_name, state: values.encodeValue(held) }],
      diagnostics: [],
    };
  }),
  PlanResourceChange: unary((req) => {
    const block = blockOf(resources, req.type_name);
    const proposed = values.decodeValue(req.proposed_new_state);
    const planned = proposed === null ? null : values.planObject(block, proposed);
    return {
      planned_state: values.encodeValue(planned),
      requires_replace: replacedBy(
        req.type_name,
        block,
        values.decodeValue(req.prior_state),
        planned,
      ),
      planned_private: req.prior_private,
      diagnostics: [],
      legacy_type_system: true,
    };
  }),
  ApplyResourceChange: unary((req) => {
    const block = blockOf(resources, req.type_name);
    const planned = values.decodeValue(req.planned_state);
    const created =
      planned === null
        ? null
        : values.applyObject(block, planned, values.origin(req.type_name, planned));
    if (created) cloud.put(req.type_name, created);
    else cloud.remove(req.type_name, values.decodeValue(req.prior_state)?.id);
    return {
      new_state: values.encodeValue(created),
      private: req.planned_private,
      diagnostics: [],
      legacy_type_system: true,
    };
  }),
  ReadDataSource: unary((req) => {
    const block = blockOf(dataSources, req.type_name);
    const config = values.decodeValue(req.config);
    const state = values.readObject(block, config, values.origin(req.type_name, config));
    return { state: values.encodeValue(state), diagnostics: [] };
  }),
  Stop: unary(() => ({ Error: "" })),
};

const socketDir = fs.mkdtempSync(
  path.join(process.env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), "tf-provider-openstack-"),
);
const socket = path.join(socketDir, "plugin.sock");
const server = new grpc.Server({
  "grpc.max_receive_message_length": -1,
  "grpc.max_send_message_length": -1,
});

function exit(code) {
  server.forceShutdown();
  fs.rmSync(socketDir, { recursive: true, force: true });
  process.exit(code);
}

server.addService(proto.tfplugin5.Provider.service, provider);
server.addService(proto.plugin.GRPCController.service, {
  // Answered first, then the process ends: Terraform waits for the exit, not a timeout.
  Shutdown: (_call, callback) => {
    callback(null, {});
    setImmediate(() => exit(0));
  },
});
server.addService(proto.plugin.GRPCBroker.service, {
  StartStream: (stream) => stream.on("data", () => {}),
});
server.addService(proto.plugin.GRPCStdio.service, {
  StreamStdio: () => {},
});

/**
 * go-plugin's automatic mutual TLS: Terraform passes its client certificate in PLUGIN_CLIENT_CERT
 * and expects the plugin's own self-signed certificate, for the name localhost, as base64 DER
 * without padding in the handshake line's sixth field. Without the variable (TF_DISABLE_PLUGIN_TLS)
 * the connection is plain.
 */
function credentials() {
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (!clientCert) return { creds: grpc.ServerCredentials.createInsecure(), cert: "" };
  const keyFile = path.join(socketDir, "key.pem");
  const made = childProcess.spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
      .concat(["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"])
      .concat(["-days", "1", "-keyout", keyFile, "-outform", "PEM"]),
    { encoding: "utf8" },
  );
  if (made.status !== 0) fail(`openssl could not make a certificate: ${made.stderr ?? made.error}`);
  const certPem = made.stdout;
  const creds = grpc.ServerCredentials.createSsl(
    Buffer.from(clientCert),
    [{ private_key: fs.readFileSync(keyFile), cert_chain: Buffer.from(certPem) }],
    true,
  );
  fs.rmSync(keyFile);
  const der = new crypto.X509Certificate(certPem).raw;
  return { creds, cert: der.toString("base64").replace(/=+$/, "") };
}

const { creds, cert } = credentials();
server.bindAsync(`unix://${socket}`, creds, (err) => {
  if (err) fail(`cannot listen on ${socket}: ${err.message}`);
  process.stdout.write(
    `${CORE_PROTOCOL_VERSION}|${PROTOCOL_VERSION}|unix|${socket}|grpc|${cert}\n`,
  );
});
process.on("SIGTERM", () => exit(0));
// Terraform killed outright never calls Shutdown: leave with it rather than serve no one.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && exit(0), 1000).unref();
process.on("SIGINT", () => {}); // Terraform forwards Ctrl-C and then calls Stop or Shutdown.
