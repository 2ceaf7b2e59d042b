import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { swiftRingPlan } from "../../artifacts";
import { deployFiles } from "../../deployer";
import { proposalDocuments } from "../../proposal/proposal";
import { testBook } from "../proposal/support";
import { buildSwiftRings } from "../support/consumers";
import { renderArchitecture } from "../support/documents";
import {
  issuesOf,
  load,
  pathOf,
  swiftAcrossRacks,
  swiftAtTwoSites,
  swiftCluster,
  variant,
} from "../support/fixtures";

/** The base design with Swift, its cluster edited by `extra`. */
const withSwift = (extra: Record<string, unknown>) =>
  variant((s) => {
    s.controlPlane.services = [...s.controlPlane.services, "swift"];
    s.storage = { swift: swiftCluster(extra) };
  });

/**
 * The fewest and the most pieces of a partition Swift's own builder (rings.sh) puts on the storage
 * nodes `inPlace` accepts, over every partition of the builder's ring.
 */
function piecesAt(
  m: ReturnType<typeof load>["model"],
  builder: string,
  inPlace: (node: string) => boolean,
): [number, number] {
  const rings = buildSwiftRings(swiftRingPlan(m).get("config/swift/rings.sh") as string, true);
  const storage = m.networks.find((n) => n.role === "storage")!.name;
  const nodeAt = new Map(m.nodes.map((n) => [n.addresses[storage], n.name]));
  const counts = (rings[builder as `${string}.builder`].replicaHostCounts ?? []).map(
    (ips) => ips.filter((ip) => inPlace(nodeAt.get(ip) ?? "")).length,
  );
  return [Math.min(...counts), Math.max(...counts)];
}

const gold = { name: "gold", default: true };
const cold = (dataFragments: number, parityFragments: number, type?: string) => ({
  name: "cold",
  erasureCoding: { dataFragments, parityFragments, ...(type ? { type } : {}) },
});

describe("an erasure-coded Swift storage policy, as Swift reads it", () => {
  test("swift.conf's policy loads its ring of exactly its fragments; no node holds more than the parity", () => {
    // GIVEN 3 storage nodes of 4 disks, a replicated default policy and a 4+2 one
    const m = load(withSwift({ policies: [gold, cold(4, 2)] })).model;
    const files = swiftRingPlan(m);
    const conf = files.get("config/swift/swift.conf") as string;
    expect(conf).toContain(
      [
        "[storage-policy:1]",
        "name = cold",
        "policy_type = erasure_coding",
        "ec_type = liberasurecode_rs_vand",
        "ec_num_data_fragments = 4",
        "ec_num_parity_fragments = 2",
      ].join("\n"),
    );
    // WHEN Swift's ring builder runs rings.sh and Swift parses swift.conf, loading each ring
    const rings = buildSwiftRings(files.get("config/swift/rings.sh") as string, false, conf);
    // THEN both policies load, the erasure-coded one on a ring of 6 replicas
    expect(rings.errors).toEqual([]);
    expect(rings.policies).toEqual([
      { index: 0, name: "gold", type: "replication", ringReplicas: 3 },
      {
        index: 1,
        name: "cold",
        type: "erasure_coding",
        ec_type: "liberasurecode_rs_vand",
        ndata: 4,
        nparity: 2,
        ringReplicas: 6,
      },
    ]);
    // AND the builder puts 2 fragments of a partition on a node, as the model counts: a node's
    // loss leaves any 4 of each object's fragments
    expect(rings["object-1.builder"].mostPerHost).toBe(2);
    expect(m.storage.swift?.policies[1]).toMatchObject({ replicas: 6, ring: "object-1" });
    expect(m.ha.find((r) => r.kind === "swift-storage-hosts")?.failuresTolerated).toBe(1);
  });

  test("Swift refuses an erasure-coded policy whose ring holds another count: the check is real", () => {
    const m = load(withSwift({ policies: [gold, cold(4, 2)] })).model;
    const files = swiftRingPlan(m);
    const script = (files.get("config/swift/rings.sh") as string).replace(
      /object-1\.builder create (\d+) 6 /,
      "object-1.builder create $1 5 ",
    );
    const rings = buildSwiftRings(script, false, files.get("config/swift/swift.conf"));
    expect(rings.policies?.[1].error).toContain(
      "EC ring for policy cold needs to be configured with exactly 6 replicas",
    );
  });
});

