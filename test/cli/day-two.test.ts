import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import {
  cephAtSites,
  cephCluster,
  erasureCodedCeph,
  erasureCodedStorage,
  load,
  lvmBesideCeph,
  swiftAtTwoSites,
  swiftCluster,
  twoClassCeph,
  variant,
  withOctavia,
} from "../support/fixtures";
import {
  destroyedByApply,
  droppedComputeHosts,
  neutronPlumbingChanges,
  joinedNetworks,
  keystoneGroupsAhead,
  newPoolTenants,
  legacyAttachmentChange,
  legacyBridgeMoved,
  swiftPartitionPowerChange,
  swiftPolicyChanges,
  swiftDeviceChanges,
  swiftRingChanges,
  backupPolicyChange,
  cephProtectionChange,
  droppedServices,
  servicesLeavingData,
  metricStoreChange,
  valkeyChange,
  octaviaHeartbeatKeyed,
  directoryChanges,
  directorySchemaChanges,
  droppedFlavors,
  droppedLegacyShares,
  gainedLegacyGroups,
  loweredQuotas,
  serverGroupChanges,
  movedGrants,
  movedMonitors,
  movedVolumeServices,
  firewallAdded,
  firewallDropped,
  firewallRulesDropped,
  firewallRulesWithdrawn,
  rekeyedSshSources,
  shrunkClusters,
  backupTargetChange,
  externalTlsOn,
  dbDevicesNarrowed,
  dbDevicesChanged,
  crushChanges,
  newCephHosts,
  swiftPlacesMoved,
  defaultVolumeTypeChange,
  respeltLocalState,
  respellLocalState,
  octaviaTopologyChange,
  privatizedVolumeTypes,
  changedHostConfig,
  newlyProvisioned,
  newComputeHosts,
  newKollaHosts,
  deploymentChanges,
  newProviderVlans,
  droppedLegacyRoutes,
  newDirectoryDomains,
  serverChanges,
  pgNumChanges,
  pinnedHosts,
  renumberedBlocks,
  newHostPins,
  planOf,
  legacyGatewayLeft,
  renumberedHosts,
} from "../../cli/day-two";
import { withLegacyFlows } from "../support/legacy";
import { BIN, cli, tmp, writeAsWritten } from "../support/cli";
import { kollaTags } from "../../cli/commands/synth";
import { sha256 } from "../../cli/manifest";
import { loadSpecFile } from "../../model/load";
import { ROOT } from "../support/blueprints";
import { spawnSync } from "child_process";
import { artifactFiles } from "../../cli/pipeline";
import { parseCephCommands } from "../support/consumers";

/** Each node's addresses from a synth's model.json. */
const addressesOf = (out: string): Record<string, Record<string, string>> =>
  Object.fromEntries(
    (
      JSON.parse(fs.readFileSync(path.join(out, "model.json"), "utf8")).nodes as {
        name: string;
        addresses: Record<string, string>;
      }[]
    ).map((n) => [n.name, n.addresses]),
  );

/** A scratch output folder and the spec file beside it. */
const outputFolder = () => {
  const dir = tmp();
  return { out: path.join(dir, "out"), file: path.join(dir, "spec.json") };
};

/** The base design with Swift on six nodes and these storage policies. */
const swiftPolicies = (policies: object[]) =>
  variant((s) => {
    s.controlPlane.services.push("swift");
    s.storage = { swift: swiftCluster({ storageNodes: 6, policies }) };
  });

