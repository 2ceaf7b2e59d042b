import * as fs from "fs";
import * as path from "path";
import { findBlueprint } from "../../blueprints/catalog";
import { loadSpecFile } from "../../model/load";
import type { Model } from "../../model/types";
import { terraformName } from "../../core/terraform-names";
import type { SynthesizedStack } from "../../synth/app";
import { ROOT, SEED_BLUEPRINTS } from "../support/blueprints";
import { load, variant } from "../support/fixtures";
import {
  createWorkspace,
  exerciseStack,
  runInOrder,
  terraform,
  terraformVersion,
  TerraformFailure,
  writeStacks,
  type Outcome,
  type StackRun,
  type Workspace,
} from "../support/terraform-core";
import {
  applyObject,
  decodeValue,
  encodeValue,
  fromState,
  origin,
  planObject,
  Unknown,
  type SchemaBlock,
} from "../support/terraform-provider/values";
import { synthesized } from "../support/synth-cache";

/**
 * Every example's stacks through real Terraform core with the test stand-in for
 * terraform-provider-openstack. enterprise-reference is applied whole, stack by stack, and its
 * stacks written as HCL are validated. The other designs (the examples, and one with the options
 * no example has: tenant key pairs, a tenant network applied with project
 * credentials, tier security groups) add each stack that uses something no design before it had: a resource type, an
 * argument of one, a data source, or a kind of stack read through remote state. Each is planned
 * (which validates it first), and applied when another reads it. Which outputs a stack reads is
 * checked without Terraform (apply-readiness.test.ts). `npm run terraform-core`
 * (STACKWRIGHT_TERRAFORM_CORE=all) takes every stack of every design, as JSON and as HCL, through
 * `terraform validate`, `apply` and a second plan that must find nothing to change.
 */
const ALL = process.env.STACKWRIGHT_TERRAFORM_CORE === "all";
const WHOLE = "enterprise-reference";
const version = terraformVersion();

/** What `terraform init` says of any provider installed from a mirror: no registry checksums. */
const LOCK_FILE_WARNING =
  /Warning: Incomplete lock file information for providers[^]*?terraform providers lock[^\n]*\n[^\n]*\n/;

/** A stack's kind is its name up to the first dash: baremetal, platform, tenant, network. */
const kindOf = (stackName: string) => stackName.split("-")[0];

/**
 * What a stack exercises: its resource types and the arguments it sets on each, its data sources,
 * and the kinds of stack it reads through remote state.
 */
function featuresOf(stack: SynthesizedStack): Set<string> {
  const config = stack.config as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
    data?: Record<string, unknown>;
  };
  const features = new Set<string>();
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    features.add(type);
    for (const resource of Object.values(byName))
      for (const argument of Object.keys(resource)) features.add(`${type}.${argument}`);
  }
  for (const type of Object.keys(config.data ?? {})) features.add(`data.${type}`);
  for (const source of stack.readsFrom) features.add(`reads ${kindOf(source)}`);
  return features;
}

/**
 * The stacks that use something `covered` lacks, chosen greedily (most new features, then by
 * name) and added to `covered`, with the stacks they read from.
 */
function covering(stacks: readonly SynthesizedStack[], covered: Set<string>): SynthesizedStack[] {
  const chosen = new Set<SynthesizedStack>();
  for (;;) {
    const gain = (s: SynthesizedStack) => [...featuresOf(s)].filter((f) => !covered.has(f)).length;
    const best = [...stacks].sort((a, b) => gain(b) - gain(a) || (a.name < b.name ? -1 : 1))[0];
    if (!best || gain(best) === 0) break;
    chosen.add(best);
    for (const f of featuresOf(best)) covered.add(f);
  }
  const withSources = (s: SynthesizedStack): SynthesizedStack[] => [
    s,
    ...s.readsFrom.flatMap((r) => withSources(stacks.find((t) => t.name === r)!)),
  ];
  const all = new Set([...chosen].flatMap(withSources));
  return stacks.filter((s) => all.has(s));
}

/** The model with a local backend: state files beside the stacks, no server. */
function locally(model: Model): Model {
  return { ...model, output: { ...model.output, backend: { type: "local" } } };
}

/** Options no example uses, whose resources would otherwise not meet Terraform here. */
const OPTIONS = "options no example uses";
/** The whole design first: the others add what it lacks. */
const DESIGNS = [WHOLE, ...SEED_BLUEPRINTS.filter((n) => n !== WHOLE), OPTIONS];