describe("capacity and resilience of erasure-coded objects", () => {
  test("the default policy's usable capacity is raw x k / (k + m); replicated figures stay the replicated policies'", () => {
    // GIVEN 3 nodes x 4 disks x 4 TB = 48 TB raw, all objects 4+2 by default
    const swift = load(withSwift({ policies: [{ ...cold(4, 2), default: true }] })).model.storage
      .swift!;
    expect([swift.rawTB, swift.usableTB, swift.objectReplicas]).toEqual([48, 32, 6]);
    expect(swift.objectErasureCoding).toEqual({
      type: "liberasurecode_rs_vand",
      dataFragments: 4,
      parityFragments: 2,
    });
    // (the account and container rings keep their 3 copies)
    expect(swift.fewestReplicas).toBe(3);
  });

  test("the HA table names the erasure coding, counting node losses; the storage table the zone losses", async () => {
    // GIVEN 6 nodes in 3 zones, 4+2: each zone holds 2 fragments of a partition
    const m = load(
      withSwift({ storageNodes: 6, policies: [{ ...cold(4, 2), default: true }] }),
    ).model;
    // THEN the objects survive two nodes' loss (a node holds one of the 6: 4 are left), in the
    // column that counts the row's 6 nodes, and one zone's (4 left; two zones leave 2)
    const objects = m.ha.find((r) => r.component === "Swift objects");
    expect(objects).toMatchObject({
      kind: "swift-objects-ec",
      params: { data: 4, parity: 2, zones: 3, policy: "cold" },
      nodes: 6,
      failuresTolerated: 2,
    });
    expect(m.ha.find((r) => r.kind === "swift-storage-hosts")?.failuresTolerated).toBe(2);
    expect(m.storage.swift!.lossesSurvived).toEqual({ nodes: 2, zones: 1 });
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain("| Zones that may fail with every object still readable | 1 |");
    const host = m.recovery.find((r) => r.scenario === "host-storage");
    expect(host).toMatchObject({
      outcome: "swift-fragments",
      params: { data: 4, fragments: 6 },
      dataLoss: "none",
    });
  });

  test("an availability zone holding more fragments than the parity loses objects, said in fragments", async () => {
    // GIVEN 4 nodes over two availability zones (one rack each), 2 Swift zones, 4+2 by default:
    // each availability zone holds 3 of a partition's 6 fragments
    const m = load(
      swiftAcrossRacks([["r1"], ["r2"]], {
        storageNodes: 4,
        zones: 2,
        replicas: 2,
        policies: [{ ...cold(4, 2), default: true }],
      }),
    ).model;
    const zone = m.recovery.find((r) => r.scenario === "zone");
    expect(zone).toMatchObject({
      outcome: "zone-quorum-objects-lost",
      params: { copies: 3, pieces: 6, ec: 1 },
      dataLoss: "not-backed-up",
    });
    const { markdown } = await renderArchitecture(m);
    expect(markdown).toContain(
      "holds Swift storage nodes of 1 Swift zone, where the ring puts at least 3 of the 6 fragments of every object, more than it survives losing: every object is lost with it",
    );
    // AND Swift's own builder puts 3 fragments of every partition in each availability zone
    const rack = new Map(m.nodes.map((n) => [n.name, n.rack]));
    expect(piecesAt(m, "object.builder", (n) => rack.get(n) === "r1")).toEqual([3, 3]);
    expect(markdown).toContain(
      "| cold | 0 | erasure coded, 4 data + 2 parity fragments (liberasurecode_rs_vand) | object | yes |",
    );
    // (the cluster's replicas are its account and container rings' alone)
    expect(markdown).toContain("| Replicas of the account and container rings | 2 |");
    expect(markdown).toContain(
      "| Usable capacity at the default policy's erasure coding, 4 data and 2 parity fragments (TB) | 42.67 |",
    );
  });

  test("deploy/README.md asks for the reconstructor, and ISA-L for its types", () => {
    const readme = (policy: object) =>
      deployFiles(load(withSwift({ policies: [gold, policy] })).model).get(
        "deploy/README.md",
      ) as string;
    const plain = readme(cold(4, 2));
    expect(plain).toContain("Run `swift-object-reconstructor` on every storage node");
    expect(plain).not.toContain("libisal2");
    expect(readme(cold(4, 2, "isa_l_rs_cauchy"))).toContain("(`libisal2`)");
  });
});

