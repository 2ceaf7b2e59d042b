import type { Spec } from "../schema";
import { HOSTED_BACKENDS, hostDomain, hostGroups, type HostGroup } from "../hosts";
import type { Findings, Path } from "./findings";
import { networkCloudName, networkStackName, tenantId } from "../../core/naming";
import { formatPath } from "../../core/errors";
import { KOLLA_CHILD_GROUPS, KOLLA_GROUPS, KOLLA_GROUPS_BY_ROLE } from "../../core/kolla-groups";

/**
 * Group names of the Kolla-Ansible inventory and Ansible's own: a host of that name is what a
 * play targeting the group runs on (a host name wins over a group in Ansible's patterns), so a
 * controller named `keystone` would get Keystone alone.
 */
const INVENTORY_GROUPS: ReadonlySet<string> = new Set([
  "all",
  "ungrouped",
  ...KOLLA_GROUPS,
  ...KOLLA_CHILD_GROUPS.flatMap(([group, children]) => [group, ...children]),
]);

/**
 * Host names, the undercloud, block storage and the deployer: every server has one name (the
 * aggregates, the bare-metal stack and the deployer inventory all use it) and the undercloud is
 * another cloud than the one it builds. Fixed addresses are checked by the model, which knows
 * the networks each role joins (model/host-checks.ts).
 */
