import { spawnSync } from "child_process";
import * as fs from "fs";
import { stringify } from "yaml";
import { variant } from "../support/fixtures";
import * as path from "path";
import {
  stackAddresses,
  stackDataAddresses,
  stateMoves,
  stateMovesScript,
} from "../../cli/state-moves";
import { EXAMPLE, cli, tmp, writeAsWritten } from "../support/cli";

const read = (file: string) => fs.readFileSync(file, "utf8");

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5 ops@example";

/** The base spec with one tenant, a, whose network is applied with these credentials. */
const tenantA = (credentials: string, extra: Record<string, unknown> = {}) =>
  stringify(
    variant((s: any) => {
      s.output = { tenantStacks: { layout: "per-tenant", networkCredentials: credentials } };
      s.tenants = [{ name: "a", network: { cidr: "172.30.0.0/24" }, ...extra }];
    }),
  );

/**
 * A stand-in terraform that logs each call (folder and arguments) and answers by the cases given
 * (`"<folder> <arg1> <arg2>") ...;;` lines of a shell case), in a folder per stack.
 */
function standInTerraform(stacks: readonly string[], cases: readonly string[]) {
  const dir = tmp();
  const log = path.join(dir, "calls.log");
  for (const s of stacks) fs.mkdirSync(path.join(dir, s));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, "terraform"),
    [
      "#!/bin/sh",
      `echo "$(basename "$PWD") $*" >> '${log}'`,
      'case "$(basename "$PWD") $1 $2" in',
      ...cases,
      "esac",
    ].join("\n"),
    { mode: 0o755 },
  );
  return { dir, log, bin };
}

