import type { Spec } from "../schema";
import { HOSTED_BACKENDS, hostGroups } from "../hosts";
import type { Findings, Path } from "./findings";
import { tenantId } from "../../core/naming";

/**
 * Host names, the undercloud, block storage and the deployer: every server has one name (the
 * aggregates, the bare-metal stack and the deployer inventory all use it) and the undercloud is
 * another cloud than the one it builds. Fixed addresses are checked by the model, which knows
 * the networks each role joins (model/host-checks.ts).
 */
export function hosts(spec: Spec, f: Findings): void {
  const groups = hostGroups(spec);
  const seen = new Map<string, { path: Path; compute: boolean }>();
  for (const g of groups) {
    if (g.role !== "compute" && g.role !== "deployer" && g.namesPath && g.names.length !== g.count)
      f.error(
        "hostnames-count",
        g.namesPath,
        `${g.names.length} host names for ${g.count} ${g.role} hosts; list exactly one name per host`,
      );
    g.names.forEach((name, i) => {
      const path: Path = g.namesPath
        ? g.role === "deployer"
          ? g.namesPath
          : [...g.namesPath, i]
        : g.countPath;
      const compute = g.role === "compute" && g.namesPath !== undefined;
      const first = seen.get(name);
      if (!first) {
        seen.set(name, { path, compute });
        return;
      }
      // Two user-named hypervisors sharing a name are reported with the pools.
      if (first.compute && compute) return;
      f.error(
        "duplicate-hostname",
        path,
        `host name ${JSON.stringify(name)} is already the name of another server (${first.path.join(".")}); every server needs its own name, since Nova, the aggregates and the deployer inventory know it by that name`,
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

  // With project credentials each tenant's network is a stack of its own, `network-<id>`.
  const ts = spec.output.tenantStacks;
  const networkStacks = new Map<string, string>();
  if (typeof ts === "object" && ts.networkCredentials === "project") {
    for (const t of spec.tenants) {
      const id = tenantId(t);
      if (id) networkStacks.set(`network-${id}`, t.name);
    }
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