export function hosts(spec: Spec, f: Findings): void {
  // Pools in the order the spec writes them (hostGroups takes them by name), so a clash cites
  // the one written first.
  const all = hostGroups(spec);
  const at = (g: HostGroup) => g.countPath.filter((p): p is number => typeof p === "number");
  const pools = all
    .filter((g) => g.role === "compute")
    .sort((a, b) => at(a)[0] - at(b)[0] || at(a)[1] - at(b)[1]);
  const groups = all.map((g) => (g.role === "compute" ? pools.shift()! : g));
  const seen = new Map<string, { path: Path; compute: boolean; role: string; group: number }>();
  // One clash a pair of groups: every generated name of two pools of one id meets.
  const clashed = new Set<string>();
  for (const [gi, g] of groups.entries()) {
    if (g.role !== "compute" && g.role !== "deployer" && g.namesPath && g.names.length !== g.count)
      f.error(
        "hostnames-count",
        g.namesPath,
        `${g.names.length} host names for ${g.count} ${g.role} hosts; list exactly one name per host`,
      );
    g.names.forEach((name, i) => {
      const path: Path = listedNamePath(g, i) ?? g.countPath;
      const compute = g.role === "compute" && g.namesPath !== undefined;
      const first = seen.get(name);
      if (!first) {
        seen.set(name, { path, compute, role: g.role, group: gi });
        return;
      }
      // Two user-named hypervisors sharing a name are reported with the pools.
      if (first.compute && compute) return;
      if (clashed.has(`${first.group}/${gi}`)) return;
      clashed.add(`${first.group}/${gi}`);
      // A name given to servers of two roles (a controller as a hypervisor or OSD host) is the
      // attempt at a converged node.
      const converged = first.role !== g.role;
      const [one, other] = first.role === "compute" ? [first.role, g.role] : [g.role, first.role];
      f.error(
        "duplicate-hostname",
        path,
        `host name ${JSON.stringify(name)} is already the name of another server (${formatPath(first.path)}); every server needs its own name, since Nova, the aggregates and the deployer inventory know it by that name${converged ? `: a ${other} host cannot also be a ${one} host here (no converged nodes); give the ${one === "compute" ? "pool" : `${one} hosts`} servers of ${one === "compute" ? "its" : "their"} own` : ""}`,
      );
    });
  }

  const uc = spec.cloud.undercloud;
  if (uc && uc.cloud === spec.cloud.cloud)
    f.error(
      "undercloud-is-overcloud",
      ["cloud", "undercloud", "cloud"],
      `the undercloud entry ${JSON.stringify(uc.cloud)} is the cloud being built (cloud.cloud); the servers must be provisioned by another cloud (Nova with Ironic): name its clouds.yaml entry`,
    );

  // The user data turns password logins off: without a key only an image with keys of its own
  // lets anyone in, the deployment host (itself one of these servers) included.
  if (uc && !uc.keyPair && !spec.controlPlane.keyPair)
    f.warn(
      "undercloud-key-pair-missing",
      ["cloud", "undercloud"],
      "the undercloud deploys the servers with no key pair and password logins off: nobody can log in to them, the deployment host included, unless the image carries a key; name the undercloud's key pair in cloud.undercloud.keyPair",
    );

  // With project credentials each tenant's network is a stack of its own, `network-<id>`.
  const ts = spec.output.tenantStacks;
  const networkStacks = new Map<string, string>();
  if (typeof ts === "object" && ts.networkCredentials === "project") {
    spec.tenants.forEach((t, i) => {
      const id = tenantId(t);
      if (!id) return;
      networkStacks.set(networkStackName(id), t.name);
      // One clouds.yaml entry cannot be both the undercloud's admin and a project's credential.
      const entry = networkCloudName(spec.cloud.cloud, id);
      if (uc && uc.cloud === entry)
        f.error(
          "cloud-entry-shared",
          ["cloud", "undercloud", "cloud"],
          `the undercloud entry ${JSON.stringify(uc.cloud)} is also the clouds.yaml entry of tenant ${t.name}'s network stack (<cloud>-<tenant id>, tenants[${i}]); name the undercloud's entry otherwise`,
        );
    });
  }
  spec.tenants.forEach((t, i) => {
    if (t.stack === "baremetal")
      f.error(
        "stack-reserved",
        ["tenants", i, "stack"],
        `stack "baremetal" is the bare-metal stack that provisions the servers; choose another stack name for tenant ${t.name}`,
      );
    const owner = t.stack === undefined ? undefined : networkStacks.get(t.stack);
    if (owner !== undefined)
      f.error(
        "stack-reserved",
        ["tenants", i, "stack"],
        `stack ${JSON.stringify(t.stack)} is the network stack of tenant ${owner} (output.tenantStacks.networkCredentials: project); choose another stack name for tenant ${t.name}`,
      );
  });

  const hosted = spec.storage.backends.some((b) => HOSTED_BACKENDS.has(b.kind));
  if (spec.storage.blockStorageNodes && !hosted)
    f.warn(
      "block-storage-unused",
      ["storage", "blockStorageNodes"],
      "block-storage nodes are declared but no LVM, ZFS or GlusterFS backend uses them; remove them or declare such a backend",
    );
  spec.storage.backends.forEach((b, i) => {
    if (b.targetProtocol && b.kind !== "lvm" && b.kind !== "zfs")
      f.error(
        "target-protocol-kind",
        ["storage", "backends", i, "targetProtocol"],
        `targetProtocol applies to LVM and ZFS backends that export iSCSI/iSER targets, not to ${b.kind}; remove it`,
      );
  });
  const hw = new Set(spec.hardware.map((h) => h.name));
  for (const [value, path] of [
    [spec.storage.blockStorageNodes?.hardware, ["storage", "blockStorageNodes", "hardware"]],
    [spec.deployer?.hardware, ["deployer", "hardware"]],
  ] as const) {
    if (value !== undefined && !hw.has(value))
      f.error(
        "unknown-reference",
        path,
        `hardware profile ${JSON.stringify(value)} is not declared (declared: ${[...hw].sort().join(", ")})`,
      );
  }
}

/** The spec path of a host's name in the user's list, when the spec lists the names. */
function listedNamePath(g: HostGroup, i: number): Path | undefined {
  if (!g.namesPath) return undefined;
  return g.role === "deployer" ? g.namesPath : [...g.namesPath, i];
}

/** A host name is one DNS label (RFC 1035: 63 octets; Linux takes 64). */
const MAX_HOST_NAME = 63;
/** A domain name in text, without the final dot (RFC 1035: 255 octets on the wire). */
const MAX_FQDN = 253;

const characters = (n: number) => `${n} character${n === 1 ? "" : "s"}`;

/**
 * Host name lengths: every name the model will give a server (the same hostGroups and the same
 * domain) fits one DNS label, and its FQDN `<host>.<domain>` a domain name. Names are ASCII
 * (identifiers), so characters are octets. Generated names are reported once per group at what
 * they are made of; listed ones at their entry.
 */