describe("synth after the cloud is built", () => {
  test("a change to services' own overrides names the Kolla tags a reconfigure needs", async () => {
    // GIVEN a built design
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const write = (edit: (s: any) => void) => fs.writeFileSync(file, JSON.stringify(variant(edit)));
    write(() => undefined);
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN a pool's allocation ratio changes (its hosts' nova.conf)
    write((s) => (s.zones[0].pools[0].cpuAllocationRatio = 2));
    const ratio = await cli(["synth", file, "--out", out, "--no-quiet"]);
    // THEN the reconfigure is limited to Nova
    expect(ratio.stderr).toContain(
      "kolla-ansible reconfigure -i deploy/kolla/inventory --tags nova (deploy where",
    );
    // AND a change to globals.yml (a service switched on) reconfigures everything
    write((s) => {
      s.zones[0].pools[0].cpuAllocationRatio = 2;
      s.controlPlane.services.push("heat");
    });
    const service = await cli(["synth", file, "--out", out, "--no-quiet"]);
    expect(service.stderr).toContain(
      "kolla-ansible reconfigure -i deploy/kolla/inventory (deploy where",
    );
    expect(
      kollaTags([
        "config/cinder.conf",
        "config/cinder/ctl-1/cinder.conf",
        "config/haproxy/services.d/a.cfg",
      ]),
    ).toBe(" --tags cinder,haproxy");
    expect(kollaTags(["config/global.conf"])).toBe("");
  });

  test("refuses a design that renames a server the bare-metal stack provisioned", async () => {
    // GIVEN a folder synthesized from a design whose servers the undercloud provisions
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (hostnames: string[]) =>
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.controlPlane.hostnames = hostnames;
      });
    fs.writeFileSync(file, JSON.stringify(spec(["ctl-a", "ctl-b", "ctl-c"])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN a controller is renamed (--renumber: the new name takes its own addresses)
    fs.writeFileSync(file, JSON.stringify(spec(["ctl-a", "ctl-b", "ctl-z"])));
    const refused = await cli(["synth", file, "--out", out, "-q", "--renumber"]);
    // THEN synth refuses: the bare-metal stack would delete ctl-c and provision another server
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "the next apply would destroy or replace it: server ctl-c (the bare-metal stack deletes it on the undercloud)",
    );
    // (cited where the spec names the controllers, not the zones)
    expect(refused.stderr).toMatch(/spec\.json:1:\d+ controlPlane: the previous synth planned/);
    expect(
      (await cli(["synth", file, "--out", out, "-q", "--renumber", "--destroy-removed"])).code,
    ).toBe(0);
  });

  test("says the gateways' CA bundle must exist on their hosts before cluster.yaml mounts it anew", async () => {
    // GIVEN a folder whose cluster.yaml ran the RADOS Gateways without the mount (an earlier
    // version wrote it so)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(
      file,
      JSON.stringify(
        variant((s) => {
          s.controlPlane.services.push("swift");
          s.storage = {
            ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
            image: { backend: "ceph" },
          };
        }),
      ),
    );
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const cluster = path.join(out, "deploy/ceph/cluster.yaml");
    const mounted = fs.readFileSync(cluster, "utf8");
    expect(mounted).toContain("/etc/ceph/rgw-ca-bundle.pem");
    // WHEN synthesized again over it as it is THEN nothing is said
    const again = await cli(["synth", file, "--out", out, "-q"]);
    expect(again.stderr).not.toContain("mounts each gateway host's CA bundle");
    // WHEN the previous cluster.yaml had no mount THEN the note says what to do first
    writeAsWritten(
      out,
      "deploy/ceph/cluster.yaml",
      mounted.replace(/^extra_container_args:\n(?: {2}- .*\n)+/m, ""),
    );
    expect(fs.readFileSync(cluster, "utf8")).not.toContain("rgw-ca-bundle");
    const first = await cli(["synth", file, "--out", out, "-q"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      "deploy/ceph/cluster.yaml now mounts each gateway host's CA bundle (/etc/ceph/rgw-ca-bundle.pem)",
    );
  });

  test("says that the platform apply may stop while Neutron applies the withdrawn rules one by one", async () => {
    // GIVEN a folder synthesized with two admin networks, whose rules a tenant router holds
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (adminCidrs: string[]) =>
      variant((s) => {
        s.controlPlane.services.push("fwaas");
        s.securityZones = { ...s.securityZones, firewall: true, adminCidrs };
        // (SSH from both admin networks: its router holds their platform rules)
        s.tenants = [
          {
            name: "a",
            network: { cidr: "10.40.1.0/24" },
            sshCidrs: ["10.9.100.0/24", "10.9.101.0/24"],
          },
        ];
      });
    fs.writeFileSync(file, JSON.stringify(spec(["10.9.100.0/24", "10.9.101.0/24"])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN one admin network leaves (its SSH and ICMP rules go from the router's policy)
    fs.writeFileSync(file, JSON.stringify(spec(["10.9.100.0/24"])));
    const run = await cli(["synth", file, "--out", out, "-q"]);
    // THEN the note names the rules and Neutron's refusal of the second removal, and the retry
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("admin-ssh-10.9.101.0/24: a; admin-icmp-10.9.101.0/24: a");
    expect(run.stderr).toContain(
      "(409 FirewallGroupInPendingState): if the platform apply stops so, run it again, it goes on where it stopped",
    );
  });

  test("refuses a single database where Kolla runs a Galera cluster, unless asked", async () => {
    // GIVEN a folder synthesized from three controllers with Galera
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (database: string) =>
      variant((s) => {
        s.controlPlane.database = database;
        s.suppressions = [{ rule: "SW-HA-004", reason: "a single database, on purpose" }];
      });
    fs.writeFileSync(file, JSON.stringify(spec("galera")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the database becomes single
    fs.writeFileSync(file, JSON.stringify(spec("single")));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses, naming the cluster and how to keep describing it
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /MariaDB \(Galera\) ran as a cluster on \S+, \S+, \S+, and this design runs it on \S+ alone/,
    );
    expect(refused.stderr).toContain("set controlPlane.database: galera");
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
  });

  test("refuses moving cinder-backup off the target holding its backups, and says what to do when asked", async () => {
    // GIVEN a folder synthesized with Ceph volumes and backups in Swift
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (backup: boolean) =>
      variant((s) => {
        s.controlPlane.services.push("swift");
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          swift: swiftCluster(),
          ...(backup ? { backup: { service: "swift" } } : {}),
        };
      });
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN storage.backup goes, which sends backups to Ceph
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses: Cinder restores a backup only with the driver that took it
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("cinder-backup moves from swift to ceph");
    // AND accepting it says what becomes of the Swift backups
    const done = await cli(["synth", file, "--out", out, "-q", "--destroy-removed"]);
    expect([done.code, done.stderr]).toEqual([
      0,
      expect.stringContaining(
        "the backups it took in Swift can no longer be restored or deleted through Cinder",
      ),
    ]);
  });

  test("a refused run says nothing of the changes it did not make", async () => {
    // GIVEN a folder synthesized with one volume type, and a file of the user's where the next
    // run would write a new tenant's stack
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (types: string[], tenants: string[]) =>
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: types.map((t) => ({ name: `rbd-${t}`, kind: "ceph", volumeType: t })),
        };
        s.tenants = tenants.map((name) => ({ name }));
      });
    fs.writeFileSync(file, JSON.stringify(spec(["standard"], ["a"])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.mkdirSync(path.join(out, "terraform/tenant-b"), { recursive: true });
    fs.writeFileSync(path.join(out, "terraform/tenant-b/cdk.tf.json"), "{}");
    // WHEN the next design changes the default volume type and adds tenant b
    fs.writeFileSync(file, JSON.stringify(spec(["fast", "standard"], ["a", "b"])));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN the run is refused for the user's file, and the default type's note is not printed
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toContain("default volume type");
    // AND once the file is gone, the note comes with the written output
    fs.rmSync(path.join(out, "terraform/tenant-b"), { recursive: true });
    const done = await cli(["synth", file, "--out", out, "-q"]);
    expect([done.code, done.stderr]).toEqual([
      0,
      expect.stringContaining("Cinder's default volume type changes from standard to fast"),
    ]);
  });

  test("the firewall leaving with neutron-fwaas says the stacks go before the deploy stage drops it", async () => {
    // GIVEN a folder synthesized with tenant routers behind the firewall
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (firewall: boolean) =>
      variant((s) => {
        s.securityZones.firewall = firewall;
        if (!firewall)
          s.controlPlane.services = s.controlPlane.services.filter((x: string) => x !== "fwaas");
        s.tenants = [{ name: "a", network: { cidr: "10.40.1.0/24" } }];
      });
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the firewall and neutron-fwaas leave the design
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const next = await cli(["synth", file, "--out", out, "--no-quiet"]);
    // THEN the order is named: tenant stacks, platform, and only then the deploy stage
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(
      "the firewall leaves the design: apply every tenant stack (and each tenant's network stack, with project credentials) before the platform stack this time, as their firewall groups use the platform's policies and Neutron deletes no policy a group uses (FirewallPolicyInUse); and both before the deploy stage drops neutron-fwaas: without it Terraform forgets the groups instead of deleting them, and their rules stay on the routers (with OVN, as ACLs in its database that nothing removes)",
    );
  });

  test("local state spelt ../<stack>/terraform.tfstate by a previous version is respelt, kept stacks too, and named", async () => {
    // GIVEN a folder an earlier version wrote: its stacks spell their local state the old way,
    // and tenant b's stack holds state
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (tenants: string[]) =>
      variant((s) => (s.tenants = tenants.map((name) => ({ name }))));
    fs.writeFileSync(file, JSON.stringify(spec(["a", "b"])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    for (const stack of ["platform", "tenant-b"]) {
      const rel = `terraform/${stack}/cdk.tf.json`;
      const tf = JSON.parse(fs.readFileSync(path.join(out, rel), "utf8"));
      tf.terraform.backend.local.path = `../${stack}/terraform.tfstate`;
      writeAsWritten(out, rel, JSON.stringify(tf));
    }
    fs.writeFileSync(path.join(out, "terraform", "tenant-b", "terraform.tfstate"), "{}\n");
    expect(respeltLocalState(out, load(spec(["a"])).model)).toEqual(["platform", "tenant-b"]);
    // WHEN synthesized again without tenant b, whose stack stays for its state
    fs.writeFileSync(file, JSON.stringify(spec(["a"])));
    const next = await cli(["synth", file, "--out", out, "--no-quiet", "--destroy-removed"]);
    // THEN both spell it as Terraform's default, the kept stack in place, and -reconfigure is
    // named for both (with the old spelling it would have emptied the state)
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(
      "the local state of platform, tenant-b is now named terraform.tfstate, Terraform's default, in each stack's folder",
    );
    expect(next.stderr).toContain("run terraform init -reconfigure once in each of those folders");
    expect(respeltLocalState(out, load(spec(["a"])).model)).toEqual([]);
    const kept = path.join(out, "terraform", "tenant-b", "cdk.tf.json");
    expect(JSON.parse(fs.readFileSync(kept, "utf8")).terraform.backend.local.path).toBe(
      "terraform.tfstate",
    );
    // AND it is still Stackwright's (not taken for your edit): once the state goes, it goes too
    fs.rmSync(path.join(out, "terraform", "tenant-b", "terraform.tfstate"));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    expect(fs.existsSync(kept)).toBe(false);
    // AND the respelling touches only the stack's own state, not what it reads of others
    expect(
      respellLocalState(
        "terraform/tenant-b/cdk.tf",
        'backend "local" {\n  path = "../tenant-b/terraform.tfstate"\n}\nconfig = { path = "../platform/terraform.tfstate" }\n',
      ),
    ).toBe(
      'backend "local" {\n  path = "terraform.tfstate"\n}\nconfig = { path = "../platform/terraform.tfstate" }\n',
    );
    expect(respellLocalState("terraform/tenant-b/README.md", "../tenant-b/terraform.tfstate")).toBe(
      undefined,
    );
  });

  test("refuses a design that points a Cinder backend at another Ceph pool than its volumes are in", async () => {
    // GIVEN a folder synthesized from a design with an ssd and an hdd volumes pool, the backend
    // on the ssd one
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (backendClass: string) =>
      twoClassCeph(
        {
          deviceClass: "hdd",
          pools: [
            { name: "fast", application: "volumes", dataShare: 0.3, deviceClass: "ssd" },
            { name: "volumes", application: "volumes", dataShare: 0.4, deviceClass: "hdd" },
            { name: "images", application: "images", dataShare: 0.3 },
          ],
        },
        [{ name: "ceph", kind: "ceph", volumeType: "standard", deviceClass: backendClass }],
      );
    fs.writeFileSync(file, JSON.stringify(spec("ssd")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const before = fs.readFileSync(path.join(out, "deploy/kolla/globals.yml"), "utf8");
    // WHEN the backend's class changes, so Kolla's cinder.conf would name the other pool
    fs.writeFileSync(file, JSON.stringify(spec("hdd")));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses (exit 2), writes nothing, and names the data and both pools
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "this design points services at other Ceph pools than the previous synth: the volumes of Cinder backend ceph are in fast, not volumes;",
    );
    expect(fs.readFileSync(path.join(out, "deploy/kolla/globals.yml"), "utf8")).toBe(before);
    // AND --destroy-removed takes it (nothing stored yet)
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
  });

  test("a previous plan the manifest lists but the folder lost is refused, not taken as a new folder", async () => {
    // GIVEN a folder synthesized from a design, then a tenant renamed (its project would go)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    const design = (id: string) =>
      stringify(variant((s) => (s.tenants = [{ name: "Core Banking", id }])));
    fs.writeFileSync(file, design("core"));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(file, design("core2"));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(2);
    const model = path.join(out, "model.json");
    // WHEN model.json is deleted, or emptied of its plan, or a host's address is no address
    const refusedWith = async (content: string | undefined) => {
      if (content === undefined) fs.rmSync(model);
      else fs.writeFileSync(model, content);
      const r = await cli(["synth", file, "--out", out, "-q"]);
      return [r.code, r.stderr.split("\n")[0]];
    };
    const plan = fs.readFileSync(model, "utf8");
    // THEN synth refuses, naming the file, and writes nothing
    expect(await refusedWith(undefined)).toEqual([
      2,
      `error: ${model} is missing, while the folder's stackwright.json lists it: synth compares each run with the plan it holds to keep the running cloud's hosts, projects and data (a renamed tenant would destroy its project); restore it from version control or a backup; else pass --renumber and --destroy-removed to take this design's plan unchecked`,
    ]);
    expect(fs.existsSync(path.join(out, "terraform", "tenant-core2"))).toBe(false);
    expect((await refusedWith("{}"))[1]).toContain(`${model} holds no plan (its nodes and pools)`);
    expect((await refusedWith("{"))[1]).toContain(`${model} is no JSON`);
    // AND a host address edited into none is read as no address: the run stops at the edit, not
    // inside the day-2 checks
    fs.writeFileSync(file, design("core"));
    const damaged = JSON.parse(plan);
    damaged.nodes[0].addresses = Object.fromEntries(
      Object.keys(damaged.nodes[0].addresses).map((k) => [k, "10.0.0.256"]),
    );
    const [code, first] = await refusedWith(JSON.stringify(damaged));
    expect([code, first]).toEqual([
      2,
      `error: --out ${out}: ${model} changed since Stackwright wrote it: it is the plan synth compares each run with to keep the running cloud's hosts, projects and data; restore it as written (from version control or a backup), or delete it and pass --renumber and --destroy-removed to take this design's plan unchecked`,
    ]);
    // AND deleted, with both flags, the design's plan is taken as it is
    fs.rmSync(model);
    fs.writeFileSync(file, design("core2"));
    expect(
      (await cli(["synth", file, "--out", out, "-q", "--renumber", "--destroy-removed"])).code,
    ).toBe(0);
    expect(fs.existsSync(path.join(out, "terraform", "tenant-core2"))).toBe(true);
  });

  test("racks narrowed under running hosts say to name them again for the offered entries to hold", async () => {
    // GIVEN a folder of the base design, its controllers over r1, r2, r3
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(variant(() => undefined)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the controllers are kept to r1
    fs.writeFileSync(file, stringify(variant((s) => (s.controlPlane.racks = ["r1"]))));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN the refusal says the racks list must name their racks again
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "controlPlane.racks no longer names the racks r2, r3 where ctrl-02, ctrl-03 stand: name them there again for the entries below to hold.",
    );
    // (at the list's line, with one space after the sentence before)
    expect(refused.stderr).toMatch(/spec\.yaml:\d+:\d+ controlPlane\.racks: this design/);
    expect(refused.stderr).toContain("wrong. controlPlane.racks no longer");
  });

  test("a rack the spec's own entry moves is the user's move: --renumber takes it, no pins offered", async () => {
    // GIVEN a folder synthesized from a design, and the first web host pinned into another rack
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(variant(() => undefined)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const model = JSON.parse(fs.readFileSync(path.join(out, "model.json"), "utf8"));
    const host = model.nodes.find((n: any) => n.name === "az1-web-01");
    const other = ["r1", "r2", "r3"].find((r) => r !== host.rack)!;
    const moved = stringify(variant((s) => (s.hosts = [{ name: "az1-web-01", rack: other }])));
    fs.writeFileSync(file, moved);
    const line = moved.split("\n").findIndex((l) => l.includes(`rack: ${other}`)) + 1;
    // THEN synth asks whether the server was moved, and offers no entries to undo it
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file}:${line}:`);
    expect(refused.stderr).toContain(
      ` hosts[0].rack: hosts: in the spec puts 1 host the previous synth planned in other racks (az1-web-01 ${host.rack} -> ${other}): if the server was moved there, pass --renumber once the hosts the placement moves with it are kept where they stand (the entries below); else set the rack back in hosts:`,
    );
    // (a host the move displaces is the placement's, named apart, with entries that keep the
    // user's move: merged and passed --renumber, they leave every host where it stands)
    expect(refused.stderr).not.toMatch(/places it, puts [^(]*\(az1-web-01 /);
    expect(refused.stderr).toContain("as this version of Stackwright places it");
    const pins = parse(refused.stderr.slice(refused.stderr.lastIndexOf("\nhosts:"))) as {
      hosts: { name: string; rack?: string }[];
    };
    expect(pins.hosts.find((h) => h.name === "az1-web-01")?.rack).toBe(other);
    fs.writeFileSync(file, stringify(variant((s) => (s.hosts = pins.hosts))));
    const kept = await cli(["synth", file, "--out", out, "-q", "--renumber"]);
    expect(kept.code).toBe(0);
    const after = JSON.parse(fs.readFileSync(path.join(out, "model.json"), "utf8"));
    for (const n of model.nodes.filter((x: any) => x.rack && x.name !== "az1-web-01"))
      expect([n.name, after.nodes.find((x: any) => x.name === n.name).rack]).toEqual([
        n.name,
        n.rack,
      ]);
  });

  test("refuses moving a running legacy router off the bridge subnet's gateway, and says how to keep it", async () => {
    // GIVEN a folder whose legacy router holds the bridge subnet's gateway, as earlier versions made it
    const { out, file: json } = outputFolder();
    const file = json.replace(/\.json$/, ".yaml");
    const spec = (subnetGateway?: boolean) =>
      stringify(
        variant((s) => {
          withLegacyFlows(s, [
            { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"] },
          ]);
          if (subnetGateway !== undefined) s.legacyUnix.subnetGateway = subnetGateway;
        }),
      );
    fs.writeFileSync(file, spec(true));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the spec leaves the setting to its default (the router on a port of its own)
    const moved = spec();
    fs.writeFileSync(file, moved);
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses at legacyUnix, where the setting would be written, and says how to keep it
    expect(refused.code).toBe(2);
    const line = moved.split("\n").findIndex((l) => l.startsWith("legacyUnix:")) + 1;
    expect(refused.stderr).toContain(
      `${file}:${line}:1 legacyUnix: the legacy router leaves the bridge subnet's gateway for a port of its own at the same address, so DHCP stops offering the bridge ports a default route through it: its interface is replaced, which Neutron refuses while its routes to the legacy subnets use it`,
    );
    expect(refused.stderr).toContain(
      "Set legacyUnix.subnetGateway: true to keep the router as it runs",
    );
    // AND the setting keeps the folder as it was
    fs.writeFileSync(file, spec(true));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
  });

  test("a refusal names the deepest path the spec writes: a setting left to its default, its section", async () => {
    // GIVEN a folder of an erasure-coded Ceph, and the design without its protection (replicated
    // by default)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(variant((s) => (s.storage = erasureCodedStorage()))));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const replicated = stringify(
      variant((s) => {
        s.storage = erasureCodedStorage();
        delete s.storage.ceph.protection;
      }),
    );
    fs.writeFileSync(file, replicated);
    // THEN the refusal stands at storage.ceph, where the spec would write it, on its line
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    expect(refused.code).toBe(2);
    const line = replicated.split("\n").findIndex((l) => l.startsWith("  ceph:")) + 1;
    expect(refused.stderr).toContain(
      `${file}:${line}:3 storage.ceph: Ceph's protection changes from erasure-coded 4+2 to replicated 3`,
    );
  });

  test("refuses a design that renumbers running hosts, and says how to keep them", async () => {
    // GIVEN a folder synthesized from a design, and the same design with two more web hosts,
    // which come before others in the IP plan
    const dir = tmp();
    const out = path.join(dir, "out");
    const write = (name: string, spec: object) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify(spec));
      return file;
    };
    const first = write(
      "first.json",
      variant(() => undefined),
    );
    expect((await cli(["synth", first, "--out", out, "-q"])).code).toBe(0);
    const before = addressesOf(out);
    const grown = variant((s) => (s.zones[0].pools[0].hosts += 2));
    // WHEN it is synthesized into the same folder
    const refused = await cli(["synth", write("grown.json", grown), "--out", out, "-q"]);
    // THEN it is refused (exit 2), nothing written, and the message names a moved host and
    // gives the hosts: entries that keep every running host where it is
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the previous synth planned new addresses \([a-z0-9-]+ \w+ /);
    expect(addressesOf(out)).toEqual(before);
    const pins = parse(refused.stderr.slice(refused.stderr.lastIndexOf("\nhosts:"))) as {
      hosts: { name: string; addresses: Record<string, string> }[];
    };
    expect(Object.fromEntries(pins.hosts.map((h) => [h.name, h.addresses]))).toEqual(before);
    // AND with those entries the running hosts keep their addresses and the new ones take free
    // addresses
    const pinned = write("pinned.json", { ...grown, hosts: pins.hosts });
    const accepted = await cli(["synth", pinned, "--out", out, "--no-quiet"]);
    expect(accepted.code).toBe(0);
    const after = addressesOf(out);
    // AND the two new hosts are named with the entries that keep them where they are planned,
    // so the next growth can pin them too
    expect(accepted.stderr).toMatch(/2 hosts new to this folder \(az1-web-0\d, az1-web-0\d\)/);
    const block = accepted.stderr.slice(accepted.stderr.lastIndexOf("\nhosts:") + 1).split("\n");
    const end = block.findIndex((l, i) => i > 0 && !l.startsWith(" "));
    const fresh = parse(block.slice(0, end).join("\n")) as {
      hosts: { name: string; addresses: Record<string, string> }[];
    };
    expect(Object.fromEntries(fresh.hosts.map((h) => [h.name, h.addresses]))).toEqual(
      Object.fromEntries(Object.entries(after).filter(([h]) => !(h in before))),
    );
    for (const [host, addresses] of Object.entries(before)) expect(after[host]).toEqual(addresses);
    const taken = new Set(Object.values(before).flatMap((a) => Object.values(a)));
    const added = Object.keys(after).filter((h) => !(h in before));
    expect(added).toHaveLength(2);
    for (const h of added)
      for (const a of Object.values(after[h])) expect(taken.has(a)).toBe(false);
    // AND a design not built yet takes the new plan with --renumber
    const other = path.join(dir, "other");
    expect((await cli(["synth", first, "--out", other, "-q"])).code).toBe(0);
    const renumbered = await cli([
      "synth",
      path.join(dir, "grown.json"),
      "--out",
      other,
      "--renumber",
    ]);
    expect(renumbered.code).toBe(0);
  });

  test("refuses a flavor's change of visibility, which Nova can only replace, unless told to", async () => {
    // GIVEN a private flavor that one tenant lists
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (listed: boolean) =>
      variant((s) => {
        s.zones[0].pools[0].flavors = [{ name: "web-4", vcpus: 4, ramGiB: 8 }];
        s.tenants = [{ name: "a", ...(listed ? { flavors: ["web-4"] } : {}) }];
      });
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the tenant stops listing it
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const run = await cli(["synth", file, "--out", out]);
    // THEN synth refuses: it would become public, with a new id, for every project
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "flavor web-4 of pool az1-web becomes public (no tenant lists it now): Nova replaces it with a new id",
    );
    expect(run.stderr).toContain(
      "set public: false on it to keep it private. Keep each flavor's visibility as its note says, or pass --destroy-removed if the replacement is meant",
    );
    // AND goes on when told, saying it again
    const told = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    expect(told.code).toBe(0);
    expect(told.stderr).toContain("flavor web-4 of pool az1-web becomes public");
  });

  test("names every change that needs a decision at once, and what --destroy-removed accepted", async () => {
    // GIVEN two tenants in one stack, one of them the only one listing a private flavor
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (both: boolean) =>
      variant((s) => {
        s.output = { tenantStacks: "single" };
        s.zones[0].pools[0].flavors = [{ name: "db-16", vcpus: 16, ramGiB: 64 }];
        s.tenants = [
          { name: "a", network: { cidr: "172.30.0.0/24" } },
          ...(both ? [{ name: "b", flavors: ["db-16"], network: { cidr: "172.30.1.0/24" } }] : []),
        ];
      });
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN that tenant leaves the design: its flavor turns public, and its project goes
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const refused = await cli(["synth", file, "--out", out]);
    // THEN both are named in one refusal (the flavor alone hid the project's destruction)
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("2 changes need a decision first:");
    // (each at the spec's line and path that makes it, where the spec still has one)
    expect(refused.stderr).toMatch(
      / {2}1\. \S+spec\.json:1:\d+ zones\[0\]\.pools\[0\]\.flavors\[0\]: flavor db-16 of pool az1-web becomes public/,
    );
    expect(refused.stderr).toMatch(
      / {2}2\. \S+spec\.json:1:\d+ tenants: the previous synth planned what this design drops.*tenant b/,
    );
    // AND told to go on, it says what the next apply destroys
    const told = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    expect(told.code).toBe(0);
    expect(told.stderr).toMatch(
      /warning: accepted with --destroy-removed: the previous synth planned what this design drops, and the next apply would destroy or replace it: .*tenant b/,
    );
  });

  test("a new naming prefix that renames the hosts' domain and Cinder's cluster is refused", async () => {
    // GIVEN a Ceph backend on the three controllers (an active/active cluster named by the
    // prefix) and a domain derived from the prefix
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (prefix: string, domain?: string) =>
      variant((s) => {
        s.output = { namingPrefix: prefix };
        if (domain) s.network.domain = domain;
        s.storage = {
          backends: [{ name: "ceph", kind: "ceph", volumeType: "standard" }],
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
        };
      });
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(spec("efg")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const model = JSON.parse(fs.readFileSync(path.join(out, "model.json"), "utf8"));
    // WHEN the prefix changes
    fs.writeFileSync(file, JSON.stringify(spec("efb")));
    const refused = await cli(["synth", file, "--out", out]);
    // THEN both renames are named, with how to keep the old names
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("the hosts' domain changes from efg.internal to efb.internal");
    expect(refused.stderr).toContain("Keep the names with network.domain: efg.internal");
    expect(model.deploy.cinder.volumeHosts).toEqual({ mode: "cluster", cluster: "efg-volume" });
    expect(refused.stderr).toContain(
      "Cinder's active/active cluster changes from efg-volume to efb-volume",
    );
    // AND with the old domain kept and the prefix back, nothing is refused
    fs.writeFileSync(file, JSON.stringify(spec("efg", "efg.internal")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
  });

  test("state moving to another backend is named: init must migrate it, and local copies go", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const synth = (backend?: unknown) => {
      fs.writeFileSync(file, JSON.stringify(variant((s) => backend && (s.output = { backend }))));
      return cli(["synth", file, "--out", out]);
    };
    expect((await synth()).code).toBe(0);
    // WHEN local state moves to an http backend
    const http = { type: "http", address: "https://state.example.com/tf" };
    const moved = await synth(http);
    // THEN synth says how, and that the local files keep their copy
    expect(moved.code).toBe(0);
    expect(moved.stderr).toContain(
      "the stacks' state moves from the local backend to http: in every stack's folder, before any plan, run terraform init -migrate-state",
    );
    expect(moved.stderr).toContain("delete each folder's terraform.tfstate");
    // (a design without a legacy VPN has no pre-shared key to name)
    expect(moved.stderr).not.toContain("pre-shared key");
    // AND the same backend again says nothing; another address of it is a move too
    expect((await synth(http)).stderr).not.toContain("state moves");
    expect((await synth({ ...http, address: "https://state2.example.com/tf" })).stderr).toContain(
      "the stacks' state moves to another http backend",
    );
    // (a backend of several settings, as model.json writes them in another order, is the same)
    const s3 = { type: "s3", bucket: "tfstate", endpoint: "https://rgw.example.com", region: "r1" };
    expect((await synth(s3)).stderr).toContain("from the http backend to s3");
    expect((await synth(s3)).stderr).not.toContain("state moves");
  });

  test("refuses to drop what an apply would destroy with its data, unless told to", async () => {
    // GIVEN two tenants sharing one stack, one with a group of Keystone's own (Default domain)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (tenants: string[]) =>
      variant((s) => {
        s.tenants = tenants.map((name) => ({
          name,
          stack: "shared",
          groups: [{ name: `${name}-ops`, role: "member" }],
        }));
      });
    fs.writeFileSync(file, JSON.stringify(spec(["a", "b"])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const before = fs.readFileSync(path.join(out, "model.json"), "utf8");
    // WHEN tenant b leaves the design (its stack stays, holding a)
    fs.writeFileSync(file, JSON.stringify(spec(["a"])));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses (exit 2) and writes nothing: the shared stack's apply would delete b's
    // project with its network, and the platform's b-ops group with its members
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "the next apply would destroy or replace it: Keystone group b-ops of domain default (and its members); tenant b (its project, network and access in stack shared)",
    );
    expect(fs.readFileSync(path.join(out, "model.json"), "utf8")).toBe(before);
    // AND --destroy-removed takes the design as it is
    const accepted = await cli(["synth", file, "--out", out, "-q", "--destroy-removed"]);
    expect(accepted.code).toBe(0);
    // AND a group spelt in another case is the same group, renamed in place (same address)
    fs.writeFileSync(
      file,
      JSON.stringify(
        variant((s) => {
          s.tenants = [{ name: "a", stack: "shared", groups: [{ name: "A-Ops", role: "member" }] }];
        }),
      ),
    );
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
  });

  test("refuses a tenant renamed without an id: its id, stack and project would be new", async () => {
    // GIVEN a tenant whose id comes from its name
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (name: string, id?: string) =>
      variant(
        (s) => (s.tenants = [{ name, ...(id ? { id } : {}), network: { cidr: "172.30.0.0/24" } }]),
      );
    fs.writeFileSync(file, JSON.stringify(spec("Acme Retail")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN it is renamed
    fs.writeFileSync(file, JSON.stringify(spec("Acme Retail Group")));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses and says which id keeps the project
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "tenant acme-retail, which acme-retail-group replaces on network 172.30.0.0/24 (a new project; set id: acme-retail on it to keep the old one)",
    );
    // AND with the old id the rename is a rename
    fs.writeFileSync(file, JSON.stringify(spec("Acme Retail Group", "acme-retail")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
  });

  test("a tenant given again the id of one whose folder kept its state is checked against that one's plan", async () => {
    // GIVEN a tenant whose stack was applied (its folder holds state)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const tenant = { name: "Core Banking", id: "core-banking", network: { cidr: "172.30.0.0/24" } };
    const spec = (tenants: unknown[]) => variant((s) => (s.tenants = tenants));
    const synth = (tenants: unknown[], ...more: string[]) => {
      fs.writeFileSync(file, JSON.stringify(spec(tenants)));
      return cli(["synth", file, "--out", out, "-q", ...more]);
    };
    expect((await synth([tenant])).code).toBe(0);
    const state = path.join(out, "terraform", "tenant-core-banking", "terraform.tfstate");
    fs.writeFileSync(state, '{"version": 4}\n');
    // WHEN it leaves the design, refused first (the platform's apply would strand its stack),
    // then twice as the run is told (its folder stays beside the state)
    const dropped = await synth([]);
    expect([dropped.code, dropped.stderr]).toEqual([
      2,
      expect.stringContaining(
        "stack tenant-core-banking leaves the design while its folder holds Terraform state",
      ),
    ]);
    expect(fs.readFileSync(state, "utf8")).toBe('{"version": 4}\n');
    expect((await synth([], "--destroy-removed")).code).toBe(0);
    // (kept once, it is told of on later runs, not refused again)
    expect((await synth([])).code).toBe(0);
    const manifest = () => JSON.parse(fs.readFileSync(path.join(out, "stackwright.json"), "utf8"));
    expect(Object.keys(manifest().retired)).toEqual(["tenant-core-banking"]);
    // AND another team is given its id, on another block
    const other = { name: "Brand New Co", id: "core-banking", network: { cidr: "172.31.0.0/24" } };
    const refused = await synth([other]);
    // THEN synth refuses as it would have in one step: that folder's state holds the subnet
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "the subnet of tenant core-banking (172.30.0.0/24 -> 172.31.0.0/24",
    );
    // (at the tenant's block in the spec, where the change is made)
    expect(refused.stderr).toMatch(
      /spec\.json:\d+:\d+ tenants\[0\]\.network\.cidr: the previous synth/,
    );
    // AND a new tenant on the old block is another project beside the kept one
    const beside = await synth([{ ...other, id: "brand-new", network: tenant.network }]);
    expect(beside.code).toBe(2);
    expect(beside.stderr).toContain("tenant core-banking, which brand-new replaces on network");
    // AND the tenant itself coming back takes its folder, which is no longer retired
    expect((await synth([tenant])).code).toBe(0);
    expect(manifest().retired).toBeUndefined();
    expect(fs.readFileSync(state, "utf8")).toBe('{"version": 4}\n');
    // AND a run killed once model.json is in place (the manifest not yet) still keeps it known
    const hook = path.join(dir, "kill-after-model.js");
    fs.writeFileSync(
      hook,
      'const fs = require("fs"); const rename = fs.renameSync; fs.renameSync = function (from, to) { rename.apply(this, arguments); if (String(to).endsWith("/model.json")) process.kill(process.pid, "SIGKILL"); };\n',
    );
    fs.writeFileSync(file, JSON.stringify(spec([])));
    const killed = spawnSync(process.execPath, [
      "-r",
      hook,
      BIN,
      "synth",
      file,
      "--out",
      out,
      "-q",
      "--destroy-removed",
    ]);
    expect(killed.signal).toBe("SIGKILL");
    expect((await synth([], "--destroy-removed")).code).toBe(0);
    expect(Object.keys(manifest().retired)).toEqual(["tenant-core-banking"]);
    expect((await synth([other])).code).toBe(2);
    // AND once its folder is gone (state destroyed, folder deleted, as the warning says), a new
    // tenant on its old block is let through
    fs.rmSync(path.dirname(state), { recursive: true });
    expect((await synth([{ ...other, id: "brand-new", network: tenant.network }])).code).toBe(0);
    expect(manifest().retired).toBeUndefined();
  });

  test("a VIP at another address says DNS moves first, and the endpoints made by hand", async () => {
    // GIVEN a folder synthesized, then the internal VIP moved
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const write = (vip: string) =>
      fs.writeFileSync(file, JSON.stringify(variant((s) => (s.controlPlane.vips.internal = vip))));
    write("10.0.1.10");
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    write("10.0.1.9");
    const moved = await cli(["synth", file, "--out", out]);
    // THEN its name is to point at the new address before Kolla moves keepalived
    expect(moved.code).toBe(0);
    expect(moved.stderr).toContain(
      "the internal VIP moves from 10.0.1.10 to 10.0.1.9: point api-int.sw.internal at 10.0.1.9 in DNS before kolla-ansible reconfigure",
    );
    expect(moved.stderr).toContain("Swift's, registered by hand (deploy/README.md), move with");
  });

  test("a run failing once it replaced some files says so, and the next one names the same changes", async () => {
    // GIVEN a tenant's stack written, then its instances quota lowered
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const write = (instances: number) =>
      fs.writeFileSync(
        file,
        JSON.stringify(
          variant(
            (s) =>
              (s.tenants = [
                { name: "a", network: { cidr: "172.30.0.0/24" }, quota: { instances } },
              ]),
          ),
        ),
      );
    write(10);
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const plan = fs.readFileSync(path.join(out, "model.json"), "utf8");
    write(5);
    // WHEN the run cannot put a stack's file in place (after the documents replaced theirs)
    const hook = path.join(dir, "refuse-stacks.js");
    fs.writeFileSync(
      hook,
      'const fs = require("fs"); const rename = fs.renameSync; fs.renameSync = function (from, to) { if (/\\/terraform\\/.*cdk\\.tf\\.json$/.test(String(to))) { const e = new Error("EPERM: operation not permitted, rename"); e.code = "EPERM"; e.path = String(to); throw e; } return rename.apply(this, arguments); };\n',
    );
    const failed = spawnSync(process.execPath, ["-r", hook, BIN, "synth", file, "--out", out], {
      encoding: "utf8",
    });
    // THEN it says the folder holds part of its files, and the plan is still the earlier one
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain("cannot write");
    expect(failed.stderr).toContain(
      "the folder holds part of this run's files: run the same command again once that is mended, and it completes them",
    );
    expect(fs.readFileSync(path.join(out, "model.json"), "utf8")).toBe(plan);
    // AND the next run still names the lowered quota
    const again = await cli(["synth", file, "--out", out]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("tenant a's compute quotas go down (instances 10 -> 5)");
  });

  test("a removed tenant's own network stack, kept with its state, says to destroy it first", async () => {
    // GIVEN a tenant whose network stack runs with the project's credentials, both applied
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (tenants: unknown[]) =>
      variant((s) => {
        s.output = { tenantStacks: { networkCredentials: "project" } };
        s.tenants = tenants;
      });
    fs.writeFileSync(
      file,
      JSON.stringify(spec([{ name: "a", network: { cidr: "172.30.0.0/24" } }])),
    );
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    for (const stack of ["tenant-a", "network-a"])
      fs.writeFileSync(path.join(out, "terraform", stack, "terraform.tfstate"), "{}\n");
    // WHEN the tenant leaves the design
    fs.writeFileSync(file, JSON.stringify(spec([])));
    const run = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    // THEN the network stack's folder says what it is and the order, not that its resources moved
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "tenant a's own network stack: to remove the tenant, run terraform destroy there first, with the project's application credential",
    );
    expect(run.stderr).not.toContain("once its resources moved to other stacks");
  });

  test("routers dropping the same platform rules are said at once, with why for admin rules", async () => {
    // GIVEN two tenants whose routers hold the admin network's SSH and ICMP (their sshCidrs)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (ssh: string[]) =>
      variant((s) => {
        s.controlPlane.services.push("fwaas");
        s.securityZones = { ...s.securityZones, firewall: true };
        s.tenants = ["a", "b"].map((name, i) => ({
          name,
          network: { cidr: `10.40.${i}.0/24` },
          sshCidrs: ssh,
        }));
      });
    fs.writeFileSync(file, JSON.stringify(spec(["10.9.100.0/24"])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN they no longer name it
    fs.writeFileSync(file, JSON.stringify(spec([])));
    const run = await cli(["synth", file, "--out", out, "-q"]);
    // THEN one note names both routers, and how to keep the rules
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "the routers of tenants a, b no longer let in what the platform's rules admin-icmp-10.9.100.0/24, admin-ssh-10.9.100.0/24 allow: applying their stacks cuts that traffic to their instances",
    );
    expect(run.stderr).toContain("add the admin networks to their sshCidrs to keep them");
  });

  test("server groups a network stack makes from now on are said to meet the hand-made ones", async () => {
    // GIVEN a running tenant on a pool with an anti-affinity group its members made by hand
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (credentials: "admin" | "project") =>
      variant((s) => {
        s.output = { tenantStacks: { networkCredentials: credentials } };
        s.zones[0].pools[0].serverGroups = [{ name: "db", policy: "anti-affinity" }];
        s.tenants = [{ name: "a", pool: "web", network: { cidr: "172.30.0.0/24" } }];
      });
    fs.writeFileSync(file, JSON.stringify(spec("admin")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN its network stack takes the project's credentials, and a new group comes
    fs.writeFileSync(
      file,
      JSON.stringify(
        (() => {
          const s: any = spec("project");
          s.zones[0].pools[0].serverGroups.push({ name: "cache", policy: "anti-affinity" });
          return s;
        })(),
      ),
    );
    const run = await cli(["synth", file, "--out", out, "--move-state"]);
    // THEN the note says Nova would hold two groups of one name, and how to avoid it
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "terraform/network-a makes tenant a's server group sw-az1-web-db from now on, which its members made by hand before",
    );
    // (not the new group, which nobody made by hand)
    expect(run.stderr).not.toContain("sw-az1-web-cache from now on");
    expect(run.stderr).toContain("terraform import, by the id openstack server group list shows");
  });

  test("a bare-metal stack left with state when the undercloud goes is never to be destroyed", async () => {
    // GIVEN servers an undercloud deployed, their stack's state in its folder
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (undercloud: boolean) =>
      variant((s) => {
        if (undercloud) s.cloud.undercloud = { cloud: "under" };
      });
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(path.join(out, "terraform", "baremetal", "terraform.tfstate"), "{}\n");
    // WHEN the design no longer names the undercloud
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const run = await cli(["synth", file, "--out", out, "-q", "--destroy-removed"]);
    // THEN the folder stays, and the advice is not to destroy (it would wipe every server)
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("never run terraform destroy there");
    expect(fs.existsSync(path.join(out, "terraform", "baremetal", "terraform.tfstate"))).toBe(true);
  });

  test("says when a flavor changes size, which Nova can only replace", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (vcpus: number) =>
      variant((s) => (s.zones[0].pools[0].flavors = [{ name: "web-4", vcpus, ramGiB: 8 }]));
    fs.writeFileSync(file, JSON.stringify(spec(4)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(file, JSON.stringify(spec(6)));
    const run = await cli(["synth", file, "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "flavor web-4 of pool az1-web changes size (4 vCPUs, 8192 MiB, 0 GiB disk -> 6 vCPUs, 8192 MiB, 0 GiB disk): Nova replaces it with a new id",
    );
  });

  test("says when a server group's rules change, which Nova can only replace", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (maxServersPerHost?: number) =>
      variant((s) => {
        s.zones[0].pools[0].serverGroups = [
          {
            name: "db",
            policy: "anti-affinity",
            ...(maxServersPerHost ? { maxServersPerHost } : {}),
          },
        ];
        s.tenants = [{ name: "a", pool: s.zones[0].pools[0].name }];
      });
    fs.writeFileSync(file, JSON.stringify(spec()));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(file, JSON.stringify(spec(2)));
    const run = await cli(["synth", file, "--out", out]);
    expect(run.code).toBe(0);
    // (with admin credentials no stack makes the group: Nova keeps it, a member makes the new one)
    expect(run.stderr).toMatch(
      /server group \S+-db of tenant a changes \(anti-affinity -> anti-affinity, at most 2 per host\): no stack made it \(the tenant's stacks run with admin credentials\), so Nova keeps it as it is/,
    );
    // AND where the project's own network stack makes it, Nova replaces it
    const own = (maxServersPerHost?: number) => ({
      ...spec(maxServersPerHost),
      output: { tenantStacks: { networkCredentials: "project" } },
    });
    const out2 = path.join(dir, "out2");
    fs.writeFileSync(file, JSON.stringify(own()));
    expect((await cli(["synth", file, "--out", out2, "-q"])).code).toBe(0);
    fs.writeFileSync(file, JSON.stringify(own(2)));
    const replaced = await cli(["synth", file, "--out", out2]);
    expect(replaced.stderr).toMatch(
      /server group \S+-db of tenant a changes \(anti-affinity -> anti-affinity, at most 2 per host\): Nova replaces it, and its servers leave it/,
    );
  });

  test("pins only networks a host still joins, and compares addresses however written", () => {
    // GIVEN the previous plan of the base design, its IPv4 addresses written with leading zeros
    // and one host on a network it no longer joins
    const model = load(variant(() => undefined)).model;
    const written = (a: string) => a.replace(/\.(\d)$/, ".00$1");
    const addresses = new Map(
      model.nodes.map((n) => [
        n.name,
        Object.fromEntries(Object.entries(n.addresses).map(([k, a]) => [k, written(a)])),
      ]),
    );
    const first = model.nodes[0];
    addresses.set(first.name, { ...addresses.get(first.name), gone: "10.9.9.9" });
    const previous = {
      addresses,
      racks: new Map(),
      pools: new Set<string>(),
      flavors: new Map(),
      tenantStacks: new Map(),
      keystoneGroups: new Map(),
      serverGroups: new Map(),
      tenantNetworks: new Map(),
      cephPools: new Map(),
      pgNums: new Map(),
      cephVolumeHosts: new Map(),
      cephMonitors: [],
      bareMetal: false,
      directories: new Map(),
      legacyShares: new Map(),
      grants: new Map(),
    };
    // THEN nothing counts as renumbered, and the pins leave the other network out
    expect(renumberedHosts(previous, model)).toEqual([]);
    const pins = parse(pinnedHosts(previous, model)).hosts as {
      name: string;
      addresses: Record<string, string>;
    }[];
    expect(Object.keys(pins[0].addresses)).toEqual(Object.keys(first.addresses));
    // AND a host whose rack the design dropped is pinned without it, and named (a hosts: entry
    // naming an undeclared rack is refused)
    const racked = model.nodes.find((n) => n.rack !== undefined)!;
    const text = pinnedHosts({ ...previous, racks: new Map([[racked.name, "r-gone"]]) }, model);
    expect(
      (parse(text).hosts as { name: string; rack?: string }[]).find((h) => h.name === racked.name)
        ?.rack,
    ).toBeUndefined();
    expect(text).toContain(
      `# ${racked.name} stood in rack r-gone, which the design no longer declares: declare it again to keep that host there\n`,
    );
  });

  test("a domain leaving or joining its directory is named, with what Kolla leaves behind", async () => {
    // GIVEN a synth of a design whose domain corp Keystone reads from LDAP
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (ldap: boolean) =>
      variant((s) => {
        s.identity = {
          domains: [
            {
              name: "corp",
              ...(ldap
                ? {
                    ldap: {
                      url: "ldaps://ad.example.com",
                      userTreeDn: "OU=U",
                      groupTreeDn: "OU=G",
                    },
                  }
                : {}),
            },
          ],
          groupRoleMappings: [{ domain: "corp", group: "ops", role: "member", tenant: "a" }],
        };
        s.tenants = [{ name: "a" }];
      });
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the domain keeps its groups in Keystone instead
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses and says which file Kolla-Ansible leaves on the hosts
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "domain corp leaves its directory: Kolla-Ansible never deletes its keystone.corp.conf",
    );
    expect(refused.stderr).toContain("/etc/kolla/keystone/domains/keystone.corp.conf");
    // AND the other way round is named too (unit, no second synth)
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(false)).model)));
    expect(directoryChanges(plan!, load(spec(true)).model)).toEqual([
      { domain: "corp", toDirectory: true },
    ]);
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
    // AND a domain new to the design that reads a directory is named with the order Keystone
    // needs: its bind password, its file, the platform stack making it, then the restart
    const added = (s: any) => {
      s.identity.domains.push({
        name: "partners",
        ldap: {
          url: "ldaps://partners.example.com",
          userTreeDn: "OU=U",
          groupTreeDn: "OU=G",
          bindDn: "CN=svc,OU=S",
        },
      });
    };
    expect(newDirectoryDomains(plan!, load(spec(false)).model)).toEqual([]);
    const withPartners = variant((s) => {
      Object.assign(s, spec(false));
      added(s);
    });
    expect(newDirectoryDomains(plan!, load(withPartners).model)).toEqual([
      { domain: "partners", passwordVariable: "ldap_bind_password_partners" },
    ]);
    fs.writeFileSync(file, JSON.stringify(withPartners));
    const r = await cli(["synth", file, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "domain partners is new and reads a directory: add its bind password to /etc/kolla/passwords.yml (ldap_bind_password_partners, deploy/README.md) and run kolla-ansible reconfigure -i deploy/kolla/inventory --tags keystone, which writes its file; apply the platform stack, which makes the domain; then restart Keystone on each controller as RUNBOOK.md's platform stage does",
    );
    // AND a directory domain that leaves the design leaves its rendered file, bind password
    // included, on every controller: named with the password to drop
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const dropped = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    expect(dropped.code).toBe(0);
    expect(dropped.stderr).toContain(
      "every controller keeps /etc/kolla/keystone/domains/keystone.partners.conf as Kolla rendered it, bind password included, which Keystone goes on reading: delete it there and ldap_bind_password_partners from /etc/kolla/passwords.yml, then run kolla-ansible reconfigure -t keystone",
    );
  });

  test("the legacy router's routes an earlier plan had, which this one drops, are named", () => {
    // GIVEN the enterprise design, and the plan an earlier version wrote (no routerRoutes: it
    // routed every legacy subnet on the router)
    const spec = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).spec as any;
    const model = load(spec).model;
    const earlier = JSON.parse(JSON.stringify(model));
    delete earlier.legacyUnix.routerRoutes;
    // THEN the route the router no longer holds is named; the same plan names none
    expect(model.legacyUnix?.routerRoutes).toEqual([]);
    expect(droppedLegacyRoutes(planOf(earlier)!, model)).toEqual(["192.168.50.0/24"]);
    expect(droppedLegacyRoutes(planOf(JSON.parse(JSON.stringify(model)))!, model)).toEqual([]);
    // AND a router on the bridge's gateway keeps its routes
    spec.legacyUnix.subnetGateway = true;
    expect(droppedLegacyRoutes(planOf(earlier)!, load(spec).model)).toEqual([]);
    // AND a subnet gone from the design takes its route for that reason, not named here
    const two = { ...earlier, legacyUnix: { ...earlier.legacyUnix } };
    two.legacyUnix.subnets = [...two.legacyUnix.subnets, "192.168.51.0/24"];
    expect(droppedLegacyRoutes(planOf(two)!, load(spec).model)).toEqual([]);
  });

  test("the legacy router's gateway dropped without a VPN is named with the command that clears it", () => {
    // GIVEN the enterprise design without its VPN, and the plan an earlier version wrote (no
    // externalGateway field: it gave the router a gateway wherever an external network was)
    const spec = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).spec as any;
    delete spec.legacyUnix.vpn;
    // (the remote site's system on a legacy subnet: without the VPN nothing reaches its own)
    spec.legacyUnix.systems.find((x: { name: string }) => x.name === "aix-settlement").address =
      "192.168.50.11";
    spec.controlPlane.services = spec.controlPlane.services.filter((x: string) => x !== "vpnaas");
    spec.suppressions = [];
    const model = load(spec).model;
    expect(model.legacyUnix?.externalGateway).toBe(false);
    const old = JSON.parse(JSON.stringify(model));
    delete old.legacyUnix.externalGateway;
    // THEN the gateway the provider keeps is named, with its router
    expect(legacyGatewayLeft(planOf(old)!, model)).toBe("efg-legacy");
    // AND not once the folder's plan says the router has none, nor with a VPN
    expect(legacyGatewayLeft(planOf(JSON.parse(JSON.stringify(model)))!, model)).toBeUndefined();
    const withVpn = loadSpecFile(path.join(ROOT, "examples/enterprise-reference.yaml")).model;
    expect(legacyGatewayLeft(planOf(old)!, withVpn)).toBeUndefined();
  });

  test("a directory whose users Keystone would find by another attribute is refused", () => {
    // GIVEN a directory that is not AD, read by AD's attribute and classes (the old defaults)
    const spec = (ldap: Record<string, unknown>) =>
      variant((s) => {
        s.identity = {
          domains: [
            {
              name: "lab",
              ldap: {
                url: "ldaps://ldap.lab.example.com",
                userTreeDn: "ou=people,dc=lab",
                groupTreeDn: "ou=groups,dc=lab",
                activeDirectory: false,
                ...ldap,
              },
            },
          ],
        };
      });
    const old = {
      userObjectClass: "person",
      groupObjectClass: "group",
      userIdAttribute: "sAMAccountName",
    };
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(old)).model)));
    // WHEN it falls back to the standard schemas' defaults
    // THEN each change is named (users' Keystone ids come from that attribute)
    expect(directorySchemaChanges(plan!, load(spec({})).model)).toEqual([
      {
        domain: "lab",
        changed: [
          "userIdAttribute sAMAccountName -> uid",
          "userObjectClass person -> inetOrgPerson",
          "groupObjectClass group -> groupOfNames",
        ],
      },
    ]);
    // AND stating them keeps the directory as it was
    expect(directorySchemaChanges(plan!, load(spec(old)).model)).toEqual([]);
  });

  test("a volume type turning private is named: other projects create no more volumes of it", () => {
    const spec = (isPublic: boolean) =>
      variant((s) => {
        s.storage = {
          backends: [{ name: "lvm", kind: "lvm", volumeType: "standard", public: isPublic }],
        };
        s.tenants = [{ name: "a", volumeTypes: ["lvm"] }];
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(true)).model)));
    expect(privatizedVolumeTypes(plan!, load(spec(false)).model)).toEqual(["standard"]);
    expect(privatizedVolumeTypes(plan!, load(spec(true)).model)).toEqual([]);
  });

  test("host configuration that changes is named: running hosts apply it themselves", async () => {
    // GIVEN a folder synthesized from a design with a storage VLAN and time servers
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (vlan: number, ntp: string) =>
      variant((s) => {
        s.network.networks.find((n: { role: string }) => n.role === "storage").vlan = vlan;
        s.ntp = { servers: [ntp, "10.9.2.123"], clients: "controllers" };
      });
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(spec(13, "10.9.0.123")));
    const first = await cli(["synth", file, "--out", out, "-q"]);
    expect([first.code, first.stderr]).toEqual([0, ""]);
    const files = (s: Record<string, unknown>) =>
      new Map([...artifactFiles({ loaded: load(s), blueprint: undefined } as any)]);
    // THEN the same design changes nothing, a user's edit of a file is not taken for a change
    fs.appendFileSync(path.join(out, "config", "netplan", "az1-web-01.yaml"), "# edited\n");
    expect(changedHostConfig(out, files(spec(13, "10.9.0.123")))).toEqual({
      terraform: [],
      newStacks: [],
      netplan: [],
      chrony: [],
      droppedKollaConfig: [],
      kolla: [],
      ceph: [],
      subtreeLimitDropped: false,
    });
    // AND a new VLAN names every host on the storage network, new time servers the controllers'
    const changed = changedHostConfig(out, files(spec(14, "10.9.1.123")));
    expect(changed.netplan).toContain("ctrl-01");
    expect(changed.chrony).toEqual(["controller"]);
    // AND Kolla's files changed or new are named (running services take them on a reconfigure)
    const kolla = files(spec(13, "10.9.0.123"));
    kolla.set("deploy/kolla/globals.yml", `${kolla.get("deploy/kolla/globals.yml")}x: 1\n`);
    kolla.set("deploy/kolla/config/new.conf", "[DEFAULT]\n");
    expect(changedHostConfig(out, kolla).kolla).toEqual(["config/new.conf", "globals.yml"]);
    // AND a file whose comment lines alone change (the Kolla-Ansible release globals.yml names)
    // asks no reconfigure
    const commented = files(spec(13, "10.9.0.123"));
    const globals = String(commented.get("deploy/kolla/globals.yml"));
    expect(globals).toMatch(/^# /m);
    commented.set("deploy/kolla/globals.yml", globals.replace(/^# .*$/m, "# another release"));
    expect(commented.get("deploy/kolla/globals.yml")).not.toBe(globals);
    expect(changedHostConfig(out, commented).kolla).toEqual([]);
    // (the inventory's too: Ansible's INI comments, # or ;)
    const inventory = String(commented.get("deploy/kolla/inventory"));
    commented.set(
      "deploy/kolla/inventory",
      `; a note\n${inventory.replace(/^# .*$/m, "# reworded")}`,
    );
    expect(changedHostConfig(out, commented).kolla).toEqual([]);
    // AND neutron.conf's quotas the platform stack sets on the admin's project through the API
    // ask no neutron-server reconfigure; the firewall rule quota, which has no API, does
    const quotas = (options: string) => {
      const next = files(spec(13, "10.9.0.123"));
      const conf = String(next.get("deploy/kolla/config/neutron.conf"));
      next.set("deploy/kolla/config/neutron.conf", `[quotas]\n${options}\n${conf}`);
      return changedHostConfig(out, next).kolla;
    };
    expect(quotas("quota_rbac_policy = 17\nquota_security_group = 30\n")).toEqual([]);
    expect(quotas("quota_rbac_policy = 17\nquota_firewall_rule = 130\n")).toEqual([
      "config/neutron.conf",
    ]);
    // AND a Kolla override the design no longer writes is named: the runbook's copy over
    // /etc/kolla/config keeps it, and Kolla would go on merging it
    const fewer = files(spec(13, "10.9.0.123"));
    const dropped = [...fewer.keys()].filter((f) => f.startsWith("deploy/kolla/config/")).sort()[0];
    expect(dropped).toBeDefined();
    fewer.delete(dropped);
    expect(changedHostConfig(out, fewer).droppedKollaConfig).toEqual([
      dropped.slice("deploy/kolla/config/".length),
    ]);
  });

  test("a layout change and a stack dropped with its state are both named at once", async () => {
    // GIVEN two tenants in stacks of their own, both applied
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const tenants = [{ name: "a" }, { name: "b" }];
    fs.writeFileSync(file, JSON.stringify(variant((s) => (s.tenants = tenants))));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const managed = { version: 4, resources: [{ mode: "managed", type: "x", name: "p" }] };
    for (const t of ["tenant-a", "tenant-b"])
      fs.writeFileSync(
        path.join(out, "terraform", t, "terraform.tfstate"),
        JSON.stringify(managed),
      );
    // WHEN the tenants move into one stack and b leaves
    fs.writeFileSync(
      file,
      JSON.stringify(
        variant((s) => {
          s.tenants = [tenants[0]];
          s.output = { ...s.output, tenantStacks: { layout: "single" } };
        }),
      ),
    );
    const r = await cli(["synth", file, "--out", out]);
    // THEN one run names both decisions
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("2 changes need a decision first");
    expect(r.stderr).toContain("the new stack layout moves");
    expect(r.stderr).toContain(
      "stack tenant-b leaves the design while its folder holds Terraform state",
    );
  });

  test("the stacks note names the stacks in the runbook's order, the stacks they read first", async () => {
    // GIVEN tenants in one stack whose networks are made in stacks of their own, which read it
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (instances: number) =>
      variant((s) => {
        s.output = {
          ...s.output,
          tenantStacks: { layout: "single", networkCredentials: "project" },
        };
        s.tenants = [
          { name: "a", quota: { instances }, network: { cidr: "172.30.0.0/24" } },
          { name: "b", network: { cidr: "172.30.1.0/24" } },
        ];
        s.zones[0].pools[0].flavors[0].ramGiB = instances;
      });
    fs.writeFileSync(file, JSON.stringify(spec(4)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the platform, the tenants' stack and a network stack change together
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "stackwright.json"), "utf8"));
    manifest.files["terraform/network-a/cdk.tf.json"].sha256 = "0".repeat(64);
    fs.writeFileSync(path.join(out, "stackwright.json"), JSON.stringify(manifest));
    fs.writeFileSync(file, JSON.stringify(spec(8)));
    const r = await cli(["synth", file, "--out", out]);
    // THEN they are named in the runbook's order: the network stack reads the tenants' outputs
    expect(r.stderr).toContain(
      "Terraform changes in stacks platform, tenants, network-a: plan and apply each, in this order",
    );
  });

  test("the stacks note names every stack, and a kept stack's turn before the platform's", async () => {
    // GIVEN ten tenants, each in its stack
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (instances: number, tenants = 10, flavor = false) =>
      variant((s) => {
        s.tenants = Array.from({ length: tenants }, (_, i) => ({
          name: `t${i}`,
          quota: { instances },
        }));
        if (flavor) s.zones[0].pools[0].flavors.push({ name: "web-large", vcpus: 4, ramGiB: 8 });
      });
    fs.writeFileSync(file, JSON.stringify(spec(10)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN every quota changes, THEN every stack is named, in order: none left as "and N more"
    fs.writeFileSync(file, JSON.stringify(spec(12)));
    const all = await cli(["synth", file, "--out", out]);
    expect(all.stderr).toContain(
      `Terraform changes in stacks ${Array.from({ length: 10 }, (_, i) => `tenant-t${i}`).join(", ")}: plan and apply each, in this order`,
    );
    // WHEN tenant t9 leaves while its stack holds state, and the platform changes too
    fs.writeFileSync(
      path.join(out, "terraform/tenant-t9/terraform.tfstate"),
      JSON.stringify({ version: 4, resources: [{ mode: "managed", type: "x", name: "y" }] }),
    );
    fs.writeFileSync(file, JSON.stringify(spec(12, 9, true)));
    const kept = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    // THEN the note sends the kept stack's steps before the platform's apply
    expect(kept.stderr).toContain(
      "as RUNBOOK.md does; before the platform stack, act on the kept stack tenant-t9 as said above (the platform's apply may drop outputs it reads, after which Terraform cannot plan it)",
    );
  });

  test("stacks whose Terraform changes are named, in the order they are applied", async () => {
    // GIVEN a folder synthesized from a design of two tenants
    const dir = tmp();
    const out = path.join(dir, "out");
    const spec = (instances: number) =>
      variant((s) => {
        s.tenants = [
          { name: "a", quota: { instances } },
          { name: "b", quota: { instances: 5 } },
        ];
      });
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(spec(10)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN tenant a's quota changes
    fs.writeFileSync(file, JSON.stringify(spec(12)));
    const r = await cli(["synth", file, "--out", out]);
    // THEN its stack alone is named, with the command
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "Terraform changes in stack tenant-a: plan and apply it (terraform -chdir=terraform/tenant-a plan), as RUNBOOK.md does",
    );
    // AND the same design again names none
    const again = await cli(["synth", file, "--out", out]);
    expect(again.stderr).not.toContain("Terraform changes");
    // AND a new flavor (the platform's) beside another quota names both, the platform first
    const both = variant((s) => {
      s.tenants = [
        { name: "a", quota: { instances: 14 } },
        { name: "b", quota: { instances: 5 } },
      ];
      s.zones[0].pools[0].flavors.push({ name: "web-large", vcpus: 4, ramGiB: 8 });
    });
    fs.writeFileSync(file, JSON.stringify(both));
    expect((await cli(["synth", file, "--out", out])).stderr).toContain(
      "Terraform changes in stacks platform, tenant-a: plan and apply each, in this order (terraform -chdir=terraform/<stack> plan), as RUNBOOK.md does",
    );
    // AND a new tenant's stack is named too, to init first
    fs.writeFileSync(
      file,
      JSON.stringify(
        variant((s) => {
          s.tenants = [
            { name: "a", quota: { instances: 14 } },
            { name: "b", quota: { instances: 5 } },
            { name: "c" },
          ];
          s.zones[0].pools[0].flavors.push({ name: "web-large", vcpus: 4, ramGiB: 8 });
        }),
      ),
    );
    expect((await cli(["synth", file, "--out", out])).stderr).toContain(
      "Terraform changes in stack tenant-c (tenant-c new: terraform -chdir=terraform/<stack> init first): plan and apply it (terraform -chdir=terraform/tenant-c plan), as RUNBOOK.md does",
    );
    // AND with the firewall leaving, the tenants' stacks come first, as its note says
    const firewalled = (on: boolean) =>
      variant((s) => {
        s.controlPlane.services.push("fwaas");
        s.securityZones.firewall = on;
        s.tenants = [{ name: "a", network: { cidr: "10.40.1.0/24" } }];
      });
    fs.writeFileSync(file, JSON.stringify(firewalled(true)));
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
    fs.writeFileSync(file, JSON.stringify(firewalled(false)));
    expect((await cli(["synth", file, "--out", out, "--destroy-removed"])).stderr).toContain(
      "Terraform changes in stacks tenant-a, platform: plan and apply each, in this order",
    );
    // AND a change only in what a resource's lifecycle ignores, or in cdktf's metadata, is none
    // (a server's user data: no plan shows it)
    const stack = "terraform/tenant-a/cdk.tf.json";
    const written = JSON.parse(fs.readFileSync(path.join(out, stack), "utf8"));
    const [type, byName] = Object.entries(written.resource as Record<string, any>)[0];
    const [name] = Object.keys(byName);
    const edited = (change: (r: any) => void) => {
      const config = structuredClone(written);
      config.resource[type][name].lifecycle = { ignore_changes: ["description"] };
      change(config.resource[type][name]);
      return new Map([[stack, JSON.stringify(config, null, 2)]]);
    };
    // (the folder's file with the ignore list, then the same with another description)
    fs.writeFileSync(path.join(out, stack), edited(() => undefined).get(stack)!);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, "stackwright.json"), "utf8"));
    manifest.files[stack].sha256 = sha256(edited(() => undefined).get(stack)!);
    fs.writeFileSync(path.join(out, "stackwright.json"), JSON.stringify(manifest));
    expect(
      changedHostConfig(
        out,
        edited((r) => (r.description = "other")),
      ).terraform,
    ).toEqual([]);
    expect(
      changedHostConfig(
        out,
        edited((r) => (r.name = "other")),
      ).terraform,
    ).toEqual(["tenant-a"]);
  });

  test("hosts the bare-metal stack newly provisions are named: running ones would be duplicated", () => {
    const spec = (undercloud: boolean) =>
      variant((s) => {
        if (undercloud) s.cloud.undercloud = { cloud: "under" };
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(false)).model)));
    const model = load(spec(true)).model;
    expect(newlyProvisioned(plan!, model)).toEqual(model.nodes.map((n) => n.name));
    const provisioned = planOf(JSON.parse(JSON.stringify(model)));
    expect(newlyProvisioned(provisioned!, model)).toEqual([]);
  });

  test("a new undercloud image or key pair is named: running hosts keep theirs", () => {
    const spec = (image: string, keyPair?: string) =>
      variant(
        (s) => (s.cloud.undercloud = { cloud: "under", image, ...(keyPair ? { keyPair } : {}) }),
      );
    const plan = planOf(JSON.parse(JSON.stringify(load(spec("ubuntu-24.04", "ops")).model)));
    expect(deploymentChanges(plan!, load(spec("ubuntu-26.04", "ops2")).model)).toEqual([
      { kind: "image", what: "image", from: "ubuntu-24.04", to: "ubuntu-26.04" },
      { kind: "key-pair", what: "key pair", from: "ops", to: "ops2" },
    ]);
    expect(deploymentChanges(plan!, load(spec("ubuntu-24.04", "ops")).model)).toEqual([]);
    // AND an Ironic node named for a running server applies only when it is deployed anew
    const pinned = load(
      variant((s) => {
        s.cloud.undercloud = { cloud: "under", image: "ubuntu-24.04", keyPair: "ops" };
        s.hosts = [
          {
            name: "az1-web-01",
            addresses: {},
            baremetalNode: "0b6c9a2e-5f3d-4c8e-9a1b-2c3d4e5f6a7b",
          },
        ];
      }),
    ).model;
    expect(deploymentChanges(plan!, pinned)).toEqual([
      {
        kind: "node",
        what: "Ironic node of az1-web-01",
        from: "any",
        to: "0b6c9a2e-5f3d-4c8e-9a1b-2c3d4e5f6a7b",
      },
    ]);
  });

  test("a host moved to other hardware, flavor or a VM is named: nothing redeploys it", async () => {
    // GIVEN servers on the undercloud; pool web's hosts then move to hardware of more cores
    const spec = (edit: (s: any) => void = () => undefined) =>
      variant((s) => {
        s.cloud.undercloud = { cloud: "under", image: "ubuntu-24.04" };
        s.hardware.push({ ...s.hardware[1], name: "cmp-64c", coresPerSocket: 32 });
        edit(s);
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec()).model)));
    const moved = serverChanges(
      plan!,
      load(spec((s) => (s.zones[0].pools[0].hardware = "cmp-64c"))).model,
    );
    // THEN each of its four hosts is named with both profiles and their flavors
    expect(moved).toHaveLength(4);
    expect(moved[0]).toEqual({
      host: "az1-web-01",
      role: "compute",
      roles: ["compute"],
      from: "hardware cmp (flavor baremetal-cmp)",
      to: "hardware cmp-64c (flavor baremetal-cmp-64c)",
      undercloud: true,
      vm: false,
      vmBefore: false,
    });
    // AND a flavor kept while the hardware changes is named with the resource classes it asks
    const kept = serverChanges(
      plan!,
      load(
        spec((s) => {
          s.hardware.push({ ...s.hardware[1], name: "cmp-b", baremetalFlavor: "baremetal-cmp" });
          s.zones[0].pools[0].hardware = "cmp-b";
          s.zones[1].pools[0].hardware = "cmp-b";
        }),
      ).model,
    );
    expect(kept[0]).toMatchObject({
      flavor: "baremetal-cmp",
      classes: { from: "CUSTOM_CMP", to: "CUSTOM_CMP_B" },
    });
    // AND controllers moved onto the undercloud's VMs are named too; an unchanged plan names none
    expect(
      serverChanges(plan!, load(spec((s) => (s.controlPlane.deployment = "vm"))).model).map((c) => [
        c.host,
        c.to,
      ]),
    ).toEqual([
      ["ctrl-01", "a VM (flavor bm-ctrl)"],
      ["ctrl-02", "a VM (flavor bm-ctrl)"],
      ["ctrl-03", "a VM (flavor bm-ctrl)"],
    ]);
    expect(serverChanges(plan!, load(spec()).model)).toEqual([]);
    // AND synth says so, with the redeploy it takes
    const dir = tmp();
    const file = path.join(dir, "spec.yaml");
    fs.writeFileSync(file, stringify(spec()));
    const out = path.join(dir, "out");
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    fs.writeFileSync(file, stringify(spec((s) => (s.zones[0].pools[0].hardware = "cmp-64c"))));
    const r = await cli(["synth", file, "--out", out]);
    expect(r.code).toBe(0);
    // (one line for the pool's four hosts)
    expect(r.stderr).toContain(
      "hosts az1-web-01, az1-web-02, az1-web-03, az1-web-04 change from hardware cmp (flavor baremetal-cmp) to hardware cmp-64c (flavor baremetal-cmp-64c): nothing redeploys a running host (the bare-metal stack keeps a server as it was deployed, whatever its flavor), while their Kolla and netplan settings now fit hardware cmp-64c (flavor baremetal-cmp-64c), and on the old one they can stop its services (nova-compute refuses a cpu_dedicated_set past the host's CPUs); redeploy each, one at a time, before installing them: terraform -chdir=terraform/baremetal apply -replace=<its server> (terraform state list names it), with a node of the new flavor's resource class free, which wipes its disks; each drained first; or keep hardware cmp (flavor baremetal-cmp) for them in the design",
    );
    // AND controllers moved onto VMs are redeployed one at a time, back in their clusters
    fs.writeFileSync(file, stringify(spec((s) => (s.controlPlane.deployment = "vm"))));
    const vms = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    expect(vms.stderr).toContain(
      "hosts ctrl-01, ctrl-02, ctrl-03 change from hardware ctrl (flavor bm-ctrl) to a VM (flavor bm-ctrl): nothing redeploys a running host (the bare-metal stack keeps a server as it was deployed, whatever its flavor), while their Kolla and netplan settings now fit a VM (flavor bm-ctrl); redeploy each, one at a time, before installing them: terraform -chdir=terraform/baremetal apply -replace=<its server> (terraform state list names it), which wipes its disks; after each, kolla-ansible bootstrap-servers -i deploy/kolla/inventory --limit control, kolla-ansible pull -i deploy/kolla/inventory --limit <host> and kolla-ansible deploy -i deploy/kolla/inventory --limit control",
    );
    // AND VMs given another flavor are resized, which keeps their disks
    fs.writeFileSync(
      file,
      stringify(
        spec((s) => {
          s.controlPlane.deployment = "vm";
          s.controlPlane.flavor = "vm-ctrl-big";
        }),
      ),
    );
    const resized = await cli(["synth", file, "--out", out]);
    expect(resized.stderr).toContain(
      "resize each, one at a time, on the undercloud before installing them (openstack server resize --flavor <flavor> <server>, then openstack server resize confirm <server>), which keeps its disk",
    );
  });

  test("a new provider VLAN is named with the hosts whose ports must carry it", async () => {
    // GIVEN a folder synthesized from the base design
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(variant(() => undefined)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN a provider network on VLAN 30 of physnet-ext joins
    const grown = variant((s) =>
      s.network.networks.push({
        name: "p",
        role: "provider",
        cidr: "10.0.30.0/24",
        vlan: 30,
        physicalNetwork: "physnet-ext",
      }),
    );
    expect(
      newProviderVlans(
        planOf(JSON.parse(JSON.stringify(load(variant(() => undefined)).model)))!,
        load(grown).model,
      ),
    ).toEqual([
      expect.objectContaining({ network: "p", vlan: 30, physicalNetwork: "physnet-ext" }),
    ]);
    fs.writeFileSync(file, JSON.stringify(grown));
    const r = await cli(["synth", file, "--out", out]);
    // THEN synth says to trunk it to the hosts that bridge physnet-ext (the network agents')
    expect(r.stderr).toContain(
      "provider network p is new on VLAN 30 of physnet-ext: trunk VLAN 30 to the ports of the hosts that bridge physnet-ext (ctrl-01, ctrl-02, ctrl-03",
    );
  });

  test("a Neutron extension leaving names only what projects made with it", async () => {
    // GIVEN a folder synthesized with the VPN extension
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (vpn: boolean) =>
      variant((s) => {
        s.controlPlane.services = s.controlPlane.services.filter(
          (x: string) => vpn || x !== "vpnaas",
        );
      });
    fs.writeFileSync(file, JSON.stringify(spec(true)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN it leaves the design
    fs.writeFileSync(file, JSON.stringify(spec(false)));
    const r = await cli(["synth", file, "--out", out, "--destroy-removed"]);
    // THEN the note names the VPN's resources, not the firewall's
    expect([r.code, r.stdout]).toEqual([0, ""]);
    expect(r.stderr).toContain(
      "Neutron's vpnaas extension leaves the design: delete what the projects made with it (VPN services and IPsec connections) before kolla-ansible reconfigure -t neutron stops loading it",
    );
  });

  test("the firewall leaving is named with the order the stacks must apply in", () => {
    // GIVEN tenant routers with firewall groups on the platform's policies
    const spec = (firewall: boolean) =>
      variant((s) => {
        s.controlPlane.services.push("fwaas");
        s.securityZones.firewall = firewall;
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(true)).model)));
    // THEN turning it off is named (tenant stacks first), turning it on is the usual order
    expect(firewallDropped(plan!, load(spec(false)).model)).toEqual({ fwaasLeaves: false });
    expect(firewallDropped(plan!, load(spec(true)).model)).toBe(false);
    // AND turning it on names the running tenants whose routers start dropping what their
    // policy omits, not a tenant new to the plan
    const routed = (firewall: boolean, tenants: string[]) =>
      variant((s) => {
        s.controlPlane.services.push("fwaas");
        s.securityZones.firewall = firewall;
        s.tenants = tenants.map((name, i) => ({ name, network: { cidr: `10.40.${i}.0/24` } }));
      });
    const off = planOf(JSON.parse(JSON.stringify(load(routed(false, ["b", "a"])).model)))!;
    expect(firewallAdded(off, load(routed(true, ["b", "a", "c"])).model)).toEqual(["a", "b"]);
    expect(firewallAdded(plan!, load(spec(true)).model)).toEqual([]);
  });

  test("platform firewall rules that tenant routers hold and the platform deletes are named", () => {
    // GIVEN two admin networks, and a tenant router whose policy holds their rules
    const spec = (adminCidrs: string[]) =>
      variant((s) => {
        s.securityZones = { ...s.securityZones, firewall: true, adminCidrs };
        // (SSH from both admin networks: its router holds their platform rules)
        s.tenants = [
          {
            name: "a",
            network: { cidr: "10.40.1.0/24" },
            sshCidrs: ["10.9.100.0/24", "10.9.101.0/24"],
          },
        ];
      });
    const plan = planOf(
      JSON.parse(JSON.stringify(load(spec(["10.9.100.0/24", "10.9.101.0/24"])).model)),
    );
    // WHEN one admin network leaves
    // THEN its rules are named with the tenant whose router drops that traffic until applied
    expect(firewallRulesWithdrawn(plan!, load(spec(["10.9.100.0/24"])).model)).toEqual([
      { rule: "admin-ssh-10.9.101.0/24", tenants: ["a"] },
      { rule: "admin-icmp-10.9.101.0/24", tenants: ["a"] },
    ]);
    expect(
      firewallRulesWithdrawn(plan!, load(spec(["10.9.100.0/24", "10.9.101.0/24"])).model),
    ).toEqual([]);
  });

  test("platform rules a tenant's router stops holding while the platform keeps them are named", () => {
    // GIVEN a tenant whose router lets the users' web ports in
    const spec = (usersWeb: boolean) =>
      variant((s) => {
        s.securityZones = { ...s.securityZones, firewall: true, userCidrs: ["10.0.0.0/8"] };
        s.tenants = [{ name: "a", network: { cidr: "10.40.1.0/24" }, usersWeb }];
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(true)).model)))!;
    // WHEN it keeps them out THEN the rules its apply stops are named
    expect(firewallRulesDropped(plan, load(spec(false)).model)).toEqual([
      { tenant: "a", rules: ["users-http-10.0.0.0/8", "users-https-10.0.0.0/8"] },
    ]);
    expect(firewallRulesDropped(plan, load(spec(true)).model)).toEqual([]);
  });

  test("what Kolla and cephadm keep running from an earlier plan is named", () => {
    // GIVEN an earlier version's plan: Ceph backups beside LVM volumes, one VIP without external
    // TLS, and spinning OSDs taking every free solid-state disk for RocksDB
    const model = load(
      lvmBesideCeph([
        { count: 4, sizeGB: 8000, kind: "hdd" },
        { count: 2, sizeGB: 960, kind: "ssd" },
      ]),
    ).model;
    const old = JSON.parse(JSON.stringify(model));
    old.deploy.cinder.backup = { driver: "ceph", cephKeyrings: false };
    old.deploy.tls = { internal: true, external: false };
    old.deploy.ceph.osdSpecs[0].dbDevices = true;
    const plan = planOf(old)!;
    // THEN each is named with what to do; a plan of this version names none
    expect(backupTargetChange(plan, model)).toEqual({ driver: "ceph", heldBackups: false });
    expect(externalTlsOn(plan)).toBe(true);
    expect(dbDevicesNarrowed(plan, model)).toEqual([
      { deviceClass: "hdd", band: { minGB: 816, maxGB: 1008 } },
    ]);
    const again = planOf(JSON.parse(JSON.stringify(model)))!;
    expect([
      backupTargetChange(again, model),
      externalTlsOn(again),
      dbDevicesNarrowed(again, model),
      dbDevicesChanged(again, model),
    ]).toEqual([undefined, false, [], []]);
    // (and the bare true of the earlier plan is dbDevicesNarrowed's to name, not a change)
    expect(dbDevicesChanged(plan, model)).toEqual([]);
  });

  test("Swift storage nodes the rings place elsewhere are named: the running rings keep them", () => {
    const twoSites = (regions: number) => load(swiftAtTwoSites(regions)).model;
    const before = planOf(JSON.parse(JSON.stringify(twoSites(1))))!;
    // WHEN the design turns its sites into regions THEN the nodes that move are named
    const moved = swiftPlacesMoved(before, twoSites(2));
    expect(moved.length).toBeGreaterThan(0);
    for (const m of moved) expect(m.from).toMatch(/^r1z\d$/);
    expect(moved.some((m) => m.to.startsWith("r2"))).toBe(true);
    // AND nothing for the same plan
    expect(swiftPlacesMoved(before, twoSites(1))).toEqual([]);
  });

  test("Ceph's hosts and racks are moved by hand where the failure domain turns to sites", () => {
    // GIVEN a plan of Ceph at two sites (copies by rack), and the same racks at three sites now
    const before = load(cephAtSites(2)).model;
    const after = load(cephAtSites(3)).model;
    expect([before.storage.ceph?.failureDomain, after.storage.ceph?.failureDomain]).toEqual([
      "rack",
      "datacenter",
    ]);
    // WHEN the plans are compared
    const change = crushChanges(planOf(JSON.parse(JSON.stringify(before)))!, after);
    // THEN the racks move under their sites whole (cephadm places no host it has), and the
    // hosts that change racks too; pools.sh moves the replicated pools
    expect(change?.from).toBe("rack");
    expect(change?.to).toBe("datacenter");
    const rackMoves = change!.moves.filter((m) => /^ceph osd crush move r\d /.test(m));
    expect(rackMoves).toEqual([
      "ceph osd crush move r1 root=default datacenter=dc1",
      "ceph osd crush move r2 root=default datacenter=dc1",
      "ceph osd crush move r3 root=default datacenter=dc2",
      "ceph osd crush move r4 root=default datacenter=dc2",
    ]);
    const host = after.deploy.ceph!.hosts.find((h) => h.crushLocation?.rack === "r5")!;
    expect(change!.moves).toContain(
      `ceph osd crush move ${host.name} root=default datacenter=dc3 rack=r5`,
    );
    expect(change!.erasure).toEqual([]);
    expect(change!.rulesFirst).toBe(false);
    // AND the monitor's parser takes every command
    expect(parseCephCommands({ moves: change!.moves.join("\n") })).toEqual({ moves: [] });
    // AND nothing for the same plan
    expect(crushChanges(planOf(JSON.parse(JSON.stringify(after)))!, after)).toBeUndefined();
  });

  test("from sites back to racks the rules change first and the racks stay in their sites", () => {
    // GIVEN a plan of Ceph at three sites (copies by site), and two sites now (copies by rack)
    const before = planOf(JSON.parse(JSON.stringify(load(cephAtSites(3)).model)))!;
    const after = load(cephAtSites(2)).model;
    const change = crushChanges(before, after)!;
    // THEN pools.sh goes first (moved out of their sites first, the racks would leave the site
    // rules no copies to place), and no rack leaves its site's bucket: rack rules find it there
    expect([change.from, change.to, change.rulesFirst]).toEqual(["datacenter", "rack", true]);
    expect(change.moves.filter((m) => /^ceph osd crush move r\d /.test(m))).toEqual([]);
    // AND once the data has settled, the racks leave the former sites, whose buckets go
    expect(change.afterwards).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((n) => `ceph osd crush move r${n} root=default`),
      "ceph osd crush rm dc1",
      "ceph osd crush rm dc2",
      "ceph osd crush rm dc3",
    ]);
    expect(parseCephCommands({ after: change.afterwards.join("\n") })).toEqual({ after: [] });
  });

  test("Ceph hosts joining a running cluster are named with how cephadm adds them", () => {
    const before = planOf(JSON.parse(JSON.stringify(load(cephAtSites(3)).model)))!;
    const grown = load(cephAtSites(3, { nodes: 7 })).model;
    expect(newCephHosts(before, grown)).toEqual({ bootstrap: "ceph-01", hosts: ["ceph-07"] });
    // AND nothing for the same cluster, or a first cluster (the README bootstraps it)
    expect(newCephHosts(before, load(cephAtSites(3)).model)).toBeUndefined();
    const none = planOf(JSON.parse(JSON.stringify(load(variant(() => {})).model)))!;
    expect(newCephHosts(none, grown)).toBeUndefined();
  });

  test("a failure domain turned from hosts to racks moves the hosts under their racks", () => {
    // GIVEN erasure-coded Ceph by host, and the same design on enough racks for 4+2 chunks
    const before = erasureCodedCeph();
    const racks = load(
      variant((s) => {
        s.storage = erasureCodedStorage();
        s.zones[0].racks = ["r1", "r2", "r3", "r4", "r5", "r6"];
      }),
    ).model;
    expect([before.storage.ceph?.failureDomain, racks.storage.ceph?.failureDomain]).toEqual([
      "host",
      "rack",
    ]);
    const change = crushChanges(planOf(JSON.parse(JSON.stringify(before)))!, racks)!;
    // THEN every OSD host moves to its rack, and the erasure-coded pools get the new rule by hand
    expect(change.moves).toEqual(
      racks.deploy
        .ceph!.hosts.filter((h) => h.labels.includes("osd"))
        .map((h) => `ceph osd crush move ${h.name} root=default rack=${h.crushLocation?.rack}`),
    );
    expect(change.erasure).toContain("ceph osd crush rule create-erasure rack-hdd rack-hdd");
    expect(change.erasure).toContain("ceph osd pool set volumes-data crush_rule rack-hdd");
    expect(parseCephCommands({ all: [...change.moves, ...change.erasure].join("\n") })).toEqual({
      all: [],
    });
  });

  test("spinning OSDs' RocksDB devices of another size are named: OSDs made keep theirs", () => {
    // GIVEN a plan whose RocksDB went on the 480 GB disks (before the OSDs' own sizes told
    // which solid-state disks are free), and one now on the 1.6 TB NVMe disks
    const model = load(
      lvmBesideCeph([
        { count: 4, sizeGB: 8000, kind: "hdd" },
        { count: 1, sizeGB: 480, kind: "ssd" },
        { count: 2, sizeGB: 1600, kind: "nvme" },
      ]),
    ).model;
    expect(model.deploy.ceph?.osdSpecs[0].dbDevices).toEqual({ minGB: 1360, maxGB: 1680 });
    const old = JSON.parse(JSON.stringify(model));
    old.deploy.ceph.osdSpecs[0].dbDevices = { minGB: 408, maxGB: 504 };
    // THEN the change is named; none when the plan had the same
    expect(dbDevicesChanged(planOf(old)!, model)).toEqual([
      { deviceClass: "hdd", from: "408G:504G", to: "1360G:1680G" },
    ]);
    delete old.deploy.ceph.osdSpecs[0].dbDevices;
    expect(dbDevicesChanged(planOf(old)!, model)).toEqual([
      { deviceClass: "hdd", from: "none", to: "1360G:1680G" },
    ]);
    expect(dbDevicesChanged(planOf(JSON.parse(JSON.stringify(model)))!, model)).toEqual([]);
  });

  test("cinder-backup leaving after Ceph backups beside Ceph volumes is told it held backups", () => {
    // GIVEN a plan with Ceph volumes and Ceph backups, which worked
    const ceph = load(
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    expect(ceph.deploy.cinder.backup?.driver).toBe("ceph");
    const plan = planOf(JSON.parse(JSON.stringify(ceph)))!;
    // WHEN volumes move to LVM (no backup service then)
    const lvm = load(lvmBesideCeph([{ count: 4, sizeGB: 8000, kind: "hdd" }])).model;
    // THEN its pool holds backups: synth refuses unless asked (cli/commands/synth.ts)
    expect(backupTargetChange(plan, lvm)).toEqual({ driver: "ceph", heldBackups: true });
  });

  test("a Galera or RabbitMQ cluster the design would shrink to one controller is named", () => {
    // GIVEN three controllers running a Galera cluster and a RabbitMQ cluster
    const spec = (database: string, messaging: string) =>
      variant((s) => {
        s.controlPlane.database = database;
        s.controlPlane.messaging = messaging;
      });
    const plan = planOf(
      JSON.parse(JSON.stringify(load(spec("galera", "rabbitmq-cluster")).model)),
    )!;
    // WHEN the database becomes single THEN its cluster's other nodes are named, the broker not
    const single = load(spec("single", "rabbitmq-cluster")).model;
    const [first, ...rest] = single.deploy.kollaGroups.control;
    expect(rest).toHaveLength(2);
    expect(shrunkClusters(plan, single)).toEqual([
      { service: "mariadb", from: [first, ...rest], to: [first] },
    ]);
    // AND a plan of this version with a single database stays as it is
    const again = planOf(JSON.parse(JSON.stringify(single)))!;
    expect(shrunkClusters(again, single)).toEqual([]);
  });

  test("a new default volume type is named: cinder.conf and the platform stack change apart", () => {
    // GIVEN a design whose first public backend's type is standard
    const spec = (types: string[]) =>
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: types.map((t) => ({ name: `rbd-${t}`, kind: "ceph", volumeType: t })),
        };
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(["standard"])).model)))!;
    // THEN another first type is named with both, the same one is not, an older plan's none is
    expect(defaultVolumeTypeChange(plan, load(spec(["fast", "standard"])).model)).toEqual({
      from: "standard",
      to: "fast",
    });
    expect(defaultVolumeTypeChange(plan, load(spec(["standard"])).model)).toBeUndefined();
    const older = planOf(
      JSON.parse(
        JSON.stringify({
          ...load(spec(["standard"])).model,
          storage: { ...load(spec(["standard"])).model.storage, defaultVolumeType: undefined },
        }),
      ),
    )!;
    expect(defaultVolumeTypeChange(older, load(spec(["standard"])).model)).toEqual({
      to: "standard",
    });
  });

  test("SSH sources whose rules an earlier version keyed as written are named once", () => {
    // GIVEN a tenant with a source written with host bits, planned before rules had keys
    const spec = variant((s) => {
      s.tenants = [{ name: "a", sshCidrs: ["10.9.100.5/24", "10.9.101.0/24", "2001:DB8::/64"] }];
    });
    const model = load(spec).model;
    const now = JSON.parse(JSON.stringify(model));
    const old = JSON.parse(JSON.stringify(model));
    for (const source of old.tenants[0].ssh) delete source.key;
    // WHEN the same design is planned again
    // THEN only the respelt source is named, and only after the earlier version's plan (an
    // upper-case IPv6 source keeps its Terraform address: its rules are replaced in place)
    expect(rekeyedSshSources(planOf(old)!, model)).toEqual([
      { tenant: "a", written: "10.9.100.5/24", cidr: "10.9.100.0/24" },
    ]);
    expect(rekeyedSshSources(planOf(now)!, model)).toEqual([]);
  });

  test("a new Octavia topology is named: existing load balancers keep theirs", () => {
    // GIVEN a design whose load balancers are single amphorae
    const spec = (topology?: string) =>
      variant((s) => {
        s.controlPlane.services.push("octavia");
        if (topology) s.controlPlane.octaviaTopology = topology;
        s.network.networks.push({ name: "lb", role: "octavia", cidr: "10.0.8.0/24", vlan: 30 });
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec()).model)));
    // WHEN they become active-standby pairs, THEN the change is named; the same topology is not
    expect(octaviaTopologyChange(plan!, load(spec("active-standby")).model)).toEqual({
      from: "single",
      to: "active-standby",
    });
    expect(octaviaTopologyChange(plan!, load(spec("single")).model)).toBeUndefined();
  });

  test("a tenant that loses its legacy bridge shares is named: Neutron keeps a share in use", () => {
    // GIVEN tenant apps on pool app, which a flow to the legacy systems reaches
    const spec = (pool: string) =>
      variant((s) => {
        withLegacyFlows(s, [
          { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["app"] },
        ]);
        s.tenants = [{ name: "apps", pool }];
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec("app")).model)));
    // WHEN it moves to pool web, which no flow reaches
    // THEN the network and the egress group's shares are named
    expect(droppedLegacyShares(plan!, load(spec("web")).model)).toEqual([
      {
        tenant: "apps",
        shares: ["the legacy bridge network", "the legacy egress security group"],
      },
    ]);
    expect(droppedLegacyShares(plan!, load(spec("app")).model)).toEqual([]);
    // AND a tenant moved onto the flow's pool is named with the group its ports must join
    const web = planOf(JSON.parse(JSON.stringify(load(spec("web")).model)));
    expect(gainedLegacyGroups(web!, load(spec("app")).model)).toEqual([]);
    const both = (s: any) =>
      withLegacyFlows(s, [
        { name: "mq", port: 1414, direction: "to-legacy", systems: ["aix-a"], pools: ["app"] },
        { name: "all", port: 22, direction: "to-legacy", systems: ["aix-a"] },
      ]);
    const was = planOf(
      JSON.parse(
        JSON.stringify(
          load(
            variant((s) => {
              withLegacyFlows(s, [
                { name: "all", port: 22, direction: "to-legacy", systems: ["aix-a"] },
              ]);
              s.tenants = [{ name: "apps", pool: "app" }];
            }),
          ).model,
        ),
      ),
    );
    const now = load(
      variant((s) => {
        both(s);
        s.tenants = [{ name: "apps", pool: "app" }];
      }),
    ).model;
    expect(gainedLegacyGroups(was!, now)).toEqual([
      { tenant: "apps", groups: ["the legacy egress security group of pools app"] },
    ]);
  });

  test("a grant moving between a tenant's groups and the mappings is named: one Keystone row, two addresses", () => {
    // GIVEN group ops of domain corp a member of tenant a, through a mapping
    const spec = (viaMapping: boolean) =>
      variant((s) => {
        s.identity = {
          domains: [{ name: "corp" }],
          groupRoleMappings: viaMapping
            ? [{ domain: "corp", group: "ops", role: "member", tenant: "a" }]
            : [],
        };
        s.tenants = [
          {
            name: "a",
            domain: "corp",
            groups: viaMapping ? [] : [{ name: "ops", role: "member" }],
          },
        ];
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(true)).model)));
    // WHEN the tenant's groups list it instead THEN the move is named
    expect(movedGrants(plan!, load(spec(false)).model)).toEqual([
      { tenant: "a", grant: "corp/ops as member", listed: true },
    ]);
    expect(movedGrants(plan!, load(spec(true)).model)).toEqual([]);
  });

  test("refuses a rack added to a zone that reshuffles running hosts, and says how to keep them", async () => {
    // GIVEN a folder synthesized from the base design (zone az1 in racks r1-r3)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(variant(() => undefined)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    const racksOf = (o: string) =>
      Object.fromEntries(
        (
          JSON.parse(fs.readFileSync(path.join(o, "model.json"), "utf8")).nodes as {
            name: string;
            rack?: string;
          }[]
        ).map((n) => [n.name, n.rack]),
      );
    const before = racksOf(out);
    // WHEN a rack r4 is added to az1
    const grown = variant((s) => s.zones[0].racks.push("r4"));
    fs.writeFileSync(file, JSON.stringify(grown));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses and lists the hosts: entries keeping every host in its rack
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/puts \d+ hosts? the previous synth planned in other racks/);
    // (one space between its sentences)
    expect(refused.stderr).toMatch(/would place them wrong[^.]*\. Keep them in their racks/);
    const pins = parse(refused.stderr.slice(refused.stderr.indexOf("\nhosts:"))).hosts as {
      name: string;
      rack?: string;
    }[];
    // AND with them the hosts stay where they stand (new hosts would take the new rack)
    fs.writeFileSync(file, JSON.stringify({ ...grown, hosts: pins }));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    expect(racksOf(out)).toEqual(before);
  });

  test("a pool whose planned pg_num changes is named: pools.sh only creates pools", () => {
    // GIVEN volumes at half the cluster's data beside images
    const spec = (volumes: number) =>
      variant((s) => {
        s.storage = {
          ceph: {
            nodes: 3,
            hardware: "stor",
            osdsPerNode: 4,
            osdSizeTB: 4,
            pools: [
              { name: "volumes", application: "volumes", dataShare: volumes },
              { name: "images", application: "images", dataShare: 0.1 },
            ],
          },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec(0.5)).model)));
    // WHEN images' share of the data grows against volumes' THEN both changes are named
    const changes = pgNumChanges(plan!, load(spec(0.05)).model);
    expect(changes.map((c) => c.pool).sort()).toEqual(["images", "volumes"]);
    expect(pgNumChanges(plan!, load(spec(0.5)).model)).toEqual([]);
  });

  test("a Ceph backend whose cinder-volume moves hosts is named, with the commands that move its volumes", () => {
    // GIVEN Ceph beside GlusterFS on block-storage hosts: Ceph's cinder-volume on the controllers
    const spec = (local: "glusterfs" | "lvm") =>
      variant((s) => {
        s.storage = {
          ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [
            { name: "rbd", kind: "ceph", volumeType: "standard" },
            { name: "local", kind: local, volumeType: "local" },
          ],
          blockStorageNodes: { hosts: 2, hardware: "stor" },
        };
      });
    const plan = planOf(JSON.parse(JSON.stringify(load(spec("glusterfs")).model)));
    // WHEN the other backend becomes LVM, beside which Ceph's cinder-volume joins those hosts
    // THEN the move is named: the old hosts' volumes stay theirs until moved
    expect(movedVolumeServices(plan!, load(spec("lvm")).model)).toEqual([
      {
        backend: "rbd",
        pool: "rbd",
        from: ["ctrl-01", "ctrl-02", "ctrl-03"],
        to: ["vol-01", "vol-02"],
      },
    ]);
    expect(movedVolumeServices(plan!, load(spec("glusterfs")).model)).toEqual([]);
    // AND from Ceph alone (an active/active cluster on the controllers) the cluster is named too:
    // its volumes carry it, and cinder-manage does not change it
    const clustered = planOf(
      JSON.parse(
        JSON.stringify(
          load(
            variant((s) => {
              s.storage = {
                ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
                backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
              };
            }),
          ).model,
        ),
      ),
    );
    expect(movedVolumeServices(clustered!, load(spec("lvm")).model)).toEqual([
      expect.objectContaining({ backend: "rbd", cluster: "sw-volume" }),
    ]);
  });

  test("Ceph's monitors moving to other OSD hosts are named", () => {
    // GIVEN a previous plan whose monitors were ceph-01, ceph-02, ceph-04 (an earlier version's)
    const model = load(
      variant((s) => {
        s.storage = {
          ceph: { nodes: 4, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
          backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
        };
      }),
    ).model;
    const before = JSON.parse(JSON.stringify(model));
    before.storage.ceph.monitors = ["ceph-01", "ceph-02", "ceph-04"];
    // THEN the move is named, both ways; the same monitors are not
    expect(model.storage.ceph?.monitors).toEqual(["ceph-01", "ceph-02", "ceph-03"]);
    expect(movedMonitors(planOf(before)!, model)).toEqual({ from: ["ceph-04"], to: ["ceph-03"] });
    expect(movedMonitors(planOf(JSON.parse(JSON.stringify(model)))!, model)).toBeUndefined();
  });

  test("a dropped compute host is cited at its pool, or at its zone's pools when renamed", async () => {
    // GIVEN a folder synthesized from the base design (web: 4 hosts in az1)
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(variant(() => undefined)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the web pool loses a host, THEN the refusal points at that pool
    fs.writeFileSync(file, JSON.stringify(variant((s) => (s.zones[0].pools[0].hosts = 3))));
    const fewer = await cli(["synth", file, "--out", out, "-q", "--renumber"]);
    expect(fewer.code).toBe(2);
    expect(fewer.stderr).toMatch(
      /spec\.json:1:\d+ zones\[0\]\.pools\[0\]: this design drops compute host /,
    );
    // WHEN the pool is renamed instead, THEN at its zone's pools, where the new name is
    fs.writeFileSync(file, JSON.stringify(variant((s) => (s.zones[0].pools[0].name = "www"))));
    const renamed = await cli(["synth", file, "--out", out, "-q", "--renumber"]);
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toMatch(
      /spec\.json:1:\d+ zones\[0\]\.pools: this design drops compute hosts /,
    );
    // AND with an undercloud, whose bare-metal stack deletes the server, at its pool too
    const under = (hosts: number) =>
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.zones[0].pools[0].hosts = hosts;
      });
    const folder = path.join(dir, "under");
    fs.writeFileSync(file, JSON.stringify(under(4)));
    expect((await cli(["synth", file, "--out", folder, "-q"])).code).toBe(0);
    fs.writeFileSync(file, JSON.stringify(under(3)));
    const server = await cli(["synth", file, "--out", folder, "-q", "--renumber"]);
    expect(server.code).toBe(2);
    expect(server.stderr).toMatch(
      /spec\.json:1:\d+ zones\[0\]\.pools\[0\]: the previous synth planned what this design drops[^\n]*compute server az1-web-04/,
    );
  });

  test("refuses a renamed zone: its pools' aggregates and flavors would be deleted", async () => {
    // GIVEN a folder synthesized from the base design
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    fs.writeFileSync(file, JSON.stringify(variant(() => undefined)));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN zone az2 is renamed az3
    fs.writeFileSync(file, JSON.stringify(variant((s) => (s.zones[1].name = "az3"))));
    const refused = await cli(["synth", file, "--out", out, "-q", "--renumber"]);
    // THEN synth refuses: its pool az2-app is another pool, az3-app
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "pool az2-app (its aggregate and flavors: the platform stack deletes them, and its instances' flavors with them; those flavors pin its instances to its aggregate, so no host of another pool, its own hosts renamed into one included, takes them to migrate, evacuate or unshelve: keep the pool until each is resized to a flavor of the pool replacing it)",
    );
    // AND the removal of its hosts moves their instances by a resize first: the flavors pin them
    // to the pool's aggregate, so live migration finds no host once its last one is disabled
    expect(refused.stderr).toContain(
      "To remove them, first, pool az2-app goes, whose instances run flavors pinned to its aggregate (aggregate_instance_extra_specs), which no other host takes: live migration finds none once the last host is disabled; keep it in the design beside the pools replacing it until their hosts are deployed and the platform stack applied, resize each instance to a flavor of its new pool (openstack server resize --flavor <flavor> <server>, then openstack server resize confirm <server>) or delete it, then remove it; for each host: openstack compute service set --disable <host> nova-compute",
    );
  });
});