describe("what Swift and its ring builder refuse of an erasure-coded policy", () => {
  const refused = (extra: Record<string, unknown>) =>
    issuesOf(withSwift(extra)).map((i) => [i.code, pathOf(i), i.message]);

  test("copies and fragments at once", () => {
    expect(refused({ policies: [gold, { ...cold(4, 2), replicas: 2 }] })).toEqual([
      [
        "swift-policy-protection",
        "storage.swift.policies[1].replicas",
        "policy cold is erasure coded, and its ring holds each object's 6 fragments, not copies: remove replicas, or erasureCoding for copies",
      ],
    ]);
  });

  test("more than liberasurecode's 32 fragments", () => {
    expect(refused({ storageNodes: 10, disksPerNode: 4, policies: [gold, cold(28, 5)] })).toEqual([
      [
        "swift-ec-fragments",
        "storage.swift.policies[1].erasureCoding.parityFragments",
        "policy cold has 28 data and 5 parity fragments, 33 in all, and liberasurecode takes at most 32 per object (Swift would not load the policy); use fewer fragments",
      ],
    ]);
  });

  test("isa_l_rs_vand with 5 parity fragments", () => {
    expect(
      refused({ storageNodes: 6, policies: [gold, cold(8, 5, "isa_l_rs_vand")] })[0].slice(0, 2),
    ).toEqual(["swift-ec-parity", "storage.swift.policies[1].erasureCoding.type"]);
  });

  test("more fragments than disks, and more on a node than the parity", () => {
    expect(refused({ policies: [gold, cold(10, 4)] })[0].slice(0, 2)).toEqual([
      "swift-ec-devices",
      "storage.swift.policies[1].erasureCoding.dataFragments",
    ]);
    // 3 nodes, 8+2: 4 fragments of a partition on a node, past its 2 parity
    expect(refused({ policies: [gold, cold(8, 2)] })).toEqual([
      [
        "swift-ec-node-loss",
        "storage.swift.policies[1].erasureCoding",
        "policy cold spreads each object's 10 fragments over 3 storage nodes, up to 4 on one, more than its 2 parity fragments: while one node is down (a reboot will do) some objects cannot be read, and a lost node loses them; use at most 6 fragments in all with 2 parity, more parity fragments, or at least 5 storage nodes",
      ],
    ]);
  });

  test("fragments beyond the zones are no zone error, and no uneven-zone warning", () => {
    // 6 fragments over 3 zones: 2 in each, within the parity
    const loaded = load(withSwift({ storageNodes: 6, policies: [gold, cold(4, 2)] }));
    const codes = loaded.warnings.map((w) => w.code);
    expect(codes).not.toContain("swift-zones-uneven");
    expect(codes).not.toContain("swift-zones");
  });
});

test("backup quotas past what Swift holds at its default policy are warned, where cinder-backup keeps them there", () => {
  // GIVEN Swift of 48 raw TB at 3 copies (16 TB, 14,901 GiB) keeping the volumes' backups
  const design = (quota: Record<string, number>) =>
    variant((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "swift", "cinder"];
      s.storage = {
        swift: swiftCluster(),
        backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }],
        backup: { service: "swift", container: "volumebackups" },
      };
      s.tenants = [
        { name: "a", quota },
        { name: "b", quota: { volumeGiB: 5000, backupGiB: 5000 } },
      ];
    });
  const warned = (quota: Record<string, number>) =>
    load(design(quota)).warnings.find((w) => w.code === "backup-quota-exceeds-swift");
  // THEN 10,000 + 5,000 GiB pass it, a volume quota standing in for the backup quota it lacks
  expect(warned({ volumeGiB: 10000 })?.message).toBe(
    "the tenants' backup quotas add up to 15000 GiB (a tenant without quota.backupGiB counts its volume quota), but Swift holds 14901 GiB at its default policy, the policy of cinder-backup's containers, beside every other object on its disks: each backup counts its volume's size (compressed as it is written, so less where the data compresses), and Swift refuses writes once its disks fill, before the quotas stop anyone; lower the tenants' backupGiB or add Swift storage",
  );
  // AND within it, no warning
  expect(warned({ volumeGiB: 10000, backupGiB: 9000 })).toBeUndefined();
  // AND a backup container of a 4+2 policy holds 32 TB (29,802 GiB): the quotas fit there
  const onPolicy = load(
    variant((s) => {
      const d = design({ volumeGiB: 10000 }) as any;
      Object.assign(s, d);
      s.storage.swift.policies = [gold, cold(4, 2)];
      s.storage.swift.containers = [
        { name: "volumebackups", purpose: "backups", storagePolicy: "cold" },
      ];
    }),
  );
  expect(onPolicy.model.storage.swift?.policies.map((p) => p.usableTB)).toEqual([16, 32]);
  expect(onPolicy.warnings.map((w) => w.code)).not.toContain("backup-quota-exceeds-swift");
});

