import { execFile, execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";

/** Debian's Python: the OpenStack, oslo.config and Ceph modules are installed for it. */
export const PYTHON = "/usr/bin/python3";
const SUPPORT = __dirname;
const run = promisify(execFile);

const MISSING =
  "run scripts/install-system-packages.sh as root (ansible-core, python3-nova, -neutron, -cinder, -glance, -keystone, -octavia, python3-ceph-common, python3-swift, haproxy, openssl, chrony)";

/** chronyd, whose `-p` parses a configuration and prints it. */
export const CHRONYD = "/usr/sbin/chronyd";

/** HAProxy, the load balancer Kolla-Ansible runs. */
export const HAPROXY = "/usr/sbin/haproxy";

/** Fails, never skips, when a consumer is not installed. */
export function requireConsumers(): void {
  for (const bin of [PYTHON, "/usr/bin/ansible-inventory", HAPROXY, CHRONYD])
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: ${MISSING}`);
}

/** oslo.config namespaces per service; one process each, since the services clash in one. */
export const OSLO_NAMESPACES: readonly (readonly string[])[] = [
  ["nova.conf"],
  [
    "neutron",
    "neutron.ml2",
    "neutron.ml2.ovs.agent",
    "neutron.service_providers",
    "neutron.extension_quotas",
  ],
  ["cinder"],
  ["glance.api", "glance.store", "glance.multi_store"],
  ["keystone"],
  ["octavia"],
];

export type OsloOptions = Record<string, Record<string, string[]>>;

let options: Promise<OsloOptions> | undefined;

/**
 * The options every namespace defines, from the installed packages. Computed once per test run
 * and kept in the temp folder under the packages' versions (the Cinder listing alone takes ~25 s).
 */
export function osloOptions(): Promise<OsloOptions> {
  options ??= (async () => {
    const versions = execFileSync("dpkg-query", [
      "-W",
      "-f=${Package}=${Version}\n",
      "python3-nova",
      "python3-neutron",
      "python3-cinder",
      "python3-glance",
      "python3-keystone",
      "python3-octavia",
      "python3-oslo.config",
    ]).toString();
    const script = path.join(SUPPORT, "oslo-options.py");
    const key = createHash("sha256")
      .update(versions)
      .update(fs.readFileSync(script))
      .update(JSON.stringify(OSLO_NAMESPACES))
      .digest("hex")
      .slice(0, 16);
    const cache = path.join(os.tmpdir(), `stackwright-oslo-options-${key}.json`);
    if (fs.existsSync(cache)) return JSON.parse(fs.readFileSync(cache, "utf8")) as OsloOptions;
    const parts = await Promise.all(
      OSLO_NAMESPACES.map(async (ns) => {
        const { stdout } = await run(PYTHON, [script, ...ns], { maxBuffer: 64 << 20 });
        return JSON.parse(stdout) as OsloOptions;
      }),
    );
    const all = Object.assign({}, ...parts) as OsloOptions;
    const tmp = `${cache}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(all));
    fs.renameSync(tmp, cache);
    return all;
  })();
  return options;
}

/** Sections and options of each override as Kolla renders it and oslo.config reads it. */
export function readOverrides(
  files: Readonly<Record<string, string>>,
  variables: Readonly<Record<string, unknown>>,
): Record<string, Record<string, string[]> & { error?: string }> {
  return consumer("configs", files, variables);
}

/** cephadm's verdict on each spec file: the errors of its documents. */
export function parseCephSpecs(files: Readonly<Record<string, string>>): Record<string, string[]> {
  return consumer("ceph", files, {});
}

/** The `ceph osd ...` and `ceph config ...` lines of each pools.sh the ceph CLI's parser refuses. */
export function parseCephCommands(
  files: Readonly<Record<string, string>>,
): Record<string, string[]> {
  return consumer("ceph-commands", files, {});
}

export interface SwiftRings {
  readonly errors: string[];
  readonly [builder: `${string}.builder`]: {
    readonly replicas: number;
    readonly part_power: number;
    readonly devices: readonly Record<string, string | number>[];
    /** The most replicas (or fragments) of one partition on one address. */
    readonly mostPerHost: number;
    /** Each distinct set of addresses some partition's replicas landed on, when asked for. */
    readonly replicaHosts?: readonly (readonly string[])[];
    /** The same, each address as often as it holds a piece of the partition. */
    readonly replicaHostCounts?: readonly (readonly string[])[];
  };
  /** Swift's parse of swift.conf's storage policies, each with its loaded ring, when given one. */
  readonly policies?: readonly {
    readonly index?: number;
    readonly name?: string;
    readonly type?: string;
    readonly ec_type?: string;
    readonly ndata?: number;
    readonly nparity?: number;
    readonly ringReplicas?: number;
    readonly error?: string;
  }[];
}

/**
 * The rings Swift's own ring builder makes from rings.sh, and the commands it refused; with a
 * swift.conf, the policies Swift reads from it, each loading its ring.
 */
export function buildSwiftRings(
  script: string,
  replicaHosts = false,
  swiftConf?: string,
): SwiftRings {
  return consumer("swift-rings", { "rings.sh": script }, { replicaHosts, swiftConf });
}

function consumer<T>(kind: string, files: Readonly<Record<string, string>>, variables: object): T {
  const out = execFileSync(PYTHON, [path.join(SUPPORT, "deploy-consumers.py")], {
    input: JSON.stringify({ kind, files, variables }),
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString()) as T;
}

export interface AnsibleInventory {
  readonly groups: Record<string, { hosts: string[]; children: string[] }>;
  readonly hostvars: Record<string, Record<string, string>>;
}

/** `ansible-inventory -i <file> --list`, as Kolla-Ansible's playbooks see the inventory. */
export function ansibleInventory(file: string): AnsibleInventory {
  const out = execFileSync("ansible-inventory", ["-i", file, "--list"], {
    env: {
      ...process.env,
      ANSIBLE_INVENTORY_ENABLED: "ini",
      ANSIBLE_INVENTORY_UNPARSED_FAILED: "true",
      ANSIBLE_NOCOLOR: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  });
  const raw = JSON.parse(out.toString()) as Record<string, any>;
  const groups: AnsibleInventory["groups"] = {};
  for (const [name, g] of Object.entries(raw)) {
    if (name === "_meta") continue;
    groups[name] = { hosts: g.hosts ?? [], children: g.children ?? [] };
  }
  return { groups, hostvars: raw._meta?.hostvars ?? {} };
}

/** Every host of a group, through its children, as Ansible resolves it. */
export function groupHosts(
  inv: AnsibleInventory,
  group: string,
  seen = new Set<string>(),
): string[] {
  if (seen.has(group)) return [];
  seen.add(group);
  const g = inv.groups[group];
  if (!g) return [];
  return [...new Set([...g.hosts, ...g.children.flatMap((c) => groupHosts(inv, c, seen))])].sort();
}
