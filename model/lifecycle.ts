import type { DesignFacts } from "./design-facts";
import type { LifecycleItem, LifecycleStage, Model } from "./types";

/** Where each stage's generated input lives, relative to the output root. */
export const STAGE_FOLDERS = {
  baremetal: "terraform/baremetal",
  kolla: "deploy/kolla",
  ceph: "deploy/ceph",
  netplan: "config/netplan",
  platform: "terraform/platform",
} as const;

const item = (kind: string, params: Record<string, string | number> = {}): LifecycleItem => ({
  kind,
  params,
});

const terraform = (folder: string) => [
  `terraform -chdir=${folder} init`,
  `terraform -chdir=${folder} apply`,
];

/** Kolla-Ansible's default configuration directory on the deployer. */
const KOLLA_CONFIG_DIR = "/etc/kolla";

/**
 * The stages that take the design to a running cloud, in order, each with its tool, the cloud
 * entry it talks to, what must hold before it runs and the commands (run from the output root).
 * Reads only facts the model already holds.
 */
export function lifecycle(model: Omit<Model, "lifecycle" | keyof DesignFacts>): LifecycleStage[] {
  const stages: LifecycleStage[] = [];
  const uc = model.undercloud;
  const management = model.networks.find((n) => n.role === "management")?.name ?? "";
  const vlans = [...new Set(model.switches.flatMap((s) => s.vlans))].sort((a, b) => a - b);
  const switches = vlans.length
    ? item("switches", { switches: model.switches.length, vlans: vlans.join(", ") })
    : item("switches-untagged", { switches: model.switches.length });
  if (uc) {
    const flavors = [...new Set(model.nodes.map((n) => n.baremetalFlavor))].sort();
    stages.push({
      id: "baremetal",
      tool: "terraform-undercloud",
      cloud: uc.cloud,
      folders: [STAGE_FOLDERS.baremetal],
      prerequisites: [
        item("undercloud-ironic", { cloud: uc.cloud, nodes: model.nodes.length }),
        item("baremetal-flavors", { flavors: flavors.join(", ") }),
        item("undercloud-image", { image: uc.image }),
        item("provisioning-network", { network: uc.network }),
        switches,
      ],
      commands: terraform(STAGE_FOLDERS.baremetal),
    });
  } else {
    stages.push({
      id: "baremetal",
      tool: "existing-hosts",
      folders: [STAGE_FOLDERS.netplan],
      prerequisites: [
        item("hosts-installed", { nodes: model.nodes.length, domain: model.domain }),
        item("host-networking", { folder: STAGE_FOLDERS.netplan }),
        switches,
      ],
      commands: [],
      skipped: item("no-undercloud"),
    });
  }

  const deployer = model.controlPlane.deployer;
  const ceph = model.storage.ceph;
  const deployPrereqs: LifecycleItem[] = [
    item("deployer-ssh", { deployer, network: management }),
    item("kolla-passwords", { folder: STAGE_FOLDERS.kolla }),
  ];
  if (model.identity.domains.some((d) => d.ldap))
    deployPrereqs.push(
      item("keystone-domain-configs", { dir: `${KOLLA_CONFIG_DIR}/config/keystone/domains` }),
    );
  if (model.storage.swift) deployPrereqs.push(item("swift-outside-kolla"));
  const deployCommands: string[] = [];
  if (ceph) {
    const mon = model.nodes.find((n) => n.roles.includes("ceph-mon"));
    // Ceph's public network is the storage network when there is one.
    const storage = model.networks.find((n) => n.role === "storage")?.name ?? management;
    const monIp = mon ? (mon.addresses[storage] ?? mon.addresses[management] ?? "") : "";
    deployCommands.push(
      `cephadm bootstrap --mon-ip ${monIp}`,
      `ceph orch apply -i ${STAGE_FOLDERS.ceph}/cluster.yaml`,
    );
  }
  const kolla = (action: string) =>
    `kolla-ansible ${action} -i ${STAGE_FOLDERS.kolla}/inventory --configdir ${STAGE_FOLDERS.kolla}`;
  deployCommands.push(
    kolla("install-deps").replace(/ -i .*$/, ""),
    kolla("bootstrap-servers"),
    kolla("prechecks"),
    kolla("deploy"),
    kolla("post-deploy"),
  );
  stages.push({
    id: "deploy",
    tool: ceph ? "kolla-ansible-cephadm" : "kolla-ansible",
    folders: [STAGE_FOLDERS.kolla, ...(ceph ? [STAGE_FOLDERS.ceph] : []), "config"],
    prerequisites: deployPrereqs,
    commands: deployCommands,
  });

  const platformPrereqs: LifecycleItem[] = [
    item("services-enabled", { services: model.controlPlane.services.join(", ") }),
  ];
  if (model.pools.some((p) => p.flavors.length)) platformPrereqs.push(item("aggregate-filter"));
  platformPrereqs.push(
    item("compute-hosts-registered", {
      hosts: model.nodes.filter((n) => n.role === "compute").length,
    }),
  );
  if (model.securityZones.firewall) platformPrereqs.push(item("fwaas-extension"));
  if (model.identity.domains.some((d) => d.ldap)) platformPrereqs.push(item("keystone-reloaded"));
  if (model.storage.backends.length)
    platformPrereqs.push(
      item("cinder-backends", {
        backends: model.storage.backends.map((b) => b.volumeBackendName).join(", "),
      }),
    );
  stages.push({
    id: "platform",
    tool: "terraform",
    cloud: model.cloud.cloud,
    folders: [STAGE_FOLDERS.platform],
    prerequisites: platformPrereqs,
    commands: terraform(STAGE_FOLDERS.platform),
  });

  const tenantStacks = [...new Set(model.tenants.map((t) => t.stack))].sort();
  stages.push({
    id: "tenants",
    tool: "terraform",
    cloud: model.cloud.cloud,
    folders: tenantStacks.map((s) => `terraform/${s}`),
    prerequisites: [item("platform-applied")],
    commands: tenantStacks.flatMap((s) => terraform(`terraform/${s}`)),
    ...(tenantStacks.length ? {} : { skipped: item("no-tenants") }),
  });
  return stages;
}
