"use strict";
// Generates a synthetic but valid estate spec: `zones` availability zones with two pools each,
// `tenants` tenants with a network each, sized so the Terraform grows with both.

function estate({ zones, tenants, hostsPerPool = 8 }) {
  const z = [];
  for (let i = 0; i < zones; i++) {
    const name = `az${String(i + 1).padStart(2, "0")}`;
    z.push({
      name,
      racks: [`${name}-r1`, `${name}-r2`],
      pools: [
        {
          name: "web",
          purpose: { tier: "web" },
          hosts: hostsPerPool,
          hardware: "cmp",
          flavors: [{ name: `${name}-web-s`, vcpus: 2, ramGiB: 4 }],
        },
        {
          name: "app",
          purpose: { tier: "app" },
          hosts: hostsPerPool,
          hardware: "cmp",
          flavors: [{ name: `${name}-app-m`, vcpus: 4, ramGiB: 16 }],
        },
      ],
    });
  }
  const t = [];
  for (let i = 0; i < tenants; i++) {
    const id = `t${String(i + 1).padStart(4, "0")}`;
    t.push({
      name: `Tenant ${i + 1}`,
      id,
      quota: { instances: 10, cores: 8, ramGiB: 16 },
      groups: [{ name: `${id}-ops`, role: "member" }],
      network: { cidr: `10.${128 + Math.floor(i / 256)}.${i % 256}.0/24` },
      sshCidrs: ["10.250.0.0/24"],
    });
  }
  const prefix = zones * hostsPerPool * 2 > 200 ? 20 : 24;
  return {
    version: 1,
    blueprint: "enterprise-reference",
    metadata: { customer: "Bench", project: `Estate ${zones}z ${tenants}t` },
    cloud: { cloud: "bench" },
    hardware: [
      { name: "ctrl", sockets: 2, coresPerSocket: 16, memoryGiB: 256 },
      { name: "cmp", sockets: 2, coresPerSocket: 32, memoryGiB: 1024 },
    ],
    zones: z,
    controlPlane: {
      controllers: 3,
      hardware: "ctrl",
      flavor: "bm",
      vips: { internal: "10.1.0.10", external: "198.18.0.10" },
    },
    network: {
      networks: [
        { name: "mgmt", role: "management", cidr: `10.0.0.0/${prefix}`, vlan: 10 },
        { name: "api", role: "internal-api", cidr: `10.1.0.0/${prefix}`, vlan: 11 },
        { name: "tunnel", role: "tunnel", cidr: `10.2.0.0/${prefix}`, vlan: 12 },
        {
          name: "ext",
          role: "external",
          // (a gateway address for every tenant's router, and the floating IPs of its quota)
          cidr: "198.18.0.0/16",
          vlan: 20,
          floatingIpRange: { start: "198.18.1.0", end: "198.18.255.254" },
        },
      ],
    },
    ntp: { servers: ["10.250.0.1", "10.250.0.2"] },
    securityZones: { adminCidrs: ["10.250.0.0/24"] },
    tenants: t,
    output: { tenantStacks: "per-tenant" },
  };
}

module.exports = { estate };
