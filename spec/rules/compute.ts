import { poolId } from "../../core/naming";
import { type Spec } from "../schema";
import { type Path, Findings } from "./findings";

/** Flavor and pool settings that contradict each other; fit on the hardware is a model check. */
export function flavors(spec: Spec, f: Findings) {
  const listedBy = new Map<string, string>();
  for (const t of spec.tenants) for (const name of t.flavors) listedBy.set(name, t.name);
  // A tenant listing no flavor boots only public ones: a flavor some tenant lists is private.
  const anyPublic = spec.zones.some((z) =>
    z.pools.some((p) => p.flavors.some((fl) => fl.public ?? !listedBy.has(fl.name))),
  );
  if (!anyPublic)
    spec.tenants.forEach((t, ti) => {
      if (!t.flavors.length)
        f.warn(
          "tenant-no-flavor",
          ["tenants", ti],
          `tenant ${t.name} lists no flavor, and every flavor is private to the tenants that list it: its project can boot nothing, while its quota counts on the capacity; list flavors for it in tenants[${ti}].flavors, or make one public`,
        );
    });
  // A tenant's quota is charged to its pool: a pool offering it no flavor leaves it booting on
  // other pools' public flavors (or nothing), whose capacity the charge does not count.
  spec.tenants.forEach((t, ti) => {
    if (t.pool === undefined) return;
    const pools = spec.zones.flatMap((z) => z.pools.filter((p) => p.name === t.pool));
    if (!pools.length || !pools.some((p) => p.flavors.length)) return;
    const usable = pools.some((p) =>
      p.flavors.some((fl) => t.flavors.includes(fl.name) || (fl.public ?? !listedBy.has(fl.name))),
    );
    if (!usable)
      f.warn(
        "tenant-pool-no-flavor",
        ["tenants", ti, "pool"],
        `tenant ${t.name}'s quota is charged to pool ${t.pool}, but every flavor of that pool is private to the tenants that list it: its instances can run only on other pools' public flavors, whose capacity the quota check does not charge it to; list a flavor of ${t.pool} in tenants[${ti}].flavors, or make one public`,
      );
  });
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      p.flavors.forEach((fl, fi) => {
        const path: Path = ["zones", zi, "pools", pi, "flavors", fi];
        if (fl.dedicated && !p.cpuPinning) {
          f.error(
            "flavor-dedicated",
            [...path, "dedicated"],
            `flavor ${fl.name} asks for dedicated CPUs but pool ${p.name} does not pin (set cpuPinning: true)`,
          );
        }
        accelerated(spec, f, p, fl, path, listedBy.has(fl.name));
        // Nova grants access to private flavors only; a public one is everyone's already.
        const tenant = listedBy.get(fl.name);
        if (fl.public === true && tenant !== undefined)
          f.error(
            "flavor-public-listed",
            [...path, "public"],
            `flavor ${fl.name} is public, but tenant ${JSON.stringify(tenant)} lists it as a flavor of its own; remove public: true to make it private to the tenants that list it, or drop it from their flavors`,
          );
      });
      // Every flavor carries its own pool's aggregate key (AggregateInstanceExtraSpecsFilter);
      // a pool kept for Octavia's amphorae takes theirs.
      const amphorae =
        spec.controlPlane.services.includes("octavia") &&
        (spec.controlPlane.octaviaPool === p.name ||
          spec.controlPlane.octaviaPool === poolId(z.name, p.name));
      if (!p.flavors.length && p.hosts > 0 && !amphorae)
        f.warn(
          "pool-no-flavors",
          ["zones", zi, "pools", pi],
          `pool ${p.name} of zone ${z.name} offers no flavor: each flavor asks for its own pool's aggregate, so Nova places no tenant instance on its ${p.hosts} ${p.hosts === 1 ? "host" : "hosts"}, while the capacity figures and the proposal count ${p.hosts === 1 ? "it" : "them"}; give it flavors, or remove it`,
        );
      if (p.spareHosts >= p.hosts && p.hosts > 1) {
        f.error(
          "spare-hosts",
          ["zones", zi, "pools", pi, "spareHosts"],
          `${p.spareHosts} spare hosts leave no usable host of ${p.hosts}`,
        );
      }
    }),
  );
}

export function serverGroups(spec: Spec, f: Findings) {
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) =>
      p.serverGroups.forEach((g, gi) => {
        if (g.maxServersPerHost !== undefined && g.policy !== "anti-affinity")
          f.error(
            "server-group-max",
            ["zones", zi, "pools", pi, "serverGroups", gi, "maxServersPerHost"],
            `maxServersPerHost only applies to the anti-affinity policy; server group ${g.name} is ${g.policy}: remove maxServersPerHost or use anti-affinity`,
          );
      }),
    ),
  );
}

type PoolSpec = Spec["zones"][number]["pools"][number];