describe("day-2 changes a real cloud would refuse or lose, named before the apply", () => {
  // GIVEN tenants a (network 10.30.1.0/24, a server group db on the first pool) and b
  const design = (edit: (s: any) => void = () => undefined) =>
    load(
      variant((s) => {
        s.identity = { domains: [{ name: "corp" }, { name: "retail" }] };
        s.zones[0].pools[0].serverGroups = [{ name: "db", policy: "anti-affinity" }];
        s.zones[0].pools[0].flavors = [
          { name: "web-2", vcpus: 2, ramGiB: 4 },
          { name: "web-4", vcpus: 4, ramGiB: 8 },
        ];
        s.tenants = [
          {
            name: "a",
            domain: "corp",
            pool: s.zones[0].pools[0].name,
            network: { cidr: "10.30.1.0/24" },
            quota: { instances: 10, cores: 20, ramGiB: 40 },
          },
          { name: "b", network: { cidr: "10.30.2.0/24" } },
        ];
        edit(s);
      }),
    ).model;
  const before = planOf(JSON.parse(JSON.stringify(design())))!;

  test("a Cinder backend gone or renamed, and a platform container gone or re-policied, are refused", () => {
    const stored = (edit: (s: any) => void = () => undefined) =>
      load(
        variant((s) => {
          s.controlPlane.services = [...s.controlPlane.services, "swift", "cinder"];
          s.storage = {
            backends: [{ name: "lvm-a", kind: "lvm", volumeType: "standard" }],
            swift: swiftCluster({
              policies: [{ name: "gold", default: true }, { name: "silver" }],
              containers: [{ name: "builds", purpose: "application" }],
            }),
          };
          edit(s);
        }),
      ).model;
    const was = planOf(JSON.parse(JSON.stringify(stored())))!;
    const refused = (edit: (s: any) => void) => destroyedByApply(was, stored(edit));
    // GIVEN the backend renamed, its volume type kept: Cinder refuses a second type of its name,
    // and to delete the first while volumes use it
    expect(refused((s) => (s.storage.backends[0].name = "lvm-b"))).toEqual([
      expect.stringContaining(
        "volume type standard of backend lvm-a (the platform stack deletes it, its QoS and its grants, and makes standard again for backend lvm-b",
      ),
    ]);
    // AND the container renamed, or given another policy than the one it read back
    expect(refused((s) => (s.storage.swift.containers[0].name = "builds-2"))).toEqual([
      expect.stringContaining("Swift container builds (the platform stack deletes it"),
    ]);
    expect(refused((s) => (s.storage.swift.containers[0].storagePolicy = "silver"))).toEqual([
      expect.stringContaining(
        "Swift container builds (its storage policy goes from the default to silver",
      ),
    ]);
    // THEN naming the default policy it already has, or renaming the volume type, is no loss
    expect(refused((s) => (s.storage.swift.containers[0].storagePolicy = "gold"))).toEqual([]);
    expect(refused((s) => (s.storage.backends[0].volumeType = "fast"))).toEqual([]);
  });

  test("Gnocchi moved to another metric store is named: its metrics stay in the old one", () => {
    const metered = (ceph: boolean) =>
      load(
        variant((s) => {
          s.controlPlane.services = [...s.controlPlane.services, "swift", "ceilometer"];
          s.storage = { swift: swiftCluster(), ...(ceph ? { ceph: cephCluster() } : {}) };
        }),
      ).model;
    const onSwift = metered(false);
    const onCeph = metered(true);
    expect([onSwift.deploy.gnocchi?.store, onCeph.deploy.gnocchi?.store]).toEqual([
      "swift",
      "ceph",
    ]);
    const was = planOf(JSON.parse(JSON.stringify(onSwift)))!;
    // (a note, not a refusal: the store follows the storage, which nothing in the spec pins)
    expect(metricStoreChange(was, onCeph)).toEqual({ from: "swift", to: "ceph" });
    expect(destroyedByApply(was, onCeph)).toEqual([]);
    expect(metricStoreChange(was, onSwift)).toBeUndefined();
  });

  test("Valkey joining or leaving is named, with Gnocchi's waiting measures where it runs", () => {
    const metered = (edit: (s: any) => void = () => undefined) =>
      load(
        withOctavia((s) => {
          s.controlPlane.services.push("ceilometer");
          s.storage = { ceph: cephCluster() };
          edit(s);
        }),
      ).model;
    const model = metered();
    expect([model.deploy.valkey, model.deploy.gnocchi?.store]).toEqual([true, "ceph"]);
    // GIVEN the plan of an earlier version, which ran Octavia without its jobboard
    const earlier = JSON.parse(JSON.stringify(model));
    delete earlier.deploy.valkey;
    // THEN Valkey's arrival is named with Gnocchi's move, once
    expect(valkeyChange(planOf(earlier)!, model)).toEqual({ change: "joins", gnocchi: true });
    expect(valkeyChange(planOf(JSON.parse(JSON.stringify(model)))!, model)).toBeUndefined();
    // (a cloud without Gnocchi before: Valkey arrives with nothing to move)
    const unmetered = load(withOctavia((s) => (s.storage = { ceph: cephCluster() }))).model;
    const before = JSON.parse(JSON.stringify(unmetered));
    delete before.deploy.valkey;
    expect(valkeyChange(planOf(before)!, model)).toEqual({ change: "joins", gnocchi: false });
    // AND Octavia leaving takes Valkey with it: named, as Kolla leaves its containers running
    const withoutOctavia = load(
      variant((s) => {
        s.controlPlane.services.push("ceilometer");
        s.storage = { ceph: cephCluster() };
      }),
    ).model;
    expect(valkeyChange(planOf(JSON.parse(JSON.stringify(model)))!, withoutOctavia)).toEqual({
      change: "leaves",
      gnocchi: true,
    });
  });

  test("Octavia's heartbeat key set where a plan left Kolla's insecure one is named", () => {
    const model = load(withOctavia()).model;
    // GIVEN the plan of an earlier version, whose Octavia ran with Kolla's key
    const earlier = JSON.parse(JSON.stringify(model));
    delete earlier.deploy.octavia.heartbeatKeyVariable;
    // THEN the change is named (running amphorae keep the old key: every load balancer fails
    // over), and not again once the plan has the key
    expect(octaviaHeartbeatKeyed(planOf(earlier)!, model)).toBe("octavia_heartbeat_key");
    expect(octaviaHeartbeatKeyed(planOf(JSON.parse(JSON.stringify(model)))!, model)).toBe(
      undefined,
    );
  });

  test("a server group renamed by the naming prefix, or gone, loses its members", () => {
    // (Nova deletes a group with members; its name is ForceNew)
    expect(
      serverGroupChanges(
        before,
        design((s) => (s.output = { namingPrefix: "bank" })),
      ).map((c) => c.change),
    ).toEqual([expect.stringMatching(/^named \S+-db -> bank-\S+-db$/)]);
    expect(
      serverGroupChanges(
        before,
        design((s) => (s.zones[0].pools[0].serverGroups = [])),
      ),
    ).toEqual([
      {
        tenant: "a",
        group: expect.stringMatching(/-db$/),
        managed: false,
        change: "leaves the design",
      },
    ]);
    expect(serverGroupChanges(before, design())).toEqual([]);
  });

  test("a quota below the last plan's is named with its service: Nova and Neutron refuse one below usage", () => {
    const lowered = loweredQuotas(
      before,
      design((s) => (s.tenants[0].quota = { instances: 1, cores: 20, ramGiB: 40 })),
    );
    expect(lowered).toEqual([
      { tenant: "a", lowered: ["instances 10 -> 1"], services: ["compute"] },
    ]);
    expect(loweredQuotas(before, design())).toEqual([]);
    // AND Neutron's, which checks usage from 2025.1 unless forced (quotasv2.py), are named too
    expect(
      loweredQuotas(
        before,
        design((s) => (s.tenants[0].quota = { instances: 10, cores: 20, ramGiB: 40, ports: 5 })),
      ),
    ).toEqual([
      { tenant: "a", lowered: [expect.stringMatching(/^ports \d+ -> 5$/)], services: ["network"] },
    ]);
  });

  test("a volume quota below the last plan's is named, per volume type too: Cinder refuses one below usage", () => {
    // (cinder/api/contrib/quotas.py validates every key against in_use + reserved)
    const withVolumes = (volumes: number, typed: number) =>
      load(
        variant((s) => {
          s.storage = {
            ceph: { nodes: 3, hardware: "stor", osdsPerNode: 4, osdSizeTB: 4 },
            backends: [{ name: "rbd", kind: "ceph", volumeType: "standard" }],
          };
          s.tenants = [
            {
              name: "a",
              network: { cidr: "10.30.1.0/24" },
              quota: {
                instances: 10,
                cores: 20,
                ramGiB: 40,
                volumes,
                volumeGiB: 1000,
                backups: 20,
                perVolumeType: { standard: { volumes: typed } },
              },
            },
          ];
        }),
      ).model;
    const was = planOf(JSON.parse(JSON.stringify(withVolumes(20, 8))))!;
    expect(loweredQuotas(was, withVolumes(10, 4))).toEqual([
      {
        tenant: "a",
        lowered: ["volumes 20 -> 10", "perVolumeType.standard.volumes 8 -> 4"],
        services: ["block storage"],
      },
    ]);
    expect(loweredQuotas(was, withVolumes(30, 8))).toEqual([]);
  });

  test("new compute hosts are named: Kolla deploys them before the aggregates take them", () => {
    const grown = design((s) => (s.zones[0].pools[0].hosts += 1));
    const added = newComputeHosts(before, grown);
    expect(added).toHaveLength(1);
    expect(grown.nodes.find((n) => n.name === added[0])?.role).toBe("compute");
    expect(newComputeHosts(before, design())).toEqual([]);
    // AND new network nodes are named by role, for Kolla-Ansible to deploy too
    const withNetwork = design((s) => {
      s.controlPlane.networkNodes = 2;
      s.controlPlane.networkNodeHardware = "ctrl";
    });
    expect(newKollaHosts(before, withNetwork)).toEqual([
      { role: "network", hosts: ["net-01", "net-02"] },
    ]);
    expect(newKollaHosts(before, design())).toEqual([]);
    // (new controllers, which run the network agents here too, are named once, as controllers)
    expect(
      newKollaHosts(
        before,
        design((s) => (s.controlPlane.controllers = 5)),
      ),
    ).toEqual([{ role: "controller", hosts: ["ctrl-04", "ctrl-05"] }]);
  });

  test("a flavor that leaves the design or moves to another pool is named", () => {
    // (Nova deletes it, running instances keep their copy; flavor names are unique)
    const edited = design((s) => {
      s.zones[1].pools[0].flavors.push(s.zones[0].pools[0].flavors.pop());
    });
    expect(droppedFlavors(before, edited)).toEqual([
      { pool: "az1-web", flavor: "web-4", to: "az2-app", private: false },
    ]);
    expect(
      droppedFlavors(
        before,
        design((s) => s.zones[0].pools[0].flavors.pop()),
      ),
    ).toEqual([{ pool: "az1-web", flavor: "web-4", private: false }]);
    expect(droppedFlavors(before, design())).toEqual([]);
    // AND a pool renamed moves its flavors, made anew under the same names (Nova refuses a second
    // flavor of one name while the old stands)
    const renamed = droppedFlavors(
      before,
      design((s) => {
        s.zones[0].pools[0].name = "front";
        s.tenants = s.tenants.map((t: any) => (t.pool === "web" ? { ...t, pool: "front" } : t));
      }),
    );
    expect(renamed).toContainEqual({
      pool: "az1-web",
      flavor: "web-4",
      to: "az1-front",
      private: false,
    });
    // (a private flavor's grants name its id: its tenants' stacks grant the new one)
    const granted = planOf(
      JSON.parse(JSON.stringify(design((s) => (s.tenants[0].flavors = ["web-4"])))),
    )!;
    expect(
      droppedFlavors(
        granted,
        design((s) => {
          s.tenants[0].flavors = ["web-4"];
          s.zones[1].pools[0].flavors.push(s.zones[0].pools[0].flavors.pop());
        }),
      ),
    ).toEqual([{ pool: "az1-web", flavor: "web-4", to: "az2-app", private: true }]);
  });

  test("a tenant's new block, lost network, other domain, or a dropped tenant's name or block is refused", () => {
    const refused = (edit: (s: any) => void) => destroyedByApply(before, design(edit));
    // its subnet is replaced (cidr is ForceNew); Neutron refuses to delete one in use
    expect(refused((s) => (s.tenants[0].network.cidr = "10.30.9.0/24"))).toEqual([
      expect.stringContaining("the subnet of tenant a (10.30.1.0/24 -> 10.30.9.0/24"),
    ]);
    expect(refused((s) => delete s.tenants[0].network)).toEqual([
      expect.stringContaining("the network of tenant a (10.30.1.0/24"),
    ]);
    // Keystone cannot move a project between domains
    expect(refused((s) => (s.tenants[0].domain = "retail"))).toEqual([
      expect.stringContaining("moves from domain corp to retail"),
    ]);
    // a new id on the same project name, or on the same block, is another project
    expect(refused((s) => (s.tenants[0].id = "a2"))).toContainEqual(
      expect.stringContaining("tenant a, which a2 replaces"),
    );
    expect(
      refused((s) => {
        s.tenants[0].id = "a2";
        s.tenants[0].name = "A Two";
      }),
    ).toContainEqual(
      expect.stringContaining("tenant a, which a2 replaces on network 10.30.1.0/24"),
    );
    // a kept tenant taking another's project name (a swap) may be renamed first: Keystone
    // refuses a second project of a name in a domain
    const named = (first: string, second: string) =>
      design((s) => {
        s.tenants[1].domain = "corp";
        [s.tenants[0].name, s.tenants[1].name] = [first, second];
        [s.tenants[0].id, s.tenants[1].id] = ["a", "b"];
      });
    const corp = planOf(JSON.parse(JSON.stringify(named("Alpha", "Beta"))))!;
    expect(destroyedByApply(corp, named("Beta", "Alpha"))).toEqual([
      expect.stringContaining(
        "the project name Alpha of domain corp, which tenant a's project had",
      ),
      expect.stringContaining("the project name Beta of domain corp, which tenant b's project had"),
    ]);
    expect(destroyedByApply(corp, named("Alpha", "Beta"))).toEqual([]);
    // AND the unchanged design is let through, and a hand-edited plan's odd block refuses
    // nothing and breaks nothing
    expect(refused(() => undefined)).toEqual([]);
    const odd = planOf(
      JSON.parse(JSON.stringify(design()).replace('"10.30.1.0/24"', '"garbage "')),
    )!;
    expect(destroyedByApply(odd, design())).toEqual([
      expect.stringContaining("the subnet of tenant a (garbage  -> 10.30.1.0/24"),
    ]);
  });

  test("a platform network's new block and a tenant subnet pool losing a prefix are refused", () => {
    const withPool = (prefixes: string[] | undefined, extraCidr = "10.20.60.0/24") =>
      load(
        variant((s) => {
          s.network.networks.push({
            name: "extra",
            role: "provider",
            cidr: extraCidr,
            vlan: 60,
            physicalNetwork: "physnet-ext",
          });
          if (prefixes) s.network.tenantSubnetPool = { prefixes };
        }),
      ).model;
    const was = planOf(JSON.parse(JSON.stringify(withPool(["10.128.0.0/16"]))))!;
    // (cidr is ForceNew: Neutron refuses to delete a subnet ports use)
    expect(destroyedByApply(was, withPool(["10.128.0.0/16"], "10.20.61.0/24"))).toEqual([
      expect.stringContaining("the subnet of network extra (10.20.60.0/24 -> 10.20.61.0/24"),
    ]);
    // (Neutron keeps every prefix of a pool, and refuses to delete one with allocations)
    expect(destroyedByApply(was, withPool(["10.128.0.0/17"]))).toEqual([
      expect.stringContaining("the tenant subnet pool's 10.128.0.0/16 (Neutron keeps every prefix"),
    ]);
    expect(destroyedByApply(was, withPool(undefined))).toEqual([
      expect.stringContaining("Neutron refuses to delete a pool"),
    ]);
    expect(destroyedByApply(was, withPool(["10.128.0.0/15"]))).toEqual([]);
    // (a new VLAN or physical network: ML2 does not take a network's new segments)
    const revlanned = load(
      variant((s) => {
        s.network.networks.push({
          name: "extra",
          role: "provider",
          cidr: "10.20.60.0/24",
          vlan: 61,
          physicalNetwork: "physnet-ext",
        });
        s.network.tenantSubnetPool = { prefixes: ["10.128.0.0/16"] };
      }),
    ).model;
    expect(destroyedByApply(was, revlanned)).toEqual([
      expect.stringContaining(
        "the segment of network extra (VLAN 60 on physnet-ext -> VLAN 61 on physnet-ext: Neutron does not move a network",
      ),
    ]);
  });

  test("a tenant of its own stack that leaves the design, and a platform network, are refused", () => {
    const perTenant = design();
    expect(perTenant.tenants.map((t) => t.stack)).toEqual(["tenant-a", "tenant-b"]);
    // (with local state its folder stays, named by the output writer; a remote backend's
    // folder would go with the configuration the state needs)
    expect(
      destroyedByApply(
        before,
        design((s) => s.tenants.pop()),
      ),
    ).toEqual([]);
    const remote = (edit: (s: any) => void = () => undefined) =>
      design((s) => {
        s.output = { backend: { type: "http", address: "https://state.example.com/tf" } };
        edit(s);
      });
    const remoteBefore = planOf(JSON.parse(JSON.stringify(remote())))!;
    expect(
      destroyedByApply(
        remoteBefore,
        remote((s) => s.tenants.pop()),
      ),
    ).toEqual([expect.stringContaining("tenant b (stack tenant-b leaves the design")]);
    // AND so when the same synth moves the folders to local state: the state stays remote
    expect(
      destroyedByApply(
        remoteBefore,
        design((s) => s.tenants.pop()),
      ),
    ).toEqual([expect.stringContaining("tenant b (stack tenant-b leaves the design")]);
    // AND the grants on a whole domain, whose stack goes with the last of them
    const domainAdmins = (s: any) =>
      (s.identity.groupRoleMappings = [{ domain: "corp", group: "Domain Admins", role: "admin" }]);
    const granted = planOf(JSON.parse(JSON.stringify(remote(domainAdmins))))!;
    expect(destroyedByApply(granted, remote())).toEqual([
      // (a group Keystone keeps itself, where the domain has no directory)
      "Keystone group Domain Admins of domain corp (and its members)",
      "the grants on whole domains (stack domain-roles leaves the design, and with it the configuration its remote state needs: group Domain Admins of domain corp as admin on domain corp stay in Keystone, revoked by nothing, unless terraform destroy runs there first)",
    ]);
    // (with local state the folder stays, holding the state that revokes them)
    expect(
      destroyedByApply(planOf(JSON.parse(JSON.stringify(design(domainAdmins))))!, design()),
    ).toEqual(["Keystone group Domain Admins of domain corp (and its members)"]);
    expect(destroyedByApply(granted, remote(domainAdmins))).toEqual([]);
    const bridge = planOf(
      JSON.parse(
        JSON.stringify(
          design((s) =>
            s.network.networks.push({
              name: "extra",
              role: "provider",
              cidr: "10.20.60.0/24",
              vlan: 60,
              physicalNetwork: "physnet-ext",
            }),
          ),
        ),
      ),
    )!;
    expect(destroyedByApply(bridge, design())).toEqual([
      expect.stringContaining("network extra (the platform stack deletes it"),
    ]);
  });

  const planFrom = (spec: Parameters<typeof load>[0]) =>
    planOf(JSON.parse(JSON.stringify(load(spec).model)))!;

  test("a domain gone from the design is named: Keystone deletes its projects and users with it", () => {
    // GIVEN a design with a domain of its own, and the same without it
    const withDomain = variant((s) => (s.identity = { domains: [{ name: "resellers" }] }));
    // THEN its removal is among what the apply destroys (its prevent_destroy goes with it)
    expect(destroyedByApply(planFrom(withDomain), load(variant(() => {})).model)).toEqual([
      expect.stringContaining(
        "domain resellers (the platform stack deletes it, and Keystone its projects",
      ),
    ]);
    expect(destroyedByApply(planFrom(withDomain), load(withDomain).model)).toEqual([]);
  });

  test("a block-storage host an LVM backend leaves is named: its volumes are on its disks", () => {
    const spec = (hosts: number) =>
      variant((s) => {
        s.storage = {
          backends: [{ name: "local", kind: "lvm", volumeType: "local" }],
          blockStorageNodes: { hosts, hardware: "stor" },
        };
      });
    expect(destroyedByApply(planFrom(spec(2)), load(spec(1)).model)).toEqual([
      expect.stringContaining("the volumes of backend local on vol-02 (they are on its disks"),
    ]);
    expect(destroyedByApply(planFrom(spec(1)), load(spec(2)).model)).toEqual([]);
  });

  test("compute hosts leaving a design without an undercloud are named, with Kolla's removal steps", () => {
    const spec = (hosts: number) => variant((s) => (s.zones[1].pools[0].hosts = hosts));
    const fewer = load(spec(2)).model;
    const gone = droppedComputeHosts(planFrom(spec(3)), fewer);
    expect(gone).toHaveLength(1);
    expect(fewer.nodes.map((n) => n.name)).not.toContain(gone[0]);
    expect(droppedComputeHosts(planFrom(spec(3)), load(spec(4)).model)).toEqual([]);
  });

  test("Neutron's mechanism, a type driver in use and Octavia's segment are not changed in place", () => {
    // GIVEN Open vSwitch with VXLAN, and Octavia's management network on VLAN 30
    const spec = (edit: (s: any) => void = () => undefined) =>
      withOctavia((s) => {
        s.network.tenantNetworkType = "vxlan";
        edit(s);
      });
    const plan = planFrom(spec());
    // WHEN tenants move to Geneve (OVN), or the amphorae's VLAN changes
    const ovn = neutronPlumbingChanges(
      plan,
      load(spec((s) => (s.network.tenantNetworkType = "geneve"))).model,
    );
    const vlan = neutronPlumbingChanges(
      plan,
      load(spec((s) => (s.network.networks.find((n: any) => n.name === "lb").vlan = 31))).model,
    );
    // THEN each is named
    expect(ovn).toEqual([
      expect.stringContaining("Neutron moves from Open vSwitch to OVN"),
      expect.stringContaining("ML2 no longer loads the vxlan type driver"),
    ]);
    expect(vlan).toEqual([
      expect.stringContaining("Octavia's management network lb moves from VLAN 30"),
    ]);
    expect(neutronPlumbingChanges(plan, load(spec()).model)).toEqual([]);
  });

  test("VLAN tenant networks' physical network and a narrower VLAN range are not changed in place", () => {
    // GIVEN VLAN tenant networks on physnet-ext, VLANs 1000-1999
    const spec = (edit: (s: any) => void = () => undefined) =>
      variant((s) => {
        s.network.tenantNetworkType = "vlan";
        s.network.tenantVlanRange = { min: 1000, max: 1999 };
        s.network.tenantPhysicalNetwork = "physnet-ext";
        edit(s);
      });
    const plan = planFrom(spec());
    // WHEN the range narrows, or the physical network is renamed
    const narrowed = neutronPlumbingChanges(
      plan,
      load(spec((s) => (s.network.tenantVlanRange = { min: 1500, max: 1599 }))).model,
    );
    // THEN each is named; a wider range is not
    expect(narrowed).toEqual([
      "the tenant VLAN range narrows from 1000-1999 to 1500-1599: running tenant networks keep the VLANs Neutron gave them, and those outside the new range are no longer trunked to the hosts (the switch table and runbook follow the range)",
    ]);
    const wider = load(spec((s) => (s.network.tenantVlanRange = { min: 900, max: 2999 }))).model;
    expect(neutronPlumbingChanges(plan, wider)).toEqual([]);
    const renamed = load(
      spec((s) => {
        s.network.tenantPhysicalNetwork = "physnet-dc";
        s.network.networks[4].physicalNetwork = "physnet-dc";
      }),
    );
    expect(neutronPlumbingChanges(plan, renamed.model)).toEqual([
      expect.stringContaining(
        "VLAN tenant networks move from physical network physnet-ext to physnet-dc: the running ones keep their segments on physnet-ext",
      ),
    ]);
  });

  test("the legacy bridge put on another network is named: its shares and router would move", () => {
    const spec = (network: string) =>
      variant((s) => {
        withLegacyFlows(s, []);
        s.network.networks.push({
          name: "unix-bridge2",
          role: "provider",
          cidr: "10.20.51.0/24",
          vlan: 51,
          physicalNetwork: "physnet-ext",
        });
        s.legacyUnix.network = network;
        if (network === "unix-bridge2") s.legacyUnix.nextHop = "10.20.51.254";
      });
    expect(
      legacyBridgeMoved(planFrom(spec("unix-bridge")), load(spec("unix-bridge2")).model),
    ).toEqual({ from: "unix-bridge", to: "unix-bridge2" });
    expect(
      legacyBridgeMoved(planFrom(spec("unix-bridge")), load(spec("unix-bridge")).model),
    ).toBeUndefined();
  });

  test("hosts that join a network they were not on are named with its VLAN, for their switch ports", () => {
    // GIVEN Ceph serving the Swift API, planned before its monitors joined the internal API network
    const { model } = load(
      variant((s) => {
        s.controlPlane.services.push("swift");
        s.storage = { ceph: cephCluster({ nodes: 3 }) };
      }),
    );
    const api = model.networks.find((n) => n.role === "internal-api")!;
    const before = JSON.parse(JSON.stringify(model));
    for (const n of before.nodes) if (n.roles.includes("ceph-mon")) delete n.addresses[api.name];
    // THEN the monitors are named with the network and its VLAN
    expect(joinedNetworks(planOf(before)!, model)).toEqual([
      { network: api.name, hosts: ["ceph-01", "ceph-02", "ceph-03"], vlan: api.vlan },
    ]);
    expect(joinedNetworks(planOf(JSON.parse(JSON.stringify(model)))!, model)).toEqual([]);
  });

  test("a tenant new to a running subnet pool is told its planned prefix may be taken", () => {
    const spec = (tenants: string[], pool = true) =>
      variant((s) => {
        if (pool) s.network.tenantSubnetPool = { prefixes: ["10.60.128.0/18"] };
        s.tenants = tenants.map((name, i) => ({
          name,
          network: { cidr: i === 2 ? "10.70.0.0/24" : `10.60.${129 + i}.0/24` },
        }));
      });
    expect(newPoolTenants(planFrom(spec(["a"])), load(spec(["a", "b", "c"])).model)).toEqual([
      { tenant: "b", cidr: "10.60.130.0/24" },
    ]);
    // (a folder planned before the pool ran has nothing to take it from)
    expect(newPoolTenants(planFrom(spec(["a"], false)), load(spec(["a", "b"])).model)).toEqual([]);
  });

  test("a tenant given a group the platform makes is told to wait for the platform's apply", () => {
    const spec = (groups: string[]) =>
      variant((s) => {
        s.identity = { domains: [{ name: "customers" }] };
        s.tenants = [
          {
            name: "a",
            domain: "customers",
            groups: groups.map((name) => ({ name, role: "member" })),
          },
          { name: "b", domain: "customers" },
        ];
      });
    const plan = planFrom(spec(["ops"]));
    expect(keystoneGroupsAhead(plan, load(spec(["ops", "devs"])).model)).toEqual({
      groups: ["devs of domain customers"],
      stacks: ["tenant-a"],
    });
    expect(keystoneGroupsAhead(plan, load(spec(["ops"])).model)).toBeUndefined();
  });

  test("the legacy router moving between the subnet's gateway and a port of its own is named", () => {
    const spec = (subnetGateway?: boolean) =>
      variant((s) => {
        withLegacyFlows(s, []);
        if (subnetGateway !== undefined) s.legacyUnix.subnetGateway = subnetGateway;
      });
    const onGateway = planFrom(spec(true));
    expect(legacyAttachmentChange(onGateway, load(spec()).model)).toEqual({ toPort: true });
    expect(legacyAttachmentChange(onGateway, load(spec(true)).model)).toBeUndefined();
    expect(legacyAttachmentChange(planFrom(spec()), load(spec(true)).model)).toEqual({
      toPort: false,
    });
    // A plan from before the setting had its router on the gateway.
    const model = JSON.parse(JSON.stringify(load(spec(true)).model));
    delete model.legacyUnix.subnetGateway;
    expect(legacyAttachmentChange(planOf(model)!, load(spec()).model)).toEqual({ toPort: true });
  });

  test("Swift's partition power, which follows the disks unless set, is kept for running rings", () => {
    const spec = (nodes: number, partitionPower?: number) =>
      variant((s) => {
        s.controlPlane.services.push("swift");
        s.storage = {
          swift: swiftCluster({
            storageNodes: nodes,
            disksPerNode: 12,
            ...(partitionPower ? { partitionPower } : {}),
          }),
        };
      });
    // GIVEN 3 nodes of 12 disks (power 12), grown to 6 (power 13 unless set)
    const plan = planFrom(spec(3));
    expect(swiftPartitionPowerChange(plan, load(spec(6)).model)).toEqual({ before: 12, now: 13 });
    // THEN setting the old power keeps the rings
    expect(swiftPartitionPowerChange(plan, load(spec(6, 12)).model)).toBeUndefined();
  });

  test("Swift's storage policies keep their index and scheme: a change is refused at its policy", async () => {
    const { out, file } = outputFolder();
    const spec = swiftPolicies;
    const gold = { name: "gold", default: true };
    const cold = (parityFragments: number) => ({
      name: "cold",
      erasureCoding: { dataFragments: 4, parityFragments },
    });
    fs.writeFileSync(file, JSON.stringify(spec([gold, cold(2)])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the erasure-coded policy takes another scheme
    fs.writeFileSync(file, JSON.stringify(spec([gold, cold(3)])));
    const refused = await cli(["synth", file, "--out", out, "-q"]);
    // THEN synth refuses at that policy: Swift could not read the fragments it holds
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "Swift's storage policies change: policy cold (index 1) kept objects in 4+2 liberasurecode_rs_vand erasure coding and would keep them in 4+3 liberasurecode_rs_vand erasure coding: Swift could no longer read those it holds",
    );
    expect(refused.stderr).toContain("storage.swift.policies[1]");
    // AND policies reordered, or one dropped, are refused by index where objects would be read
    // otherwise; a rename alone is Swift's to allow
    const plan = planFrom(spec([gold, cold(2)]));
    expect(
      swiftPolicyChanges(plan, load(spec([{ ...cold(2), default: true }, { name: "gold" }])).model),
    ).toEqual([
      {
        index: 0,
        change:
          "policy gold (index 0, now cold) kept objects as copies and would keep them in 4+2 liberasurecode_rs_vand erasure coding: Swift could no longer read those it holds",
      },
      {
        index: 1,
        change:
          "policy cold (index 1, now gold) kept objects in 4+2 liberasurecode_rs_vand erasure coding and would keep them as copies: Swift could no longer read those it holds",
      },
    ]);
    expect(
      swiftPolicyChanges(plan, load(spec([{ ...gold, name: "platinum" }, cold(2)])).model),
    ).toEqual([]);
    expect(swiftPolicyChanges(plan, load(spec([gold])).model)).toEqual([
      { index: 1, change: "policy cold (index 1) is gone, and its containers' objects with it" },
    ]);
    // AND a cluster without policies has Swift's replicated Policy-0: coding it is refused,
    // and dropping the policies of a replicated index 0 is not
    const none = planFrom(spec([]));
    expect(swiftPolicyChanges(none, load(spec([{ ...cold(2), default: true }])).model)).toEqual([
      {
        index: 0,
        change:
          "policy Policy-0 (index 0, now cold) kept objects as copies and would keep them in 4+2 liberasurecode_rs_vand erasure coding: Swift could no longer read those it holds",
      },
    ]);
    expect(swiftPolicyChanges(planFrom(spec([gold])), load(spec([])).model)).toEqual([]);
    // AND a policy added at the end changes nothing
    expect(
      swiftPolicyChanges(plan, load(spec([gold, cold(2), { name: "silver", replicas: 2 }])).model),
    ).toEqual([]);
    expect((await cli(["synth", file, "--out", out, "-q", "--destroy-removed"])).code).toBe(0);
  });

  test("a Swift policy added to a running cluster, or a ring's copies changed, comes with its steps", async () => {
    const { out, file } = outputFolder();
    const spec = swiftPolicies;
    const gold = { name: "gold", default: true };
    const cold = { name: "cold", erasureCoding: { dataFragments: 4, parityFragments: 2 } };
    fs.writeFileSync(file, JSON.stringify(spec([gold])));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN gold keeps 2 copies where it kept 3, and cold is added
    fs.writeFileSync(file, JSON.stringify(spec([{ ...gold, replicas: 2 }, cold])));
    const day2 = await cli(["synth", file, "--out", out]);
    // THEN the new ring is built before its policy is merged, and gold's ring changes in place
    expect(day2.code).toBe(0);
    expect(day2.stderr).toContain(
      "Swift gains storage policy cold (index 1, ring object-1): on the host that built the rings run config/swift/rings.sh again (it builds the rings whose builders are missing and keeps the others), copy object-1.ring.gz to /etc/swift on every Swift node, and only then merge the new [storage-policy:<index>] section of config/swift/swift.conf into every Swift node's swift.conf and restart the proxies: a proxy refuses to start while a policy's ring is missing",
    );
    expect(day2.stderr).toContain(
      "Swift's object ring goes from 3 to 2 replicas: rings.sh keeps running rings, so on the host that built them run swift-ring-builder object.builder set_replicas 2, then swift-ring-builder object.builder rebalance, and copy object.ring.gz to every Swift node",
    );
    // AND a cluster without policies had Swift's replicated Policy-0 in ring object; the account
    // and container rings follow storage.swift.replicas
    const none = planFrom(spec([]));
    expect(swiftRingChanges(none, load(spec([gold, cold])).model)).toEqual({
      added: [{ ring: "object-1", policy: "cold", index: 1 }],
      replicas: [],
    });
    const fewer = variant((s) => {
      s.controlPlane.services.push("swift");
      s.storage = { swift: swiftCluster({ storageNodes: 6, replicas: 2 }) };
    });
    expect(swiftRingChanges(none, load(fewer).model)?.replicas).toEqual([
      { ring: "account", from: 3, to: 2 },
      { ring: "container", from: 3, to: 2 },
      { ring: "object", from: 3, to: 2 },
    ]);
    expect(swiftRingChanges(none, load(spec([])).model)).toBeUndefined();
  });

  test("cinder-backup's Swift policy changed is said to reach only projects without backups yet", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const spec = (backupPolicy?: string) =>
      variant((s) => {
        s.controlPlane.services.push("swift", "cinder");
        s.storage = {
          swift: swiftCluster({
            storageNodes: 6,
            policies: [
              { name: "gold", default: true },
              { name: "cold", erasureCoding: { dataFragments: 4, parityFragments: 2 } },
            ],
            containers: [
              {
                name: "backups",
                purpose: "backups",
                ...(backupPolicy ? { storagePolicy: backupPolicy } : {}),
              },
            ],
          }),
          backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }],
          backup: { service: "swift" },
        };
      });
    fs.writeFileSync(file, JSON.stringify(spec("cold")));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN the backups' container moves to gold
    fs.writeFileSync(file, JSON.stringify(spec("gold")));
    const day2 = await cli(["synth", file, "--out", out]);
    // THEN synth says the projects that have backups keep cold (Cinder sets it at creation)
    expect(day2.code).toBe(0);
    expect(day2.stderr).toContain(
      "cinder-backup creates its Swift containers in storage policy gold, where it created them in cold: Cinder sets a container's policy only when it creates it, so each project that has backups keeps writing them in cold, and only projects backing up for the first time after kolla-ansible reconfigure -t cinder get gold; to move a project's, delete its backups, then its container, which its next backup makes again",
    );
    // AND a policy no longer named is the default one (gold); the same policy says nothing,
    // named or taken as the default
    expect(backupPolicyChange(planFrom(spec("cold")), load(spec()).model)).toEqual({
      from: "cold",
      to: "gold",
    });
    expect(backupPolicyChange(planFrom(spec("cold")), load(spec("cold")).model)).toBeUndefined();
    expect(backupPolicyChange(planFrom(spec()), load(spec("gold")).model)).toBeUndefined();
    // AND the default moved, under a container that names none, is a change too
    const coldDefault = spec() as any;
    coldDefault.storage.swift.policies = [
      { name: "gold" },
      { name: "cold", default: true, erasureCoding: { dataFragments: 4, parityFragments: 2 } },
    ];
    expect(backupPolicyChange(planFrom(spec()), load(coldDefault).model)).toEqual({
      from: "gold",
      to: "cold",
    });
    // AND a plan from before the policies carried their default flag names no default among
    // several: nothing is said rather than a guess
    const unflagged = planFrom(spec());
    const older = {
      ...unflagged,
      swiftPolicies: unflagged.swiftPolicies!.map((p) => ({ name: p.name, kept: p.kept })),
    };
    expect(backupPolicyChange(older, load(coldDefault).model)).toBeUndefined();
  });

  test("a stack reading platform outputs the applied platform stack lacks is said to wait for it", async () => {
    const dir = tmp();
    const out = path.join(dir, "out");
    const file = path.join(dir, "spec.json");
    const shop = { name: "Shop", network: { cidr: "172.30.0.0/24" } };
    fs.writeFileSync(file, JSON.stringify(variant((s) => (s.tenants = [shop]))));
    expect((await cli(["synth", file, "--out", out, "-q"])).code).toBe(0);
    // WHEN a tenant joins with a flavor of its own, which the platform stack makes
    const grown = variant((s) => {
      s.zones[0].pools[0].flavors.push({ name: "web-large", vcpus: 8, ramGiB: 16 });
      s.tenants = [
        shop,
        { name: "Bank", network: { cidr: "172.30.1.0/24" }, flavors: ["web-large"] },
      ];
    });
    fs.writeFileSync(file, JSON.stringify(grown));
    const day2 = await cli(["synth", file, "--out", out]);
    // THEN its stack is said to wait for the platform's apply; the running tenant's does not
    expect(day2.code).toBe(0);
    expect(day2.stderr).toMatch(
      /^terraform\/tenant-bank reads outputs the platform stack adds \(flavor_[a-z0-9_]*web_large[a-z0-9_]*_id\): apply terraform\/platform first; planned before it, it fails on each output it does not have yet \(Unsupported attribute\)$/m,
    );
    // AND the platform's local state, once applied, is what the outputs are read from: without
    // the flavor's output the note stays; with it, it goes
    const state = path.join(out, "terraform", "platform", "terraform.tfstate");
    fs.writeFileSync(state, JSON.stringify({ version: 4, outputs: { unrelated: {} } }));
    expect((await cli(["synth", file, "--out", out])).stderr).toContain(
      "terraform/tenant-bank, terraform/tenant-shop read outputs the platform stack adds (external_network_id, flavor_web_large_id)",
    );
    const planned = JSON.parse(
      fs.readFileSync(path.join(out, "terraform", "platform", "cdk.tf.json"), "utf8"),
    ).output;
    fs.writeFileSync(state, JSON.stringify({ version: 4, outputs: planned }));
    expect((await cli(["synth", file, "--out", out])).stderr).not.toContain(
      "outputs the platform stack adds",
    );
  });

  test("Swift devices that join or leave a running cluster are named: rings.sh builds new rings only", () => {
    const spec = (storageNodes: number, disksPerNode = 12) =>
      variant((s) => {
        s.controlPlane.services.push("swift");
        s.storage = { swift: swiftCluster({ storageNodes, disksPerNode, partitionPower: 14 }) };
      });
    const plan = planFrom(spec(3));
    const grown = swiftDeviceChanges(plan, load(spec(4)).model);
    expect(grown?.added).toHaveLength(1);
    expect(grown?.removed).toEqual([]);
    expect(swiftDeviceChanges(planFrom(spec(4)), load(spec(3)).model)?.removed).toHaveLength(1);
    expect(swiftDeviceChanges(plan, load(spec(3, 10)).model)?.disks).toEqual({
      before: 12,
      now: 10,
    });
    expect(swiftDeviceChanges(plan, load(spec(3)).model)).toBeUndefined();
  });

  test("a service leaving the design is named: Kolla-Ansible removes none it no longer deploys", () => {
    const withHeat = variant((s) => s.controlPlane.services.push("heat"));
    expect(droppedServices(planFrom(withHeat), load(variant(() => {})).model)).toEqual(["heat"]);
    expect(droppedServices(planFrom(variant(() => {})), load(withHeat).model)).toEqual([]);
  });

  test("new hosts' entries pin every unpinned host: pinning the new ones alone can move the others", () => {
    // GIVEN a plan and the design grown by a host, none of its hosts pinned
    const grown = load(variant((s) => (s.zones[0].pools[0].hosts += 1))).model;
    const pins = newHostPins(planFrom(variant(() => undefined)), grown, new Set())!;
    // THEN the new host is named, and the entries hold every host as planned
    expect(pins.names).toHaveLength(1);
    const entries = (parse(pins.entries) as { hosts: { name: string; rack?: string }[] }).hosts;
    expect(entries.map((h) => h.name)).toEqual(grown.nodes.map((n) => n.name));
    // AND hosts the spec pins already are left to it
    const pinned = new Set(grown.nodes.slice(0, 3).map((n) => n.name));
    expect(
      (
        parse(newHostPins(planFrom(variant(() => undefined)), grown, pinned)!.entries) as {
          hosts: { name: string }[];
        }
      ).hosts.map((h) => h.name),
    ).toEqual(grown.nodes.slice(3).map((n) => n.name));
  });

  test("compute servers the bare-metal stack deletes are named with the steps that free their instances", () => {
    // GIVEN servers the undercloud provisions, and the first pool shrunk by one host
    const design = (hosts: number) =>
      variant((s) => {
        s.cloud.undercloud = { cloud: "under" };
        s.zones[0].pools[0].hosts = hosts;
      });
    const before = load(design(4)).model;
    const after = load(design(3)).model;
    const gone = before.nodes.find((n) => !after.nodes.some((m) => m.name === n.name))!.name;
    // THEN the server is named with Nova's steps, as a dropped compute host without an undercloud
    expect(destroyedByApply(planFrom(design(4)), after)).toEqual([
      `compute server ${gone} (the bare-metal stack deletes it on the undercloud, with the instances running there: first, for each host: openstack compute service set --disable <host> nova-compute; live-migrate its instances (openstack --os-compute-api-version 2.25 server migrate --live-migration for each of openstack server list --all-projects --host <host>: from 2.25 Nova block-migrates local disks itself) and check they moved; with the previous inventory, kolla-ansible stop -i deploy/kolla/inventory --yes-i-really-really-mean-it --limit <host>; synthesize with --destroy-removed and apply the bare-metal stack, which deletes the server; then openstack network agent delete for each of openstack network agent list --host <host>, and openstack compute service delete --os-compute-api-version 2.53 for each of its compute services (Kolla-Ansible's guide to removing hosts))`,
    ]);
  });

  test("the undercloud leaving a design whose state is remote is refused: its servers would stay unmanaged", () => {
    // GIVEN servers the undercloud provisions, their state in an S3 bucket
    const design = (undercloud: boolean) =>
      variant((s) => {
        if (undercloud) s.cloud.undercloud = { cloud: "under" };
        s.output = {
          backend: {
            type: "s3",
            bucket: "tfstate",
            endpoint: "https://s3.example.com",
            region: "x",
          },
        };
      });
    const before = planFrom(design(true));
    // WHEN the undercloud leaves the design, THEN the servers its stack's state holds are named
    expect(destroyedByApply(before, load(design(false)).model)).toEqual([
      expect.stringContaining(
        "the servers of the bare-metal stack (it leaves the design with cloud.undercloud, and with it the configuration its remote state needs: its 10 servers, az1-web-01, az1-web-02, az1-web-03, az1-web-04, az2-app-01 and 5 more, stay on the undercloud, managed by nothing, unless terraform destroy runs there first)",
      ),
    ]);
    // AND with its state in the folder nothing is named here: the folder stays (cli/output.ts)
    const local = (undercloud: boolean) =>
      variant((s) => {
        if (undercloud) s.cloud.undercloud = { cloud: "under" };
      });
    expect(destroyedByApply(planFrom(local(true)), load(local(false)).model)).toEqual([]);
  });

  test("a network's new block that drops running hosts' addresses is named, and no entry keeps them", () => {
    // GIVEN a plan, and the management network moved to another block
    const moved = load(
      variant(
        (s) => (s.network.networks.find((n: any) => n.role === "management").cidr = "10.0.64.0/24"),
      ),
    ).model;
    const plan = planFrom(variant(() => undefined));
    // THEN the network is named with the hosts it no longer holds
    const blocks = renumberedBlocks(plan, moved);
    expect(blocks.map((b) => [b.network, b.cidr])).toEqual([["mgmt", "10.0.64.0/24"]]);
    expect(blocks[0].hosts).toEqual(
      moved.nodes.filter((n) => "mgmt" in n.addresses).map((n) => n.name),
    );
    // AND the entries offered keep the other networks' addresses, none on the moved one (the
    // spec would refuse an address outside its network's block)
    const entries = (
      parse(pinnedHosts(plan, moved)) as {
        hosts: { addresses: Record<string, string> }[];
      }
    ).hosts;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((h) => !("mgmt" in h.addresses))).toBe(true);
    expect(renumberedBlocks(plan, load(variant(() => undefined)).model)).toEqual([]);
  });

  test("a network renamed with a new block re-addresses its hosts: named as one", () => {
    // GIVEN a plan, and its storage network renamed, once in its block and once in another
    const plan = planFrom(variant(() => undefined));
    const renamed = (cidr: string) =>
      load(
        variant((s) => {
          const storage = s.network.networks.find((n: any) => n.role === "storage");
          storage.name = "stor2";
          storage.cidr = cidr;
        }),
      ).model;
    // THEN a rename alone moves no address, a new block every storage address, by its new name
    expect(renumberedHosts(plan, renamed("10.0.3.0/24"))).toEqual([]);
    // (and the entries offered keep the renamed network's addresses under its new name)
    const entries = (
      parse(pinnedHosts(plan, renamed("10.0.3.0/24"))) as {
        hosts: { addresses: Record<string, string> }[];
      }
    ).hosts;
    expect(entries.some((h) => "stor2" in h.addresses)).toBe(true);
    expect(entries.every((h) => !("storage" in h.addresses))).toBe(true);
    const moved = renumberedHosts(plan, renamed("10.0.6.0/24"));
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved.map((m) => m.network))).toEqual(new Set(["stor2"]));
    expect(renumberedBlocks(plan, renamed("10.0.6.0/24")).map((b) => b.network)).toEqual(["stor2"]);
  });

  test("a running Ceph's protection changing is refused for the data it keeps as it was", () => {
    // GIVEN six Ceph hosts behind a Ceph volume backend, replicated 3, then erasure-coded 4+2
    const design = (protection: Record<string, unknown>) =>
      variant((s) => (s.storage = erasureCodedStorage({ protection })));
    const replicated = planFrom(design({ replicated: 3 }));
    const erasure = load(design({ erasureCoded: { k: 4, m: 2 } })).model;
    // THEN the change is named, both ways, and no change is not
    expect(cephProtectionChange(replicated, erasure)).toEqual({
      from: "replicated 3",
      to: "erasure-coded 4+2",
      toErasure: true,
      fromErasure: false,
    });
    expect(
      cephProtectionChange(
        planFrom(design({ erasureCoded: { k: 4, m: 2 } })),
        load(design({ replicated: 3 })).model,
      ),
    ).toMatchObject({ from: "erasure-coded 4+2", to: "replicated 3", fromErasure: true });
    expect(cephProtectionChange(replicated, load(design({ replicated: 3 })).model)).toBeUndefined();
    // (a replicated size is set on the running pools by pools.sh: no conversion)
    expect(cephProtectionChange(replicated, load(design({ replicated: 2 })).model)).toBeUndefined();
    // AND another erasure code is one too: a pool keeps its profile
    expect(
      cephProtectionChange(
        planFrom(design({ erasureCoded: { k: 4, m: 2 } })),
        load(design({ erasureCoded: { k: 3, m: 2 } })).model,
      ),
    ).toMatchObject({ from: "erasure-coded 4+2", to: "erasure-coded 3+2" });
  });

  test("Octavia leaving with its management network still declared is its load balancers' matter, not a moved segment", () => {
    // GIVEN a cloud that ran Octavia, and the design without it, its lb network kept
    const plan = planFrom(withOctavia());
    const without = load(
      withOctavia(
        (s) =>
          (s.controlPlane.services = s.controlPlane.services.filter(
            (x: string) => x !== "octavia",
          )),
      ),
    ).model;
    // THEN the projects' load balancers are named with how to delete them, and no segment moves
    expect(servicesLeavingData(plan, without)).toEqual([
      expect.objectContaining({
        service: "octavia",
        remove: "openstack loadbalancer delete --cascade for each of openstack loadbalancer list",
      }),
    ]);
    expect(neutronPlumbingChanges(plan, without)).toEqual([]);
    // AND a service that keeps no projects' resources (Heat's stacks are Nova's, Neutron's and
    // Cinder's resources) is not asked about
    const withHeat = variant((s) => s.controlPlane.services.push("heat"));
    expect(servicesLeavingData(planFrom(withHeat), load(variant(() => {})).model)).toEqual([]);
  });
});