function design(name: string) {
  const model =
    name === OPTIONS
      ? load(
          variant((s) => {
            // A tenant's SSH key pair and network in a stack of its own, applied with the
            // project's credentials.
            s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: "project" } };
            s.tenants = [
              {
                name: "ops",
                network: { cidr: "172.30.0.0/24" },
                // Tier groups, one admitting another's members
                tiers: [
                  { name: "web", ingress: [{ port: 443, sources: ["10.20.0.0/16"] }] },
                  { name: "app", ingress: [{ port: 8080, fromTiers: ["web"] }] },
                ],
                keyPairs: [
                  {
                    name: "deploy",
                    publicKey:
                      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5 ops",
                  },
                ],
              },
            ];
          }),
        ).model
      : loadSpecFile(path.join(ROOT, findBlueprint(name)!.example)).model;
  return { blueprint: findBlueprint(model.blueprint)!, model: locally(model) };
}

interface ExampleRun {
  readonly stacks: readonly SynthesizedStack[];
  readonly exercised: readonly SynthesizedStack[];
  /** The stacks validated as HCL. */
  readonly hcl: readonly SynthesizedStack[];
}

(version ? describe : describe.skip)(`real Terraform core (${version ?? "not installed"})`, () => {
  let workspace: Workspace;
  const examples = new Map<string, ExampleRun>();
  let outcomes = new Map<string, Outcome<StackRun>>();
  let wallSeconds = 0;

  beforeAll(async () => {
    const started = Date.now();
    workspace = await createWorkspace();
    const jobs = [];
    const covered = new Set<string>();
    const launching = { ...workspace, env: workspace.launchEnv };
    for (const name of DESIGNS) {
      const { blueprint, model } = design(name);
      const stacks = await synthesized(blueprint, model, "json");
      const exercised = ALL || name === WHOLE ? stacks : covering(stacks, covered);
      for (const stack of exercised) for (const f of featuresOf(stack)) covered.add(f);
      const folder = path.join(workspace.dir, name);
      writeStacks(folder, exercised);
      const read = new Set(exercised.flatMap((s) => s.readsFrom));
      for (const stack of exercised) {
        const apply = ALL || name === WHOLE || read.has(stack.name);
        jobs.push({
          key: `${name}/${stack.name}`,
          after: stack.readsFrom.map((r) => `${name}/${r}`),
          run: () =>
            exerciseStack(folder, stack, workspace, {
              validate: ALL,
              then: apply ? "apply" : "plan",
              replan: ALL,
              reinit: name === WHOLE && stack.name === "platform",
            }),
        });
      }
      // The same stacks written as HCL (synth/hcl.ts), validated: enterprise-reference's here,
      // every example's in the whole run.
      const hcl = ALL || name === WHOLE ? await synthesized(blueprint, model, "hcl") : [];
      writeStacks(`${folder}-hcl`, hcl);
      hcl.forEach((stack, i) =>
        jobs.push({
          key: `${name}/hcl/${stack.name}`,
          after: [],
          // Terraform starts the provider it installed, with go-plugin's mutual TLS, for the
          // first (each start costs a Node.js process); the others attach to the running one.
          run: () =>
            exerciseStack(`${folder}-hcl`, stack, i === 0 || ALL ? launching : workspace, {
              validate: true,
              then: "nothing",
              replan: false,
            }),
        }),
      );
      examples.set(name, { stacks, exercised, hcl });
    }
    // Two at a time: each Terraform run starts the provider several times, on two cores.
    outcomes = await runInOrder(jobs, 2);
    wallSeconds = (Date.now() - started) / 1000;
  }, 900_000);

  afterAll(() => {
    if (ALL) process.stdout.write(timingTable(outcomes, wallSeconds));
    workspace?.close();
  });

  /** A stack's run, or a failure that shows what Terraform said. */
  function runOf(example: string, stack: string): StackRun {
    const outcome = outcomes.get(`${example}/${stack}`);
    if (!outcome) throw new Error(`${example}/${stack} was not run`);
    if (!outcome.ok) {
      const e = outcome.error;
      throw new Error(`${example}/${stack}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return outcome.value;
  }

  /** Validation without a diagnostic, and no warning from any command. */
  function expectClean(label: string, run: StackRun) {
    if (run.validation)
      expect([label, run.validation]).toEqual([
        label,
        { format_version: "1.0", valid: true, error_count: 0, warning_count: 0, diagnostics: [] },
      ]);
    for (const c of run.commands) {
      // No warning of any kind (deprecated attributes, ignored lifecycle settings, ...) but the
      // one init gives for any provider from a mirror: no registry checksums to record.
      const said = (c.stdout + c.stderr).replace(LOCK_FILE_WARNING, "");
      expect([label, c.args[0], said]).not.toEqual([
        label,
        c.args[0],
        expect.stringMatching(/Warning|Error/),
      ]);
    }
  }

  test.each(DESIGNS)("%s: each stack with something new plans clean, and applies", (name) => {
    const { exercised, stacks, hcl } = examples.get(name)!;
    if (name === WHOLE) expect(exercised).toEqual(stacks);
    for (const stack of exercised) {
      const run = runOf(name, stack.name);
      expectClean(stack.name, run);
      const planned = run.commands.find((c) => c.args[0] === "apply" || c.args[0] === "plan")!;
      expect([stack.name, planned.stdout]).toEqual([
        stack.name,
        expect.stringMatching(/(Plan|Apply complete!): \d+ (to )?add(ed)?, 0 (to )?change/),
      ]);
      if (run.outputs) {
        // Outputs after apply: exactly those the stack declares, each known.
        expect(Object.keys(run.outputs).sort()).toEqual(stack.outputs.map((o) => o.name));
        for (const [output, { value }] of Object.entries(run.outputs))
          expect([stack.name, output, value]).not.toEqual([stack.name, output, null]);
      }
    }
    if (name === OPTIONS) expect(exercised.map((s) => s.name)).toContain("network-ops");
    if (name === OPTIONS)
      expect(exercised.flatMap((s) => Object.keys(s.config.resource ?? {}))).toEqual(
        expect.arrayContaining(["openstack_compute_keypair_v2"]),
      );
    for (const stack of hcl) expectClean(`${stack.name} (HCL)`, runOf(name, `hcl/${stack.name}`));
    if (name === WHOLE || ALL) expect(hcl.map((s) => s.name)).toEqual(stacks.map((s) => s.name));
  });

  test(`${WHOLE} applies stack by stack in the order the stacks read each other`, () => {
    const { stacks, exercised } = examples.get(WHOLE)!;
    expect(exercised).toEqual(stacks);
    expect(stacks.length).toBeGreaterThan(2);
    let reads = 0;
    for (const stack of stacks) {
      runOf(WHOLE, stack.name);
      // Each remote-state output the stack read exists in its source stack's applied state.
      const text = JSON.stringify(stack.config);
      for (const m of text.matchAll(
        /data\.terraform_remote_state\.([a-z0-9_]+)\.outputs\.([a-z0-9_]+)/g,
      )) {
        const source = stacks.find((s) => terraformName([s.name]) === m[1])!;
        expect(stack.readsFrom).toContain(source.name);
        expect(Object.keys(runOf(WHOLE, source.name).outputs ?? {})).toContain(m[2]);
        reads++;
      }
    }
    expect(reads).toBeGreaterThan(5);
    // AND the platform's local state survived a terraform init without .terraform
    expect(runOf(WHOLE, "platform").commands.filter((c) => c.args[0] === "init")).toHaveLength(2);
  });
});

/** Seconds per command and stack, for `npm run terraform-core`. */
function timingTable(outcomes: ReadonlyMap<string, Outcome<StackRun>>, wall: number): string {
  const lines = [
    "",
    "stack                                        init validate  apply output replan",
  ];
  for (const [key, outcome] of outcomes) {
    if (!outcome.ok) {
      lines.push(`${key.padEnd(44)} FAILED`);
      continue;
    }
    const cells = ["init", "validate", "apply", "output", "plan"].map((c) => {
      const found = outcome.value.commands.find((r) => r.args[0] === c);
      return (found ? found.seconds.toFixed(1) : "-").padStart(c === "validate" ? 8 : 6);
    });
    lines.push(`${key.padEnd(44)} ${cells.join(" ")}`);
  }
  lines.push(`${outcomes.size} stacks in ${wall.toFixed(1)} s wall time`, "");
  return lines.join("\n");
}

describe("the provider stand-in and its harness", () => {
  test("a failure names the stack, the command and Terraform's message", () => {
    const failure = new TerraformFailure("tenant-x", {
      args: ["plan"],
      code: 1,
      stdout: "",
      stderr: "Error: Unsupported attribute",
      seconds: 0,
    });
    expect(failure.message).toBe(
      "terraform plan in tenant-x exited 1:\nError: Unsupported attribute",
    );
  });

  const schema = JSON.parse(
    fs.readFileSync(path.join(ROOT, "providers", "openstack", "schema.json"), "utf8"),
  ).provider_schemas["registry.terraform.io/terraform-provider-openstack/openstack"];
  const network: SchemaBlock = schema.resource_schemas.openstack_networking_network_v2.block;
  /** A network's object as Terraform sends it: every attribute and block, null where unset. */
  const proposed = () => ({
    ...Object.fromEntries(Object.keys(network.attributes ?? {}).map((k) => [k, null])),
    ...Object.fromEntries(Object.keys(network.block_types ?? {}).map((k) => [k, null])),
    segments: [],
    name: "efg-tenant",
    admin_state_up: true,
  });

  test("writes an unknown as cty does: extension 0 holding one nul byte", () => {
    expect([...encodeValue(new Unknown()).msgpack]).toEqual([0xd4, 0x00, 0x00]);
  });

  test("sends back a refined unknown with its extension and refinements", () => {
    // cty's "unknown, but not null": extension 0x0c holding the map {1: false}.
    const refined = Buffer.from([0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2]);
    const value = decodeValue({ msgpack: refined });
    expect(value).toBeInstanceOf(Unknown);
    expect(encodeValue(value).msgpack).toEqual(refined);
  });

  test("plans computed attributes left null as unknown and keeps the configured ones", () => {
    const planned = planObject(network, proposed());
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.mtu).toBeInstanceOf(Unknown);
    expect(planned.name).toBe("efg-tenant");
    expect(planned.admin_state_up).toBe(true);
    // Optional and not computed: stays null.
    expect(planned.description).toBeNull();
  });

  test("applies with the same stand-in id for the same configuration, every time", () => {
    const planned = planObject(network, proposed());
    const applied = applyObject(
      network,
      planned,
      origin("openstack_networking_network_v2", planned),
    );
    expect(applied.id).toMatch(/^mock-openstack_networking_network_v2-[0-9a-f]{8}$/);
    expect(applied).toEqual(
      applyObject(network, planned, origin("openstack_networking_network_v2", planned)),
    );
    expect([applied.mtu, applied.shared, applied.all_tags]).toEqual([0, false, []]);
    const other = planObject(network, { ...proposed(), name: "efg-other" });
    expect(
      applyObject(network, other, origin("openstack_networking_network_v2", other)).id,
    ).not.toBe(applied.id);
  });

  test("reads a state file's object with every attribute, absent ones null", () => {
    const state = fromState(network, { id: "n1", name: "efg-tenant", mtu: 1450 });
    expect(Object.keys(state).sort()).toEqual(Object.keys(proposed()).sort());
    expect([state.id, state.mtu, state.description, state.segments]).toEqual([
      "n1",
      1450,
      null,
      [],
    ]);
  });
});

(version ? describe : describe.skip)(
  "the stand-in plans a replacement where the provider does",
  () => {
    let workspace: Workspace;
    beforeAll(async () => {
      workspace = await createWorkspace();
    });
    afterAll(() => workspace?.close());

    /** Applies `before`, then plans `after` in a folder of its own: each resource's planned actions. */
    const replan = async (name: string, before: object, after: object) => {
      const folder = path.join(workspace.dir, name);
      fs.mkdirSync(folder);
      const config = (resource: object) =>
        JSON.stringify({
          terraform: {
            required_providers: {
              openstack: { source: "terraform-provider-openstack/openstack", version: "3.4.0" },
            },
          },
          resource,
        });
      const run = async (args: string[]) => {
        const r = await terraform(folder, args, workspace.env);
        if (r.code !== 0) throw new TerraformFailure(name, r);
        return r;
      };
      fs.writeFileSync(path.join(folder, "main.tf.json"), config(before));
      await run(["init", "-input=false"]);
      await run(["apply", "-auto-approve", "-input=false"]);
      fs.writeFileSync(path.join(folder, "main.tf.json"), config(after));
      await run(["plan", "-input=false", "-out=plan"]);
      const shown = JSON.parse((await run(["show", "-json", "plan"])).stdout) as {
        resource_changes: { address: string; change: { actions: string[] } }[];
      };
      return shown.resource_changes.map((c) => [c.address, c.change.actions]);
    };

    test("a server group hint, in a set block, replaces the instance as the provider says it", async () => {
      // GIVEN an instance placed by a server group hint (scheduler_hints is a set of blocks)
      const instance = (group: string) => ({
        openstack_compute_instance_v2: { vm: { name: "vm", scheduler_hints: [{ group }] } },
      });
      // THEN another group plans the instance's replacement (the path is the set's own)
      expect(await replan("hints", instance("g1"), instance("g2"))).toEqual([
        ["openstack_compute_instance_v2.vm", ["delete", "create"]],
      ]);
    });

    test("a route's next hop, ForceNew in the provider's Go code, replaces the route", async () => {
      // GIVEN a router route applied, then its next hop changed (the route has no Update)
      const route = (nextHop: string) => ({
        openstack_networking_router_route_v2: {
          r: { router_id: "router", destination_cidr: "10.1.0.0/24", next_hop: nextHop },
        },
        openstack_networking_router_v2: { x: { name: "kept", description: "a" } },
      });
      // THEN Terraform plans the route's replacement, and leaves the router unchanged
      expect(await replan("route", route("10.0.0.1"), route("10.0.0.2"))).toEqual([
        ["openstack_networking_router_route_v2.r", ["delete", "create"]],
        ["openstack_networking_router_v2.x", ["no-op"]],
      ]);
    });
  },
);