test("the account and container rings count: their copies bound the HA table, and a rack holding them all is said to hold container databases", async () => {
  // GIVEN 8 nodes in 4 zones over two availability zones (zones 1 and 3 in one), 2 copies of
  // the container databases, objects 4+4 by default (4 fragments in an availability zone)
  const m = load(
    swiftAcrossRacks([["r1"], ["r2"]], {
      storageNodes: 8,
      zones: 4,
      replicas: 2,
      disksPerNode: 4,
      policies: [{ ...cold(4, 4), default: true }],
    }),
  ).model;
  // THEN two hosts may hold both copies of some container database: one host is survived
  expect(m.ha.find((r) => r.kind === "swift-storage-hosts")?.failuresTolerated).toBe(1);
  const zone = m.recovery.find((r) => r.scenario === "zone");
  expect(zone?.params).toMatchObject({ copies: 2, pieces: 2, ec: 0, dbs: 1 });
  const { markdown } = await renderArchitecture(m);
  expect(markdown).toContain(
    "enough for 2 of the 2 replicas of some container databases as the ring spreads them by weight, more than they survive losing: those containers' listings and reads are lost with it",
  );
});

test("Gnocchi's metrics in an erasure-coded default policy are warned: small objects cost k + m fragments", () => {
  const warning = load(
    variant((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "swift", "ceilometer"];
      s.storage = {
        swift: swiftCluster({ storageNodes: 6, policies: [{ ...cold(4, 2), default: true }] }),
      };
    }),
  ).warnings.find((w) => w.code === "gnocchi-erasure-coded");
  expect(warning && pathOf(warning)).toBe("storage.swift.policies[0].erasureCoding");
  expect(warning?.message).toContain("each takes 6 fragment files with a header apiece");
});

test("a site holding more fragments than the parity is said to lose objects; backups are judged by their own policy's ring", async () => {
  // GIVEN two sites as two Swift regions of 3 nodes each, objects 4+2 by default (3 fragments
  // of every partition at a site), backups in a replicated policy of 2 copies (one per region)
  const design = (backupPolicy: string) =>
    load(
      variant((s) => {
        Object.assign(s, swiftAtTwoSites(2));
        // (three racks at each site: the six nodes stand three and three)
        s.zones[1].racks = ["r4", "r5", "r6"];
        s.controlPlane.services = [...s.controlPlane.services, "cinder"];
        s.storage.swift.replicas = 2;
        s.storage.swift.policies = [
          { ...cold(4, 2), default: true },
          { name: "pair", replicas: 2 },
        ];
        s.storage.swift.containers = [
          { name: "volumebackups", purpose: "backups", storagePolicy: backupPolicy },
        ];
        s.storage.backends = [{ name: "lvm", kind: "lvm", volumeType: "standard" }];
        s.storage.backup = { service: "swift", container: "volumebackups" };
      }),
    ).model;
  const site = (m: ReturnType<typeof design>) =>
    m.recovery.find((r) => r.scenario === "one-of-sites")!;
  const paired = site(design("pair"));
  expect(paired.outcome).toMatch(/rebuild-from-backup-regions$/);
  expect(paired).toMatchObject({
    objectsLost: true,
    // (both sites alike: each is named)
    params: {
      objectsSite: ["dc1", "dc2"],
      objectsSiteCount: 2,
      copies: 3,
      pieces: 6,
      ec: 1,
      // (every partition of the erasure-coded policy has 3 fragments at each site)
      swiftLoss: "policies",
      policies: ["cold"],
    },
  });
  const { markdown } = await renderArchitecture(design("pair"));
  expect(markdown).toContain(
    "each of sites dc1, dc2 holds Swift storage nodes of 3 Swift zones, where the ring puts at least 3 of the 6 fragments of every object of storage policy cold, more than it survives losing: every object of that policy is lost with it",
  );
  // AND Swift's own builder puts 3 of cold's 6 fragments of every partition at dc1, and one of
  // pair's 2 copies: its objects survive
  const m = design("pair");
  const atDc1 = (n: string) => m.nodes.find((x) => x.name === n)?.site === "dc1";
  expect(piecesAt(m, "object.builder", atDc1)).toEqual([3, 3]);
  expect(piecesAt(m, "object-1.builder", atDc1)).toEqual([1, 1]);
  // AND backups in the erasure-coded policy are not said to survive the site
  expect(site(design("cold")).outcome).toMatch(/rebuild-from-backup$/);
});

