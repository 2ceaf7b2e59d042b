import { type Spec } from "../schema";
import { tenantId, poolId } from "../../core/naming";
import { closestKey } from "../../core/closest-word";
import { type Path, Findings } from "./findings";

export function references(spec: Spec, f: Findings) {
  const hw = new Set(spec.hardware.map((h) => h.name));
  const ref = (set: Set<string>, value: string | undefined, path: Path, what: string) => {
    if (value !== undefined && !set.has(value)) {
      const known = [...set].sort();
      f.error(
        "unknown-reference",
        path,
        `${what} ${JSON.stringify(value)} is not declared${known.length ? ` (declared: ${known.join(", ")})` : ""}`,
      );
    }
  };
  const sites = new Set(spec.sites.map((s) => s.name));
  // Declared sites are what the recovery rows judge: one holding nothing, or zones at none, would
  // have a site's loss read as survivable.
  if (spec.sites.length) {
    const used = new Set(spec.zones.flatMap((z) => (z.site ? [z.site] : [])));
    spec.sites.forEach((s, i) => {
      if (!used.has(s.name))
        f.warn(
          "site-empty",
          ["sites", i, "name"],
          `site ${s.name} holds no zone: the recovery rows count it as a site the others can do without; give a zone site: ${s.name}, or remove the site`,
        );
    });
    // The controllers, network and storage hosts stand at a site through the racks they spread
    // over: with none, they stand at no site, and a site's loss would read as costing nothing.
    if (used.size > 1 && !spec.zones.some((z) => z.racks.length))
      f.error(
        "sites-unracked",
        ["zones"],
        `the zones stand at ${used.size} sites (${[...used].sort().join(", ")}) but declare no racks: the controllers, network nodes and storage hosts are placed by rack, so they would stand at no site and a site's loss could not be judged; give each site's zones their racks (zones[].racks)`,
      );
    spec.zones.forEach((z, zi) => {
      if (z.site === undefined)
        f.warn(
          "zone-site-missing",
          ["zones", zi],
          `zone ${z.name} names no site while the design declares sites (${spec.sites.map((s) => s.name).join(", ")}): its hosts count at no site, and a site's loss is judged without them; set its site`,
        );
    });
  }
  // A zone of racks only is a room for controllers and storage hosts; the cloud needs a pool.
  if (!spec.zones.some((z) => z.pools.length))
    f.error(
      "pools-missing",
      ["zones"],
      "no zone has a compute pool: the cloud would have no host for an instance; give a zone a pool (zones[].pools)",
    );
  spec.zones.forEach((z, zi) => {
    if (!z.pools.length && !z.racks.length)
      f.warn(
        "zone-empty",
        ["zones", zi],
        `zone ${z.name} has no pool and no rack, so nothing stands in it; remove it, or give it racks for the controllers or storage hosts kept there`,
      );
  });
  // Zones may share a site's racks (logical zones: Dev and Prod in the same rows), but a rack
  // stands at one site: the same name at two sites would merge two racks' switches and copies.
  const rackAt = new Map<string, { zone: string; site?: string }>();
  spec.zones.forEach((z, zi) =>
    z.racks.forEach((r, ri) => {
      const other = rackAt.get(r);
      if (other && other.site !== z.site)
        f.error(
          "rack-shared",
          ["zones", zi, "racks", ri],
          `rack ${r} is also a rack of zone ${other.zone} at ${other.site === undefined ? "no site" : `site ${other.site}`}: a rack stands at one site; name the racks of each site apart`,
        );
      else if (!other) rackAt.set(r, { zone: z.name, ...(z.site ? { site: z.site } : {}) });
    }),
  );
  spec.zones.forEach((z, zi) => {
    ref(sites, z.site, ["zones", zi, "site"], "site");
    const racks = new Set(z.racks);
    z.pools.forEach((p, pi) => {
      ref(hw, p.hardware, ["zones", zi, "pools", pi, "hardware"], "hardware profile");
      (p.racks ?? []).forEach((r, ri) => {
        const path = ["zones", zi, "pools", pi, "racks", ri];
        const other = rackAt.get(r);
        if (z.racks.length) ref(racks, r, path, `rack of zone ${z.name}`);
        else if (other && other.site !== z.site)
          f.error(
            "rack-shared",
            path,
            `rack ${r} is a rack of zone ${other.zone} at ${other.site === undefined ? "no site" : `site ${other.site}`}, another site than zone ${z.name}'s: the pool's hosts would stand there; give zone ${z.name} racks of its own`,
          );
      });
    });
  });
  ref(hw, spec.controlPlane.hardware, ["controlPlane", "hardware"], "hardware profile");
  // The racks a group of servers is kept to are zones' racks: they stand at a zone's site.
  const zoneRacks = new Set(spec.zones.flatMap((z) => z.racks));
  const { ceph, swift, blockStorageNodes } = spec.storage;
  const cp = spec.controlPlane;
  // (controllers as VMs stand in no rack: only network nodes would be kept to them)
  const controllersRacked = cp.deployment !== "vm";
  const siteOfRack = new Map(spec.zones.flatMap((z) => z.racks.map((r) => [r, z.site] as const)));
  const racksAtSite = (site: string | undefined) =>
    new Set(spec.zones.filter((z) => z.site === site).flatMap((z) => z.racks)).size;
  const controlPlaneHosts = [
    ...(controllersRacked ? ["controllers"] : []),
    ...(cp.networkNodes ? ["network nodes"] : []),
  ];
  for (const [racks, path, hosts, who] of [
    [
      cp.racks,
      ["controlPlane", "racks"],
      (controllersRacked ? cp.controllers : 0) + cp.networkNodes,
      controlPlaneHosts.join(" and ") || "controllers",
    ],
    [ceph?.racks, ["storage", "ceph", "racks"], ceph?.nodes ?? 0, "OSD hosts"],
    [
      swift?.racks,
      ["storage", "swift", "racks"],
      (swift?.proxies ?? 0) + (swift?.storageNodes ?? 0),
      "Swift proxies and storage nodes",
    ],
    [
      blockStorageNodes?.racks,
      ["storage", "blockStorageNodes", "racks"],
      blockStorageNodes?.hosts ?? 0,
      "volume hosts",
    ],
  ] as const) {
    if (!racks) continue;
    const seen = new Set<string>();
    racks.forEach((r, i) => {
      ref(zoneRacks, r, [...path, i], "rack (zones[].racks)");
      if (seen.has(r))
        f.error("duplicate-name", [...path, i], `rack ${r} is listed twice; list each rack once`);
      seen.add(r);
    });
    if (!hosts)
      f.warn(
        "racks-unused",
        [...path],
        `no ${who} stand in racks (${cp.deployment === "vm" && path[0] === "controlPlane" ? "the controllers run as virtual machines on the undercloud" : "the design has none"}), so the racks named do nothing; remove them`,
      );
    // (other racks at the same site only: keeping them at one site is what quorum-sites asks)
    else if (seen.size === 1 && hosts > 1 && racksAtSite(siteOfRack.get(racks[0])) > 1)
      f.warn(
        "racks-single",
        [...path],
        `the ${hosts} ${who} are kept to rack ${racks[0]} alone: its loss (power, top-of-rack switches) takes every one of them, where other racks at its site could hold some; name more racks`,
      );
  }
  ref(
    hw,
    spec.controlPlane.networkNodeHardware,
    ["controlPlane", "networkNodeHardware"],
    "hardware profile",
  );
  if (spec.storage.ceph)
    ref(hw, spec.storage.ceph.hardware, ["storage", "ceph", "hardware"], "hardware profile");
  if (spec.storage.swift) {
    ref(
      hw,
      spec.storage.swift.proxyHardware,
      ["storage", "swift", "proxyHardware"],
      "hardware profile",
    );
    ref(
      hw,
      spec.storage.swift.storageHardware,
      ["storage", "swift", "storageHardware"],
      "hardware profile",
    );
    const policies = new Set(spec.storage.swift.policies.map((p) => p.name));
    spec.storage.swift.containers.forEach((c, i) => {
      if (c.storagePolicy)
        ref(
          policies,
          c.storagePolicy,
          ["storage", "swift", "containers", i, "storagePolicy"],
          "storage policy",
        );
    });
  }
  const poolNames = new Set(
    spec.zones.flatMap((z) => z.pools.flatMap((p) => [p.name, poolId(z.name, p.name)])),
  );
  const domains = new Set(["default", ...spec.identity.domains.map((d) => d.name)]);
  const flavorNames = new Set(
    spec.zones.flatMap((z) => z.pools.flatMap((p) => p.flavors.map((fl) => fl.name))),
  );
  const volumeTypes = new Set(spec.storage.backends.flatMap((b) => [b.name, b.volumeType]));
  const networkNames = new Set(spec.network.networks.map((n) => n.name));
  const providerNames = spec.network.networks
    .filter((n) => n.role === "provider")
    .map((n) => n.name)
    .sort();
  // A tenant is named by its name, its id, or the id derived from its name.
  const tenantKeys = new Set(
    spec.tenants.flatMap((t) => [t.name, ...[tenantId(t)].filter((k): k is string => Boolean(k))]),
  );
  spec.tenants.forEach((t, i) => {
    ref(poolNames, t.pool, ["tenants", i, "pool"], "pool");
    ref(domains, t.domain, ["tenants", i, "domain"], "domain");
    t.flavors.forEach((fl, fi) => ref(flavorNames, fl, ["tenants", i, "flavors", fi], "flavor"));
    t.volumeTypes.forEach((v, vi) =>
      ref(volumeTypes, v, ["tenants", i, "volumeTypes", vi], "volume backend"),
    );
    // Named among the provider networks, the only ones a tenant is given (the others' roles are
    // said by providerNetworkGrants).
    t.providerNetworks.forEach((n, ni) => {
      if (networkNames.has(n)) return;
      const meant = closestKey(n, providerNames);
      f.error(
        "unknown-reference",
        ["tenants", i, "providerNetworks", ni],
        `provider network ${JSON.stringify(n)} is not declared${meant ? `; did you mean ${JSON.stringify(meant)}?` : ""}${providerNames.length ? ` (provider networks: ${providerNames.join(", ")})` : " (the design has no provider network)"}`,
      );
    });
    for (const key of Object.keys(t.quota.perVolumeType ?? {})) {
      ref(volumeTypes, key, ["tenants", i, "quota", "perVolumeType", key], "volume backend");
    }
  });
  spec.identity.groupRoleMappings.forEach((m, i) => {
    ref(domains, m.domain, ["identity", "groupRoleMappings", i, "domain"], "domain");
    if (m.tenant !== undefined)
      ref(tenantKeys, m.tenant, ["identity", "groupRoleMappings", i, "tenant"], "tenant");
  });
  if (spec.legacyUnix) {
    const nets = new Set(spec.network.networks.map((n) => n.name));
    ref(nets, spec.legacyUnix.network, ["legacyUnix", "network"], "network");
    const systems = new Set(spec.legacyUnix.systems.map((s) => s.name));
    spec.legacyUnix.flows.forEach((fl, i) => {
      fl.systems.forEach((s, si) =>
        ref(systems, s, ["legacyUnix", "flows", i, "systems", si], "legacy system"),
      );
      fl.pools.forEach((p, pi) =>
        ref(poolNames, p, ["legacyUnix", "flows", i, "pools", pi], "pool"),
      );
    });
  }
}