/**
 * A flavor's PCI devices come from its pool's hosts (Nova's PciPassthroughFilter finds no other),
 * at most a host's worth; Nova has no quota on them, so a public one is anyone's to take.
 */
function accelerated(
  spec: Spec,
  f: Findings,
  pool: PoolSpec,
  fl: PoolSpec["flavors"][number],
  path: Path,
  listed: boolean,
) {
  const asked = Object.entries(fl.accelerators ?? {});
  if (!asked.length) return;
  const devices = spec.hardware.find((h) => h.name === pool.hardware)?.accelerators ?? [];
  for (const [name, count] of asked) {
    const device = devices.find((d) => d.name === name);
    if (!device)
      f.error(
        "flavor-accelerator-unknown",
        [...path, "accelerators", name],
        `flavor ${fl.name} asks for accelerator ${name}, which hardware ${pool.hardware} of pool ${pool.name} does not have (${devices.length ? `it has ${devices.map((d) => d.name).join(", ")}` : "it lists no accelerators"}): Nova would find no host; name one of its hardware's accelerators, or list the device in hardware[].accelerators`,
      );
    else if (count > device.count)
      f.error(
        "flavor-too-large",
        [...path, "accelerators", name],
        `flavor ${fl.name} asks for ${count} ${name} devices, and a ${pool.hardware} host has ${device.count}: an instance takes its devices from one host; ask for ${device.count} or fewer`,
      );
  }
  if (fl.public ?? !listed)
    f.warn(
      "flavor-accelerators-public",
      [...path, "public"],
      `flavor ${fl.name} passes ${asked.map(([n, c]) => `${c} ${n}`).join(" and ")} through to each instance and is public: every project may boot it, and Nova has no quota on PCI devices to stop one taking them all; list it in the flavors of the tenants it is for (tenants[].flavors)`,
    );
}

/**
 * One alias names one kind of device throughout (Nova reads every alias from one nova.conf), and
 * a profile lists a device once, with its count.
 */
export function accelerators(spec: Spec, f: Findings) {
  const byName = new Map<
    string,
    { hardware: string; vendorId: string; productId: string; deviceType: string }
  >();
  spec.hardware.forEach((h, hi) => {
    const seen = new Map<string, string>();
    h.accelerators.forEach((a, ai) => {
      const path: Path = ["hardware", hi, "accelerators", ai];
      const id = `${a.vendorId}:${a.productId}`;
      const twin = seen.get(id);
      if (twin !== undefined)
        f.error(
          "accelerator-device-duplicate",
          path,
          `hardware ${h.name} lists device ${id} twice (${twin} and ${a.name}): Nova's alias for either would take both; list it once, with its count`,
        );
      seen.set(id, a.name);
      // Devices no flavor asks for sit bound to vfio-pci, unused, and are still bought: said at
      // each pool of the hardware that offers none (a flavor reaches only its own pool's hosts).
      const pools = spec.zones.flatMap((z, zi) =>
        z.pools.flatMap((p, pi) => (p.hardware === h.name ? [{ p, at: [zi, pi] as const }] : [])),
      );
      if (!pools.length)
        f.warn(
          "accelerators-unused",
          path,
          `no compute pool runs on hardware ${h.name}, and only compute hosts pass devices through: its ${a.name} devices would sit idle, and the proposal still prices them; remove the device, or give a pool this hardware and a flavor accelerators: { ${a.name}: <count> }`,
        );
      for (const { p, at } of pools)
        if (!p.flavors.some((fl) => fl.accelerators?.[a.name] !== undefined))
          f.warn(
            "accelerators-unused",
            ["zones", at[0], "pools", at[1], "flavors"],
            `no flavor of pool ${p.name} asks for the ${a.name} devices of its hardware ${h.name}: on its ${p.hosts} ${p.hosts === 1 ? "host" : "hosts"} they would sit idle, bound to vfio-pci, and the proposal still prices them; give a flavor of the pool accelerators: { ${a.name}: <count> }, or give the pool hardware without them`,
          );
      const other = byName.get(a.name);
      if (
        other &&
        (other.vendorId !== a.vendorId ||
          other.productId !== a.productId ||
          other.deviceType !== a.deviceType)
      )
        f.error(
          "accelerator-alias-conflict",
          [...path, "name"],
          `accelerator ${a.name} is ${a.deviceType} device ${id} here and ${other.deviceType} device ${other.vendorId}:${other.productId} on hardware ${other.hardware}: every Nova service reads one set of aliases, which takes either device for a flavor asking for ${a.name} (and refuses one name of two device types); name the two kinds apart`,
        );
      else if (!other)
        byName.set(a.name, {
          hardware: h.name,
          vendorId: a.vendorId,
          productId: a.productId,
          deviceType: a.deviceType,
        });
    });
  });
}