test("a design that no longer needs the monitors' subtree limit says to take it off the cluster", async () => {
  // GIVEN desktop-cloud, four OSD hosts each alone in a rack: pools.sh sets the limit
  const dir = tmp();
  const out = path.join(dir, "out");
  const example = fs.readFileSync(path.join(ROOT, "examples", "desktop-cloud.yaml"), "utf8");
  const first = path.join(dir, "four.yaml");
  fs.writeFileSync(first, example);
  expect((await cli(["synth", first, "--out", out, "-q"])).code).toBe(0);
  expect(fs.readFileSync(path.join(out, "deploy", "ceph", "pools.sh"), "utf8")).toContain(
    "ceph config set mon mon_osd_down_out_subtree_limit datacenter",
  );
  // WHEN eight hosts stand two to a rack: the limit is no longer written
  const second = path.join(dir, "eight.yaml");
  fs.writeFileSync(second, example.replace(/^ {4}nodes: 4$/m, "    nodes: 8"));
  const r = await cli(["synth", second, "--out", out, "--no-quiet"]);
  // THEN the note says the cluster keeps it, and how to take it off
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(
    "the monitors keep the mon_osd_down_out_subtree_limit an earlier pools.sh set, which this design no longer needs (no OSD host stands alone in its rack where its data could recover): ceph config rm mon mon_osd_down_out_subtree_limit",
  );
  // AND synthesized again, it is not said twice
  expect((await cli(["synth", second, "--out", out, "--no-quiet"])).stderr).not.toContain(
    "subtree_limit",
  );
});