test("cinder-backup takes the policy of the default backup container too, for the deploy and the quota check alike", () => {
  // GIVEN backups to Swift naming no container, and the default one (backups) declared on cold
  const m = load(
    variant((s) => {
      s.controlPlane.services = [...s.controlPlane.services, "swift", "cinder"];
      s.storage = {
        swift: swiftCluster({
          storageNodes: 6,
          policies: [gold, cold(4, 2)],
          containers: [{ name: "backups", purpose: "backups", storagePolicy: "cold" }],
        }),
        backends: [{ name: "lvm", kind: "lvm", volumeType: "standard" }],
        backup: { service: "swift" },
      };
    }),
  ).model;
  expect(m.deploy.cinder.backup).toMatchObject({ driver: "swift", storagePolicy: "cold" });
});

test("the proposal counts Swift at its default policy and says what the others hold", async () => {
  // GIVEN 48 TB raw (3 nodes of 4 x 4 TB), gold keeping 3 copies by default and cold coded 4+2
  const m = load(withSwift({ policies: [gold, cold(4, 2)] })).model;
  const book = testBook((b) => b.hardware!.push({ profile: "stor", unitPrice: 15000 }));
  const md = String((await proposalDocuments(m, book, [])).get("proposal/proposal.md"));
  // THEN the object storage row holds gold's 16 TB, of which the data held is what two of the
  // three nodes keep once the third's objects are copied onto them, and the text says cold's 32 TB
  expect(md).toContain("| Object (Swift, Ceph RGW) | 16 | 10.67 |");
  expect(md).toContain(
    "Swift's usable capacity is that of its default storage policy, gold (16 TB), where containers naming no policy keep their objects; the same disks, given wholly to another policy, would hold 32 TB in cold.",
  );
  // AND a lone policy is not explained
  const lone = load(withSwift({ policies: [gold] })).model;
  expect(
    String((await proposalDocuments(lone, book, [])).get("proposal/proposal.md")),
  ).not.toContain("Swift's usable capacity");
});

test("rings.sh run again builds the ring of a policy added since and keeps the running rings", () => {
  // GIVEN the rings of gold built by rings.sh, run by sh with Swift's own ring builder
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-rings-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, "swift-ring-builder"),
    "#!/usr/bin/python3\nimport sys\nfrom swift.cli.ringbuilder import main\nmain(sys.argv)\n",
    { mode: 0o755 },
  );
  const etc = path.join(dir, "etc-swift");
  fs.mkdirSync(etc);
  const run = (policies: object[]) => {
    const script = swiftRingPlan(load(withSwift({ policies, partitionPower: 8 })).model)
      .get("config/swift/rings.sh")!
      .replace("cd /etc/swift", `cd ${etc}`);
    fs.writeFileSync(path.join(dir, "rings.sh"), script);
    return execFileSync("/bin/sh", [path.join(dir, "rings.sh")], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
  };
  run([gold]);
  const built = () =>
    Object.fromEntries(
      fs
        .readdirSync(etc)
        .filter((f) => f.endsWith(".ring.gz") || f.endsWith(".builder"))
        .map((f) => [f, fs.readFileSync(path.join(etc, f)).toString("base64")]),
    );
  const before = built();
  expect(Object.keys(before).sort()).toEqual([
    "account.builder",
    "account.ring.gz",
    "container.builder",
    "container.ring.gz",
    "object.builder",
    "object.ring.gz",
  ]);
  // WHEN cold is added and the script runs again
  run([gold, cold(4, 2)]);
  // THEN cold's ring is built and the others are the same files
  const after = built();
  expect(Object.keys(after).sort()).toEqual(
    [...Object.keys(before), "object-1.builder", "object-1.ring.gz"].sort(),
  );
  for (const [file, bytes] of Object.entries(before))
    expect([file, after[file]]).toEqual([file, bytes]);
  // AND a builder left without its ring (a run cut short) stops the script, kept as it is
  fs.rmSync(path.join(etc, "object-1.ring.gz"));
  let refused: { status: number; stderr: string } | undefined;
  try {
    run([gold, cold(4, 2)]);
  } catch (e) {
    refused = e as { status: number; stderr: string };
  }
  expect([refused?.status, refused?.stderr.trim().split("\n").at(-1)]).toEqual([
    1,
    "object-1.builder has no object-1.ring.gz: a run cut short? remove object-1.builder and run again",
  ]);
  expect(fs.readFileSync(path.join(etc, "object-1.builder")).toString("base64")).toBe(
    after["object-1.builder"],
  );
  fs.rmSync(dir, { recursive: true, force: true });
});
