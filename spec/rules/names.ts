import { formatPath } from "../../core/errors";
import { AMPHORA_FLAVOR } from "../../core/defaults";
import { type Spec } from "../schema";
import { TENANT_SUBNET_POOL_IDS, tenantId, tenantLookup, poolId } from "../../core/naming";
import { type Path, Findings, duplicates } from "./findings";
import { terraformName } from "../../core/terraform-names";
import { foldName } from "../text-checks";

/** Nova's default_availability_zone and internal_service_availability_zone. */
const NOVA_DEFAULT_ZONE = "nova";
const NOVA_INTERNAL_ZONE = "internal";

/** Kolla-Ansible's octavia_amp_flavor name. */
const OCTAVIA_FLAVOR = AMPHORA_FLAVOR.name;

const SUBNET_POOL_IDS: ReadonlySet<string> = new Set(Object.values(TENANT_SUBNET_POOL_IDS));

export function uniqueNames(spec: Spec, f: Findings) {
  duplicates(
    spec.hardware,
    (h) => h.name,
    f,
    (i) => ["hardware", i, "name"],
    "hardware profile",
  );
  duplicates(
    spec.sites,
    (s) => s.name,
    f,
    (i) => ["sites", i, "name"],
    "site",
  );
  duplicates(
    spec.zones,
    (z) => z.name,
    f,
    (i) => ["zones", i, "name"],
    "zone",
  );
  // The zone names Nova keeps: `internal` holds its own services, hidden from users' zone list;
  // hosts outside every zone aggregate are in `nova`, which its admin guide says never to give
  // an aggregate (instances pinned to it break moves).
  spec.zones.forEach((z, i) => {
    if (z.name === NOVA_INTERNAL_ZONE)
      f.error(
        "name-reserved",
        ["zones", i, "name"],
        `zone name ${z.name} is Nova's zone of its own services, which Nova hides from users' zone list; rename the zone`,
      );
    if (z.name === NOVA_DEFAULT_ZONE)
      f.warn(
        "zone-default-name",
        ["zones", i, "name"],
        `zone name ${z.name} is Nova's default zone, where hosts outside every zone aggregate are: Nova's admin guide says never to give an aggregate that zone, as instances asking for it may not move later; rename the zone while the cloud is not built (on a running cloud renaming moves every host, aggregate and flavor of the zone)`,
      );
  });
  spec.zones.forEach((z, zi) =>
    duplicates(
      z.pools,
      (p) => p.name,
      f,
      (i) => ["zones", zi, "pools", i, "name"],
      `pool in zone ${z.name}:`,
    ),
  );
  // A provider network's id reaches the tenant stacks given it through an output named after it
  // (network_<name>_id): two names read alike would share one.
  distinctInTerraform(
    spec.network.networks,
    (n) => n.name,
    f,
    (i) => ["network", "networks", i, "name"],
    "network",
  );
  if (spec.network.tenantSubnetPool) {
    spec.network.networks.forEach((n, i) => {
      if (SUBNET_POOL_IDS.has(n.name))
        f.error(
          "name-reserved",
          ["network", "networks", i, "name"],
          `network name ${JSON.stringify(n.name)} is taken by the tenant subnet pool's resources; rename the network`,
        );
    });
  }
  // A backend's id reaches the tenant stacks through an output named after it
  // (volume_type_<backend>_id): two names read alike would share one.
  distinctInTerraform(
    spec.storage.backends,
    (b) => b.name,
    f,
    (i) => ["storage", "backends", i, "name"],
    "volume backend",
  );
  duplicates(
    spec.storage.backends,
    (b) => b.volumeType,
    f,
    (i) => ["storage", "backends", i, "volumeType"],
    "volume type",
  );
  // Cinder makes its own default volume type under this name (names compared without case).
  spec.storage.backends.forEach((b, i) => {
    if (foldName(b.volumeType) === "__default__")
      f.error(
        "name-reserved",
        ["storage", "backends", i, "volumeType"],
        `volume type ${JSON.stringify(b.volumeType)} is the one Cinder makes itself; choose another name`,
      );
  });
  // Tenants name a backend by its name or its volume type, so one namespace holds both.
  spec.storage.backends.forEach((b, i) => {
    const other = spec.storage.backends.find((o) => o !== b && o.name === b.volumeType);
    if (other)
      f.error(
        "duplicate-name",
        ["storage", "backends", i, "volumeType"],
        `volume type ${JSON.stringify(b.volumeType)} of backend ${b.name} is the name of backend ${other.name}; tenants name a backend by either, so give it another volume type`,
      );
  });
  // Likewise a domain's (domain_<name>_id).
  distinctInTerraform(
    spec.identity.domains,
    (d) => d.name,
    f,
    (i) => ["identity", "domains", i, "name"],
    "domain",
  );
  duplicates(
    spec.tenants,
    (t) => t.name,
    f,
    (i) => ["tenants", i, "name"],
    "tenant",
  );
  if (spec.storage.ceph?.pools) {
    duplicates(
      spec.storage.ceph.pools,
      (p) => p.name,
      f,
      (i) => ["storage", "ceph", "pools", i, "name"],
      "Ceph pool",
    );
  }
  if (spec.storage.swift) {
    duplicates(
      spec.storage.swift.containers,
      (c) => c.name,
      f,
      (i) => ["storage", "swift", "containers", i, "name"],
      "container",
    );
    const policies = spec.storage.swift.policies;
    duplicates(
      policies,
      (p) => p.name,
      f,
      (i) => ["storage", "swift", "policies", i, "name"],
      "storage policy",
    );
    const defaults = policies.filter((p) => p.default).length;
    // Swift makes a lone policy the default, but refuses several without exactly one.
    if (defaults > 1 || (defaults === 0 && policies.length > 1))
      f.error(
        "swift-policy-default",
        ["storage", "swift", "policies"],
        `${defaults} storage policies are marked default; mark exactly one`,
      );
  }
  if (spec.legacyUnix) {
    duplicates(
      spec.legacyUnix.systems,
      (s) => s.name,
      f,
      (i) => ["legacyUnix", "systems", i, "name"],
      "legacy system",
    );
    duplicates(
      spec.legacyUnix.flows,
      (s) => s.name,
      f,
      (i) => ["legacyUnix", "flows", i, "name"],
      "flow",
    );
    spec.legacyUnix.flows.forEach((fl, fi) =>
      duplicates(
        fl.systems,
        (s) => s,
        f,
        (i) => ["legacyUnix", "flows", fi, "systems", i],
        `system of flow ${fl.name}:`,
      ),
    );
  }
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) =>
      duplicates(
        p.serverGroups,
        (g) => g.name,
        f,
        (i) => ["zones", zi, "pools", pi, "serverGroups", i, "name"],
        `server group of pool ${z.name}-${p.name}:`,
      ),
    ),
  );
  // A group mapped twice to one role on one scope would be assigned twice.
  const tenantOf = tenantLookup(spec.tenants);
  const tenantKey = (key: string) => {
    const t = tenantOf(key);
    return t ? (tenantId(t) ?? t.name) : key;
  };
  duplicates(
    spec.identity.groupRoleMappings,
    (m) =>
      JSON.stringify([
        m.domain,
        m.group,
        m.role,
        m.tenant === undefined ? null : tenantKey(m.tenant),
      ]),
    f,
    (i) => ["identity", "groupRoleMappings", i],
    "group-role mapping",
    {
      show: (m) =>
        `${m.group} as ${m.role} on ${m.tenant === undefined ? `domain ${m.domain}` : `tenant ${m.tenant}`}`,
    },
  );
  // Flavor names are global in Nova.
  const flavors = spec.zones.flatMap((z, zi) =>
    z.pools.flatMap((p, pi) =>
      p.flavors.map((fl, fi) => ({
        name: fl.name,
        path: ["zones", zi, "pools", pi, "flavors", fi, "name"] as Path,
      })),
    ),
  );
  distinctInTerraform(
    flavors,
    (x) => x.name,
    f,
    (i) => flavors[i].path,
    "flavor",
    true,
  );
  // Kolla-Ansible's octavia role makes the amphorae's flavor (octavia_amp_flavor) before the
  // platform stack runs.
  if (spec.controlPlane.services.includes("octavia"))
    for (const fl of flavors)
      if (fl.name === OCTAVIA_FLAVOR)
        f.error(
          "name-reserved",
          fl.path,
          `flavor name ${OCTAVIA_FLAVOR} is the one Kolla-Ansible makes for Octavia's amphorae when it deploys Octavia, and Nova keeps flavor names unique; rename the flavor`,
        );
  // Host names must be unique across pools, and match the declared count.
  const hosts: { name: string; path: Path }[] = [];
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      if (p.hostnames && p.hostnames.length !== p.hosts) {
        f.error(
          "hostnames-count",
          ["zones", zi, "pools", pi, "hostnames"],
          `${p.hostnames.length} host names for ${p.hosts} hosts; list exactly one name per host`,
        );
      }
      (p.hostnames ?? []).forEach((h, hi) =>
        hosts.push({ name: h, path: ["zones", zi, "pools", pi, "hostnames", hi] }),
      );
    }),
  );
  duplicates(
    hosts,
    (h) => h.name,
    f,
    (i) => hosts[i].path,
    "host name",
  );
  // Generated names may not collide with pool ids either (zone "a-b" + pool "c" vs zone "a" + pool "b-c").
  const poolIds = spec.zones.flatMap((z, zi) =>
    z.pools.map((p, pi) => ({
      id: poolId(z.name, p.name),
      zone: z.name,
      pool: p.name,
      path: ["zones", zi, "pools", pi, "name"] as Path,
    })),
  );
  duplicates(
    poolIds,
    (p) => p.id,
    f,
    (i) => poolIds[i].path,
    "pool id (zone-pool)",
  );
  // Tenants and legacy flows name a pool by its name or its id: one pool's name may not be
  // another's id, or the reference would take both.
  const byId = new Map(poolIds.map((p) => [p.id, [p.zone, p.pool]]));
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      const [zone, pool] = byId.get(p.name) ?? [];
      if (zone !== undefined)
        f.error(
          "pool-name-ambiguous",
          ["zones", zi, "pools", pi, "name"],
          `pool name ${p.name} is the id of pool ${pool} of zone ${zone}, and tenants and legacy flows name a pool by either; rename one of them`,
        );
    }),
  );
}

/**
 * Names declared once, and none that Terraform names read alike ('.', '_', runs of '-', case):
 * those would share an address or an output.
 */
function distinctInTerraform<T>(
  items: readonly T[],
  name: (t: T) => string,
  f: Findings,
  path: (i: number) => Path,
  what: string,
  /** The items are gathered from several lists: the first is named by its path. */
  gathered = false,
) {
  duplicates(items, name, f, path, what, gathered ? { at: (i) => formatPath(path(i)) } : {});
  const seen = new Map<string, string>();
  items.forEach((item, i) => {
    const n = name(item);
    const key = terraformName([n]);
    const other = seen.get(key);
    if (other === undefined) seen.set(key, n);
    // Exact repeats (after case folding) are `duplicates`' to report.
    else if (foldName(other) !== foldName(n))
      f.error(
        "duplicate-name",
        path(i),
        `${what} ${JSON.stringify(n)} and ${what} ${JSON.stringify(other)} differ only in punctuation or case, which Terraform names read alike; rename one`,
      );
  });
}