describe("state moves on a stack layout change", () => {
  test("finds the addresses that changed stack, and only those", () => {
    // GIVEN per-tenant stacks WHEN the tenants move into one stack
    const moves = stateMoves(
      {
        platform: ["openstack_networking_network_v2.cloud_network_public"],
        "tenant-a": [
          "openstack_identity_project_v3.a",
          "openstack_networking_network_v2.a_network",
        ],
        "tenant-b": ["openstack_identity_project_v3.b"],
      },
      {
        platform: ["openstack_networking_network_v2.cloud_network_public"],
        tenants: [
          "openstack_identity_project_v3.a",
          "openstack_identity_project_v3.b",
          "openstack_identity_project_v3.c",
        ],
      },
    );
    // THEN new resources and resources that stay are not moves
    expect(moves).toEqual([
      { address: "openstack_identity_project_v3.a", from: "tenant-a", to: "tenants" },
      { address: "openstack_identity_project_v3.b", from: "tenant-b", to: "tenants" },
    ]);
    const script = stateMovesScript(moves);
    expect(script).toContain("move 'openstack_identity_project_v3.a' 'tenant-a' 'tenants'");
    // Import into the new state before forgetting it in the old one: never in no state at all.
    expect(script.indexOf("terraform import")).toBeLessThan(script.indexOf("terraform state rm"));
  });

  test("moves into a stack after those into the stacks it reads through remote state", () => {
    // GIVEN one stack of tenants becoming a tenant stack and a network stack that reads it
    // (network-a sorts before tenant-a by name)
    const moves = stateMoves(
      { tenants: ["openstack_identity_project_v3.a", "openstack_networking_network_v2.a_network"] },
      {
        "network-a": ["openstack_networking_network_v2.a_network"],
        "tenant-a": ["openstack_identity_project_v3.a"],
      },
      (stack) => (stack === "network-a" ? ["platform", "tenant-a"] : ["platform"]),
    );
    // THEN the tenant stack's import comes first: the network stack's reads its state
    expect(moves.map((m) => m.to)).toEqual(["tenant-a", "network-a"]);
  });

  test("the script stops at a state it cannot read, and treats a stack without state as empty", () => {
    // GIVEN a stand-in terraform that logs its calls: stack b has no state yet, stack c's
    // backend fails, stack a holds the resource
    const { dir, log, bin } = standInTerraform(
      ["a", "b", "c"],
      [
        '  "a state list") echo openstack_identity_project_v3.x ;;',
        '  "a state show") echo \'  id = "p-1"\' ;;',
        '  "b state list") echo "No state file was found!" >&2; exit 1 ;;',
        '  "c state list") echo "Error: Failed to load state: backend locked" >&2; exit 1 ;;',
      ],
    );
    const run = (to: string) => {
      const script = path.join(dir, "state-moves.sh");
      fs.writeFileSync(
        script,
        stateMovesScript([{ address: "openstack_identity_project_v3.x", from: "a", to }]),
      );
      fs.writeFileSync(log, "");
      const r = spawnSync("sh", [script], {
        cwd: dir,
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        encoding: "utf8",
      });
      return { code: r.status, calls: read(log), left: fs.existsSync(script) };
    };
    // WHEN the resource moves to b: imported there, forgotten in a, and the script is done
    const toB = run("b");
    expect(toB.code).toBe(0);
    expect(toB.calls).toContain("b import openstack_identity_project_v3.x p-1");
    expect(toB.calls).toContain("a state rm openstack_identity_project_v3.x");
    expect(toB.left).toBe(false);
    // WHEN it moves to c, whose state cannot be read: it stops, forgets nothing, stays
    const toC = run("c");
    expect(toC.code).toBe(1);
    expect(toC.calls).not.toContain("state rm");
    expect(toC.left).toBe(true);
  });

  test("reads addresses from the configuration object, whatever format was written", () => {
    const config = {
      resource: { openstack_identity_project_v3: { a: {} }, terraform_data: { q: {} } },
    };
    // terraform_data only holds inputs: it is recreated, never moved.
    expect(stackAddresses([{ name: "tenants", config }])).toEqual({
      tenants: ["openstack_identity_project_v3.a"],
    });
    expect(stackDataAddresses([{ name: "tenants", config }])).toEqual({
      tenants: ["terraform_data.q"],
    });
  });

  test("the script forgets in the old stack the terraform_data the new one makes anew", () => {
    // GIVEN a stand-in terraform whose stack a holds a project and its quota trigger
    const { dir, log, bin } = standInTerraform(
      ["a", "b"],
      [
        '  "a state list") printf "openstack_identity_project_v3.x\\nterraform_data.x_quota\\n" ;;',
        '  "a state show") echo \'  id = "p-1"\' ;;',
      ],
    );
    const script = path.join(dir, "state-moves.sh");
    fs.writeFileSync(
      script,
      stateMovesScript(
        [{ address: "openstack_identity_project_v3.x", from: "a", to: "b" }],
        [{ address: "terraform_data.x_quota", from: "a" }],
      ),
    );
    // WHEN it runs
    const r = spawnSync("sh", [script], {
      cwd: dir,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: "utf8",
    });
    // THEN the project is imported into b, and both are forgotten in a, which holds no state then
    expect(r.status).toBe(0);
    const calls = read(log);
    expect(calls).toContain("b import openstack_identity_project_v3.x p-1");
    expect(calls).toContain("a state rm openstack_identity_project_v3.x");
    expect(calls).toContain("a state rm terraform_data.x_quota");
    expect(calls).not.toContain("b import terraform_data");
  });

  test("synth refuses a layout change that moves state unless --move-state is given", async () => {
    // GIVEN a folder synthesized with one stack per tenant
    const dir = tmp();
    const out = path.join(dir, "out");
    expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
    const single = path.join(dir, "single.yaml");
    fs.writeFileSync(
      single,
      fs.readFileSync(EXAMPLE, "utf8").replace(/^output:\n/m, "output:\n  tenantStacks: single\n"),
    );
    // WHEN the same design is synthesized with all tenants in one stack
    const refused = await cli(["synth", single, "--out", out, "-q"]);
    // THEN nothing is written until the move is accepted
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--move-state");
    const addresses = path.join(out, "terraform", "addresses.json");
    const before = fs.readFileSync(addresses, "utf8");
    expect(fs.existsSync(path.join(out, "terraform", "tenant-core-banking"))).toBe(true);
    const accepted = await cli(["synth", single, "--out", out, "-q", "--move-state"]);
    expect(accepted.code).toBe(0);
    // (a quota set moved with per-volume-type quotas meets their trigger made anew, which
    // Terraform does not count: one apply with -replace sets them)
    expect(accepted.stderr).toContain(
      "openstack_blockstorage_quotaset_v3.core_banking_volume_quota moves to tenants with its per-volume-type quotas, which are set only when it is made: once terraform/state-moves.sh has run, apply tenants once with -replace=openstack_blockstorage_quotaset_v3.core_banking_volume_quota",
    );
    const scriptFile = path.join(out, "terraform", "state-moves.sh");
    const script = fs.readFileSync(scriptFile, "utf8");
    expect(script).toContain(
      "move 'openstack_identity_project_v3.core_banking' 'tenant-core-banking' 'tenants'",
    );
    // AND the stacks it moves from keep their configuration, which it runs terraform in, though
    // they hold no state here (a remote backend keeps it elsewhere)
    const source = path.join(out, "terraform", "tenant-core-banking", "cdk.tf.json");
    expect(fs.existsSync(source)).toBe(true);
    // AND a run killed before it put the new addresses in place is completed with the same script
    writeAsWritten(out, "terraform/addresses.json", before);
    const completed = await cli(["synth", single, "--out", out, "-q", "--move-state"]);
    expect(completed.code).toBe(0);
    expect(fs.readFileSync(scriptFile, "utf8")).toBe(script);
    // AND until it has run, the next synth keeps it and says so again
    const again = await cli(["synth", single, "--out", out]);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(scriptFile, "utf8")).toBe(script);
    expect(again.stderr).toContain("moved to another stack: run");
    expect(fs.existsSync(source)).toBe(true);
    // AND check says to run it before removing the folders it reads, not to remove them
    const checked = await cli(["check", single, "--terraform", out, "-f", "json"]);
    const pending = (JSON.parse(checked.stdout).findings as { target: string; fix: string }[])
      .filter((f) => f.target === "terraform/tenant-core-banking/cdk.tf.json")
      .map((f) => f.fix);
    expect(pending).toEqual([
      "run terraform/state-moves.sh (it removes itself when done), then remove the folder",
    ]);
    // AND another layout change on top of it is refused: the state is not where it would start
    const back = await cli(["synth", EXAMPLE, "--out", out, "-q", "--move-state"]);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain("state-moves.sh of an earlier layout change has not been run");
    // AND once it has run (it removes itself), synth writes none
    fs.rmSync(scriptFile);
    const after = await cli(["synth", single, "--out", out]);
    expect(after.code).toBe(0);
    expect(fs.existsSync(scriptFile)).toBe(false);
    expect(after.stderr).not.toContain("moved to another stack");
    // AND the stacks it moved from go with it
    expect(fs.existsSync(path.dirname(source))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("key pairs that change hands between admin and project credentials are recreated, not moved", async () => {
    // GIVEN a tenant with a key pair, synthesized with admin credentials
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (credentials: string) =>
      tenantA(credentials, { keyPairs: [{ name: "ops", publicKey: KEY }] });
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, spec("admin"));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the tenant's network moves to project credentials
    fs.writeFileSync(file, spec("project"));
    const moved = await cli(["synth", file, "--out", out, "-q", "--move-state"]);
    // THEN the network's state moves, the key pair is left to be created by the project's user
    expect(moved.code).toBe(0);
    const script = fs.readFileSync(path.join(out, "terraform", "state-moves.sh"), "utf8");
    expect(script).toContain(
      "move 'openstack_networking_network_v2.a_network' 'tenant-a' 'network-a'",
    );
    expect(script).not.toContain("openstack_compute_keypair_v2");
    expect(moved.stderr).toContain(
      "openstack_compute_keypair_v2.a_keypair_ops changes owner (tenant-a -> network-a): key pairs belong to the credentials' user, so network-a creates it anew and the next apply of tenant-a deletes the old one",
    );
    // AND back to admin credentials, the network stack leaves the design: its old key pair is
    // let go by hand, as no apply there ever comes
    fs.writeFileSync(file, spec("admin"));
    fs.rmSync(path.join(out, "terraform", "state-moves.sh"));
    const back = await cli(["synth", file, "--out", out, "-q", "--move-state"]);
    expect(back.stderr).toContain(
      "openstack_compute_keypair_v2.a_keypair_ops changes owner (network-a -> tenant-a): key pairs belong to the credentials' user, so tenant-a creates it anew and the old one stays in network-a's state, whose stack leaves the design: delete it with openstack keypair delete under the credentials that made it, and take it out of that state with terraform state rm",
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a stack the script moves from, written in the other format, holds one configuration", async () => {
    // GIVEN a tenant whose network the admin's stack holds, synthesized as JSON
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (credentials: string) => tenantA(credentials);
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, spec("admin"));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the network moves to the project's stack and the stacks are written as HCL
    fs.writeFileSync(file, spec("project"));
    const moved = await cli([
      "synth",
      file,
      "--out",
      out,
      "-q",
      "--move-state",
      "--terraform-format",
      "hcl",
    ]);
    // THEN tenant-a, which the script reads the network's state from, holds its HCL only:
    // Terraform refuses a folder that declares everything twice
    expect(moved.code).toBe(0);
    expect(fs.readFileSync(path.join(out, "terraform", "state-moves.sh"), "utf8")).toContain(
      "'tenant-a' 'network-a'",
    );
    const stack = path.join(out, "terraform", "tenant-a");
    expect(fs.readdirSync(stack).filter((f) => f.startsWith("cdk.tf"))).toEqual(["cdk.tf"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test("a layout change is named in one refusal with the plan's other changes", async () => {
  // GIVEN a folder of the example, and the example with one stack for all tenants and a web
  // host more (which moves the hosts planned after it)
  const dir = tmp();
  const out = path.join(dir, "out");
  expect((await cli(["synth", EXAMPLE, "--out", out, "-q"])).code).toBe(0);
  const changed = path.join(dir, "changed.yaml");
  fs.writeFileSync(
    changed,
    fs
      .readFileSync(EXAMPLE, "utf8")
      .replace(/^output:\n/m, "output:\n  tenantStacks: single\n")
      .replace(
        /(- name: web\n(?: {8}.*\n)*? {8}hosts: )(\d+)/,
        (_, a, n) => `${a}${Number(n) + 1}`,
      ),
  );
  // WHEN it is synthesized into the folder
  const refused = await cli(["synth", changed, "--out", out, "-q"]);
  // THEN both are named at once
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain("2 changes need a decision first:");
  expect(refused.stderr).toContain("the previous synth planned new addresses");
  expect(refused.stderr).toContain("the new stack layout moves");
  fs.rmSync(dir, { recursive: true, force: true });
});