export function hostNameLengths(spec: Spec, f: Findings): void {
  const domain = hostDomain(spec);
  const domainKey = spec.network.domain !== undefined ? "network.domain" : "output.namingPrefix";
  for (const g of hostGroups(spec)) {
    for (const { name, path, made, fix } of nameSources(spec, g)) {
      const fqdn = `${name}.${domain}`;
      // Kolla's inventory holds the deployment host as `localhost`: Ansible would take a server
      // of that name for it.
      if (name === "localhost")
        f.error(
          "name-reserved",
          path,
          `host name "localhost"${made} is the deployment host to Kolla-Ansible's inventory; choose another name`,
        );
      else if (INVENTORY_GROUPS.has(name) && KOLLA_GROUPS_BY_ROLE[g.role]?.length)
        f.error(
          "name-reserved",
          path,
          `host name "${name}"${made} is a group of Kolla-Ansible's inventory, and Ansible would run that group's plays on this host alone; choose another name`,
        );
      // The undercloud stack holds the controllers' server group under this name.
      if (name === "controllers" && spec.controlPlane.deployment === "vm")
        f.error(
          "name-reserved",
          path,
          `host name "controllers"${made} is the controllers' server group in the bare-metal stack; choose another name`,
        );
      if (name.length > MAX_HOST_NAME)
        f.error(
          "hostname-too-long",
          path,
          `host name ${JSON.stringify(name)}${made} is ${name.length} characters; a host name is one DNS label of at most ${MAX_HOST_NAME} (RFC 1035; Linux takes 64): ${fix(characters(name.length - MAX_HOST_NAME))}`,
        );
      else if (fqdn.length > MAX_FQDN)
        f.error(
          "fqdn-too-long",
          path,
          `FQDN ${JSON.stringify(fqdn)} of host name ${JSON.stringify(name)}${made} is ${fqdn.length} characters; a domain name is at most ${MAX_FQDN} (RFC 1035): ${fix(characters(fqdn.length - MAX_FQDN), domainKey)}`,
        );
    }
  }
}

/** A host name as the spec makes it: where, how the message tells it, and how to shorten it. */
interface NameSource {
  readonly name: string;
  readonly path: Path;
  readonly made: string;
  /** The fix, for names too long by `excess`; `domainKey` when the domain can be shortened too. */
  readonly fix: (excess: string, domainKey?: string) => string;
}

/** Where a group's names come from: each listed name, or what the generated ones are made of. */
function nameSources(spec: Spec, g: HostGroup): NameSource[] {
  const or = (domainKey?: string) => (domainKey ? ` or ${domainKey}` : "");
  if (g.namesPath)
    return g.names.map((name, i) => ({
      name,
      path: listedNamePath(g, i) as Path,
      made: "",
      fix: (excess, domainKey) => `shorten the host name${or(domainKey)} by ${excess}`,
    }));
  // Generated names differ only in their sequence number, all of one width: the first stands for all.
  const name = g.names[0];
  if (name === undefined) return [];
  const hosts = g.count === 1 ? "the host" : `the ${g.count} hosts`;
  if (g.role === "compute") {
    // A pool's count sits at zones[z].pools[p].hosts; its hosts are named <zone>-<pool>-<number>.
    const poolPath = g.countPath.slice(0, -1);
    const [, zi, , pi] = poolPath as [string, number, string, number];
    const zone = spec.zones[zi];
    const pool = zone.pools[pi];
    const listed = formatPath([...poolPath, "hostnames"]);
    return [
      {
        name,
        path: [...poolPath, "name"],
        made: `, generated as <zone>-<pool>-<number> for ${hosts} of pool ${pool.name} in zone ${zone.name},`,
        fix: (excess, domainKey) =>
          `shorten the zone or pool name${or(domainKey)} by ${excess}, or list shorter host names in ${listed}`,
      },
    ];
  }
  // A role's names are a short fixed prefix and a number; only a long domain can be too much.
  return [
    {
      name,
      path: g.countPath,
      made: `, generated for ${hosts} of role ${g.role},`,
      fix: (excess, domainKey) =>
        domainKey
          ? `shorten ${domainKey} by ${excess}, or list shorter host names for them`
          : `list shorter host names for them`,
    },
  ];
}
