import { ironicResourceClass } from "../core/ironic";
import type { DesignFacts } from "./design-facts";
import type { LifecycleItem, LifecycleStage, Model } from "./types";
import { switchFrame, trunkedVlans } from "./switches";
import { ethernetFrame } from "../core/host-devices";
import { urlHost } from "../core/net";
import { AMPHORA_FLAVOR, KOLLA_IMAGES } from "../core/defaults";

/** Where each stage's generated input lives, relative to the output root. */
export const STAGE_FOLDERS = {
  baremetal: "terraform/baremetal",
  kolla: "deploy/kolla",
  ceph: "deploy/ceph",
  netplan: "config/netplan",
  chrony: "config/chrony",
  platform: "terraform/platform",
} as const;

const item = (
  kind: string,
  params: Record<string, string | number | readonly string[]> = {},
): LifecycleItem => ({
  kind,
  params,
});

const terraform = (folder: string) => [
  `terraform -chdir=${folder} init`,
  `terraform -chdir=${folder} apply`,
];

/** Kolla-Ansible's default configuration directory on the deployer. */
export const KOLLA_CONFIG_DIR = "/etc/kolla";

/** The script that copies Kolla's admin entry into the clouds.yaml Terraform reads. */
export const CLOUDS_ENTRY_SCRIPT = "deploy/clouds-entry.py";

/** The deployment guide of the output folder, which holds the Ceph steps. */
export const DEPLOY_README = "deploy/README.md";

/**
 * The Kolla-Ansible releases the deploy stage needs: per-host physical network names
 * (`neutron_physical_networks`) and Ubuntu 24.04 (noble) hosts came in 19.0.0 (2024.2), which
 * still takes 22.04 (jammy); 20.0.0 (2025.1) drops it.
 */
const KOLLA_RELEASES = {
  minimum: "19.0.0 (2024.2)",
  noble: "19.0.0 (2024.2)",
  jammyDropped: "20.0.0 (2025.1)",
};
/** Nova boots servers with a security group shared from another project from 2025.1 on. */
const KOLLA_SHARED_GROUPS = "20.0.0 (2025.1)";
/** The first Kolla-Ansible to deploy neutron-ovn-vpn-agent, without which OVN runs no IPsec. */
const KOLLA_OVN_VPN = "22.0.0 (2026.1)";
/** The first Kolla-Ansible whose prechecks refuse Kolla's own images without --use-test-images. */
export const KOLLA_TEST_IMAGES = "22.0.0 (2026.1)";
/** The first Kolla-Ansible with Valkey, which Octavia's jobboard needs (before: Redis). */
const KOLLA_VALKEY = "20.4.0 (2025.1)";
/** The first Kolla-Ansible with OVN's southbound relays (`ovn-sb-db-relay`), which the plan has. */
const KOLLA_OVN_RELAYS = "20.0.0 (2025.1)";

/**
 * The first Kolla-Ansible whose cinder.conf gives each Ceph backend its own pool: 19.x writes
 * ceph_cinder_pool_name for every backend (roles/cinder/templates/cinder.conf.j2).
 */
const KOLLA_CEPH_BACKEND_POOLS = "20.0.0 (2025.1)";

/** The newest of some releases ("20.4.0 (2025.1)"), by version. */
const newestRelease = (releases: readonly string[]) =>
  [...releases].sort((a, b) => {
    const [x, y] = [a, b].map((r) => r.split(" ")[0].split(".").map(Number));
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  })[releases.length - 1];

/**
 * The stages that take the design to a running cloud, in order, each with its tool, the cloud
 * entry it talks to, what must hold before it runs and the commands (run from the output root).
 * Reads only facts the model already holds.
 */
export function lifecycle(model: Omit<Model, "lifecycle" | keyof DesignFacts>): LifecycleStage[] {
  const stages: LifecycleStage[] = [];
  const uc = model.undercloud;
  // Where every stack keeps its state, asked for by the first stage that runs Terraform.
  const backend = model.output.backend;
  const stateStore =
    backend.type === "s3"
      ? [item("state-s3", { bucket: backend.bucket, endpoint: backend.endpoint })]
      : backend.type === "http"
        ? [item("state-http", { address: backend.address })]
        : backend.type === "pg"
          ? [item("state-pg")]
          : [];
  const management = model.networks.find((n) => n.role === "management")?.name ?? "";
  const vlans = trunkedVlans(model.switches);
  // Flat and untagged networks ride as their ports' native VLAN, beside the trunked ones or alone.
  const native = [...new Set(model.switches.flatMap((s) => s.untagged ?? []))].sort();
  // Switches count their MTU in frames (vendors differ on the header and FCS): give both, the
  // tag counted where a switch trunks VLANs.
  const mtu = Math.max(0, ...model.switches.map((s) => s.mtu));
  const frame = Math.max(0, ...model.switches.map(switchFrame));
  const frames = { mtu, frame };
  const switches = !vlans.length
    ? item("switches-untagged", {
        switches: model.switches.length,
        mtu,
        frame: ethernetFrame(mtu, false),
      })
    : native.length
      ? item("switches-native", {
          switches: model.switches.length,
          vlans: vlans.map(String),
          native: native.map(String),
          ...frames,
        })
      : item("switches", { switches: model.switches.length, vlans: vlans.map(String), ...frames });
  // netplan's virtual-ethernets, for the veths to Open vSwitch, came in netplan 0.107.
  const vethHosts = model.nodes.filter((n) => n.links.some((l) => l.bridge)).length;
  const netplanVeth = vethHosts ? [item("netplan-veth", { hosts: vethHosts })] : [];
  if (uc) {
    // Controllers that run as VMs take no Ironic node, and boot an ordinary flavor; without a
    // named node Nova takes any free one of the flavor, in no particular rack.
    const vms = model.controlPlane.deployment === "vm";
    const machines = model.nodes.filter((n) => n.role !== "controller" || !vms);
    // The servers' image, and the controllers' where they boot one of their own (as VMs).
    const images = [...new Set([uc.image, model.controlPlane.image])];
    const flavors = [...new Set(machines.map((n) => n.baremetalFlavor))].sort();
    // Each node's Ironic resource class is its hardware profile's name, which Nova's placement
    // knows as CUSTOM_<NAME> (upper case, other characters as _): the flavors request it.
    const profiles = [...new Set(machines.map((n) => n.hardware))].sort();
    const classOf = ironicResourceClass;
    const flavorClasses = flavors.map((f) => {
      const hardware = machines.find((n) => n.baremetalFlavor === f)!.hardware;
      return `${f} (resources:${classOf(hardware)}=1)`;
    });
    const pinned = machines.filter((n) => n.baremetalNode).length;
    // The packages the user data installs once the planned network is up (artifacts/netplan.ts).
    const cephHosts = model.deploy.ceph?.hosts.length ?? 0;
    const installs = model.ntp !== undefined || cephHosts > 0;
    stages.push({
      id: "baremetal",
      tool: "terraform-undercloud",
      clouds: [uc.cloud],
      folders: [STAGE_FOLDERS.baremetal],
      prerequisites: [
        ...stateStore,
        // (Ironic cleans a node on the provisioning network as it makes it available)
        item("provisioning-network", { network: uc.network }),
        item("undercloud-ironic", {
          cloud: uc.cloud,
          nodes: machines.length,
          profiles,
        }),
        item("baremetal-flavors", { flavors: flavorClasses }),
        ...(vms
          ? [
              item("controller-vm-flavor", {
                flavor: model.controlPlane.flavor,
                controllers: model.controlPlane.controllers.length,
              }),
            ]
          : []),
        // Nova's quota counts each flavor's own vcpus and RAM whatever its resource overrides
        // say, and its defaults (10 instances, 20 cores, 50 GiB) stop a larger apply part-way.
        item("undercloud-quota", {
          cloud: uc.cloud,
          instances: model.nodes.length,
          // (the controllers' VM flavor too: every server counts)
          flavors: [...new Set(model.nodes.map((n) => n.baremetalFlavor))]
            .sort()
            .map((f) => `${model.nodes.filter((n) => n.baremetalFlavor === f).length} × ${f}`),
        }),
        item("undercloud-image", { image: images, images: images.length }),
        // Nova injects a key pair of the authenticating user only; without one, nothing in the
        // user data lets the deployer log in.
        uc.keyPair
          ? item("undercloud-key-pair", { keyPair: uc.keyPair, cloud: uc.cloud })
          : item("undercloud-no-key-pair", { image: uc.image }),
        pinned === machines.length
          ? item("baremetal-nodes-pinned", { nodes: pinned, cloud: uc.cloud })
          : item("baremetal-nodes-free", { free: machines.length - pinned, cloud: uc.cloud }),
        // The provider's read errs on any other Nova state, past ignore_changes (power_state).
        item("baremetal-steady", {}),
        item("user-data-files", {
          folders: [STAGE_FOLDERS.netplan, ...(model.ntp ? [STAGE_FOLDERS.chrony] : [])],
        }),
        // Their user data keeps DHCP on their one undercloud port (artifacts/netplan.ts).
        ...(vms
          ? [
              item("controller-vms-netplan", {
                vms: model.nodes.length - machines.length,
                folder: STAGE_FOLDERS.netplan,
              }),
            ]
          : []),
        ...(installs
          ? [
              item(
                `package-${uc.packageMirror ? "mirror" : "archive"}${cephHosts ? "-ceph" : ""}`,
                {
                  packages: [
                    ...(model.ntp ? ["chrony"] : []),
                    ...(cephHosts ? ["cephadm", "lvm2", "podman"] : []),
                  ],
                  ...(uc.packageMirror ? { mirror: uc.packageMirror } : {}),
                },
              ),
              ...(uc.packageProxy ? [item("package-proxy", { proxy: uc.packageProxy })] : []),
            ]
          : []),
        ...netplanVeth,
        switches,
      ],
      commands: terraform(STAGE_FOLDERS.baremetal),
    });
  } else {
    stages.push({
      id: "baremetal",
      tool: "existing-hosts",
      clouds: [],
      folders: [STAGE_FOLDERS.netplan, ...(model.ntp ? [STAGE_FOLDERS.chrony] : [])],
      prerequisites: [
        item("hosts-installed", { nodes: model.nodes.length, domain: model.domain }),
        item("host-networking", { folder: STAGE_FOLDERS.netplan }),
        // Kolla-Ansible no longer deploys chrony; the undercloud's user data installs these.
        ...(model.ntp ? [item("host-time", { folder: STAGE_FOLDERS.chrony })] : []),
        // The undercloud's user data lets root in with the key pair's key; installed hosts may not.
        ...(model.deploy.ceph
          ? [item("root-ssh-ceph", { hosts: model.deploy.ceph.hosts.length })]
          : []),
        ...netplanVeth,
        switches,
      ],
      commands: [],
      skipped: item("no-undercloud"),
    });
  }

  const deployer = model.controlPlane.deployer;
  const ceph = model.storage.ceph;
  const sharedGroups = model.tenants.some((t) => t.legacyGroups.length > 0);
  const ovn = model.deploy.neutron.mechanism === "ovn";
  const ovnVpn = model.controlPlane.services.includes("vpnaas") && ovn;
  const volumesPool = model.deploy.ceph?.kollaPools.volumes;
  const cephPools = model.deploy.cinder.backends.some(
    (b) => b.kind === "ceph" && b.cephPool !== volumesPool,
  );
  const kollaMinimum = newestRelease([
    KOLLA_RELEASES.minimum,
    ...(sharedGroups ? [KOLLA_SHARED_GROUPS] : []),
    ...(model.deploy.valkey ? [KOLLA_VALKEY] : []),
    ...(ovn ? [KOLLA_OVN_RELAYS] : []),
    ...(ovnVpn ? [KOLLA_OVN_VPN] : []),
    ...(cephPools ? [KOLLA_CEPH_BACKEND_POOLS] : []),
  ]);
  const passthrough = model.deploy.nova.hosts.filter((h) => h.pciDevices);
  const deployPrereqs: LifecycleItem[] = [
    // Terraform stops waiting once Nova shows the servers active, before their first boot ends.
    ...(uc ? [item("first-boot-done", {})] : []),
    item("kolla-release", {
      ...KOLLA_RELEASES,
      // Nova boots servers with a security group shared from another project (the legacy
      // bridge's, by RBAC) from 2025.1 (Nova 31) on; Octavia's jobboard needs Valkey; OVN's
      // chassis reach the southbound database through 2025.1's relays; under OVN, IPsec needs
      // 2026.1's agent.
      minimum: kollaMinimum,
    }),
    ...(sharedGroups
      ? [item("kolla-release-shared-groups", { release: KOLLA_SHARED_GROUPS })]
      : []),
    ...(model.deploy.valkey ? [item("kolla-release-valkey", { release: KOLLA_VALKEY })] : []),
    ...(ovn ? [item("kolla-release-ovn-relays", { release: KOLLA_OVN_RELAYS })] : []),
    ...(ovnVpn ? [item("kolla-release-ovn-vpn", { release: KOLLA_OVN_VPN })] : []),
    ...(cephPools
      ? [
          item("kolla-release-ceph-pools", {
            release: KOLLA_CEPH_BACKEND_POOLS,
            pool: volumesPool ?? "",
          }),
        ]
      : []),
    item("kolla-install", { dir: KOLLA_CONFIG_DIR }),
    // Nova passes through only devices the IOMMU isolates and no host driver holds.
    ...(passthrough.length
      ? [
          item("accelerator-hosts", {
            pools: [...new Set(passthrough.map((h) => h.pool))],
            hosts: passthrough.length,
            ids: [
              ...new Set(
                passthrough
                  .flatMap((h) => h.pciDevices ?? [])
                  .map((d) => `${d.vendorId}:${d.productId}`),
              ),
            ].join(","),
          }),
        ]
      : []),
    ...(model.deploy.registry
      ? [
          item(model.deploy.registry.username ? "container-registry-user" : "container-registry", {
            address: model.deploy.registry.address,
            namespace: model.deploy.registry.namespace,
            images: KOLLA_IMAGES,
            ...(model.deploy.registry.username ? { user: model.deploy.registry.username } : {}),
            dir: KOLLA_CONFIG_DIR,
            inventory: `${STAGE_FOLDERS.kolla}/inventory`,
          }),
          // cephadm pulls Ceph's images itself, from quay.io/ceph unless told otherwise.
          ...(model.deploy.ceph
            ? [item("container-registry-ceph", { address: model.deploy.registry.address })]
            : []),
          item("container-registry-offline", {
            inventory: `${STAGE_FOLDERS.kolla}/inventory`,
            dir: KOLLA_CONFIG_DIR,
          }),
        ]
      : [
          item("kolla-test-images", {
            images: KOLLA_IMAGES,
            release: KOLLA_TEST_IMAGES,
            inventory: `${STAGE_FOLDERS.kolla}/inventory`,
          }),
        ]),
    item("deployer-ssh", { deployer, network: management }),
    item("kolla-passwords", { dir: KOLLA_CONFIG_DIR }),
    // Kolla renders config/octavia.conf with it, and stops where it is undefined.
    ...(model.deploy.octavia
      ? [
          item("octavia-heartbeat-key", {
            variable: model.deploy.octavia.heartbeatKeyVariable,
            dir: KOLLA_CONFIG_DIR,
          }),
        ]
      : []),
  ];
  // Kolla's load-balancer precheck stops without the VIPs' certificates; `kolla-ansible
  // certificates` would replace the operator's own, so it is named, not run.
  const vips = model.deploy.vips;
  // The endpoints Kolla registers and the certificates name the VIPs by these names.
  const named = [vips.internal, vips.external].filter(
    (v): v is NonNullable<typeof v> => v !== undefined && v.fqdn !== v.address,
  );
  if (named.length)
    deployPrereqs.push(
      item("vip-dns-records", {
        records: named.map((v) => `${v.fqdn} → ${v.address}`),
      }),
    );
  deployPrereqs.push(
    item(vips.external ? "tls-certificates-both" : "tls-certificates", {
      dir: `${KOLLA_CONFIG_DIR}/certificates`,
      internal: vips.internal?.fqdn ?? "",
      external: vips.external?.fqdn ?? "",
      inventory: `${STAGE_FOLDERS.kolla}/inventory`,
    }),
  );
  // Keystone demands the directory's certificate (tls_req_cert); its CA joins the containers'
  // trust store only from Kolla's CA folder.
  const directories = model.identity.domains.flatMap((dm) =>
    dm.ldap && dm.ldap.transport !== "plain" ? dm.ldap.servers.map((s) => s.host) : [],
  );
  if (directories.length)
    deployPrereqs.push(
      item("directory-ca", {
        servers: [...new Set(directories)],
        dir: `${KOLLA_CONFIG_DIR}/certificates/ca`,
      }),
    );
  // Kolla keeps local instance disks in a Docker volume on the root file system unless told;
  // the capacity figures count every disk of the compute hosts.
  if (model.storage.ephemeralBackend === "local" && model.pools.length)
    deployPrereqs.push(item("local-instance-disks", { dir: `${KOLLA_CONFIG_DIR}/globals.d` }));
  // Ceph's steps (cephadm bootstrap, cluster.yaml, pools.sh, keyrings for Kolla) are written once,
  // in deploy/README.md; the runbook points there.
  if (ceph && model.deploy.ceph)
    deployPrereqs.push(
      item("ceph-cluster", { host: model.deploy.ceph.bootstrapHost, readme: DEPLOY_README }),
    );
  // cinder-volume mounts the Gluster volumes over NFS at its start: their exports come first.
  const gluster = model.deploy.cinder.backends.find((b) => b.kind === "glusterfs");
  if (gluster)
    deployPrereqs.push(
      gluster.shares?.length
        ? item("gluster-nfs-exports", {
            volumes: gluster.shares,
            hosts: gluster.hosts,
            readme: DEPLOY_README,
          })
        : item("gluster-nfs-exports-unlisted", {
            file: `${KOLLA_CONFIG_DIR}/config/cinder/nfs_shares`,
            hosts: gluster.hosts,
            readme: DEPLOY_README,
          }),
    );
  // Kolla's prechecks look for each LVM volume group (roles/cinder/tasks/precheck.yml); its
  // iscsid container runs on every compute and volume host, where the host's own must not.
  const lvm = model.deploy.cinder.backends.filter((b) => b.volumeGroup);
  if (lvm.length) {
    deployPrereqs.push(
      item("lvm-volume-groups", {
        groups: lvm
          .map(
            (b) =>
              `${b.volumeGroup} on ${b.hosts.join(", ")}${b.kind === "zfs" ? " (on a zvol)" : ""}`,
          )
          .join("; "),
        readme: DEPLOY_README,
      }),
    );
    deployPrereqs.push(
      item("iscsi-host-services", { hosts: model.deploy.cinder.iscsid.hosts.length }),
    );
  }
  if (model.identity.domains.some((d) => d.ldap))
    deployPrereqs.push(
      item("keystone-domain-configs", {
        dir: `${KOLLA_CONFIG_DIR}/config/keystone/domains`,
        inventory: `${STAGE_FOLDERS.kolla}/inventory`,
      }),
    );
  // Kolla-Ansible reads globals.yml, passwords.yml and config/ from one configuration directory;
  // it stays /etc/kolla, so the generated passwords never sit in the output folder.
  const kolla = (action: string) => `kolla-ansible ${action} -i ${STAGE_FOLDERS.kolla}/inventory`;
  const gnocchiOnSwift = model.deploy.gnocchi?.store === "swift";
  const deployCommands = [
    `cp ${STAGE_FOLDERS.kolla}/globals.yml ${KOLLA_CONFIG_DIR}/globals.yml`,
    `cp -rT ${STAGE_FOLDERS.kolla}/config ${KOLLA_CONFIG_DIR}/config`,
    "kolla-ansible install-deps",
    kolla("bootstrap-servers"),
    // The amphorae's CA and client certificate, into config/octavia: Octavia's precheck wants them.
    ...(model.controlPlane.services.includes("octavia") ? [kolla("octavia-certificates")] : []),
    // Kolla's own images pass the prechecks of 22.0.0 on only so; older releases know no such flag.
    !model.deploy.registry && newestRelease([kollaMinimum, KOLLA_TEST_IMAGES]) === kollaMinimum
      ? `${kolla("prechecks")} --use-test-images`
      : kolla("prechecks"),
    // Gnocchi's bootstrap makes its containers in Swift, which is installed after post-deploy:
    // it and Ceilometer (whose bootstrap asks Gnocchi) are deployed once Swift answers.
    gnocchiOnSwift ? `${kolla("deploy")} --skip-tags gnocchi,ceilometer` : kolla("deploy"),
    kolla("post-deploy"),
  ];
  stages.push({
    id: "deploy",
    tool: ceph ? "kolla-ansible-cephadm" : "kolla-ansible",
    clouds: [],
    folders: [STAGE_FOLDERS.kolla, ...(ceph ? [STAGE_FOLDERS.ceph] : []), "config"],
    prerequisites: deployPrereqs,
    commands: deployCommands,
  });

  const platformPrereqs: LifecycleItem[] = [
    ...(uc ? [] : stateStore),
    // Terraform's provider reads clouds.yaml; Kolla's post-deploy writes the admin's entry
    // under its own name, in /etc/kolla, where the provider does not look.
    item("clouds-entry", { cloud: model.cloud.cloud, script: CLOUDS_ENTRY_SCRIPT }),
    // The deployment host is rebuilt from these: a fresh kolla-genpwd makes passwords no running
    // service knows; nothing else restores the database once every controller is lost.
    item(backend.type === "local" ? "config-backup-local-state" : "config-backup", {
      dir: KOLLA_CONFIG_DIR,
      inventory: `${STAGE_FOLDERS.kolla}/inventory`,
    }),
    // Swift's proxies check tokens at Kolla's Keystone: they come after post-deploy.
    ...(model.storage.swift ? [item("swift-outside-kolla")] : []),
    item("services-enabled", {
      // The APIs behind the VIP (Ceilometer's is Gnocchi's; FWaaS and VPNaaS are Neutron's);
      // Gnocchi on Swift comes with this stage's first command.
      services: [
        ...new Set(
          model.endpoints.map((e) => (e.service === "ceilometer" ? "gnocchi" : e.service)),
        ),
      ].filter((svc) => !(gnocchiOnSwift && svc === "gnocchi")),
    }),
  ];
  if (model.pools.some((p) => p.flavors.length)) platformPrereqs.push(item("aggregate-filter"));
  platformPrereqs.push(
    item("compute-hosts-registered", {
      hosts: model.nodes.filter((n) => n.role === "compute").length,
    }),
  );
  if (model.securityZones.firewall) platformPrereqs.push(item("fwaas-extension"));
  if (model.legacyUnix?.vpn) platformPrereqs.push(item("legacy-vpn-psk"));
  // Keystone refuses a second group of one name in a domain: a group an operator made by hand
  // must be imported before this stack makes it.
  const groups = model.identity.keystoneGroups;
  if (groups.length)
    platformPrereqs.push(
      item("keystone-groups", {
        groups: groups.map((g) => `${g.name} (${g.domain})`),
        folder: STAGE_FOLDERS.platform,
      }),
    );
  const ldap = model.identity.domains.some((d) => d.ldap);
  if (ldap) platformPrereqs.push(item("keystone-domain-drivers"));
  if (model.storage.backends.length)
    platformPrereqs.push(
      item("cinder-backends", {
        backends: model.storage.backends.map((b) => b.volumeBackendName),
      }),
    );
  stages.push({
    id: "platform",
    tool: "terraform",
    clouds: [model.cloud.cloud],
    folders: [STAGE_FOLDERS.platform],
    prerequisites: platformPrereqs,
    commands: [
      // The loadbalancer play too: HAProxy takes Gnocchi's new frontend only when restarted,
      // and Ceilometer's bootstrap calls Gnocchi through it.
      ...(gnocchiOnSwift ? [`${kolla("deploy")} -t loadbalancer,gnocchi,ceilometer`] : []),
      ...terraform(STAGE_FOLDERS.platform),
      // Keystone reads a domain's configuration file at start-up, and only for a domain that
      // exists then: this stack has just made them. One controller at a time, each answering on
      // its API address before the next restarts, keeps the API up (systemd returns at start).
      ...(ldap ? keystoneRestarts(model) : []),
    ],
  });

  const tenantStacks = [
    ...(model.identity.domainRoleStack ? [model.identity.domainRoleStack] : []),
    ...[...new Set(model.tenants.map((t) => t.stack))].sort(),
  ];
  const octavia = model.controlPlane.octavia;
  const loadBalancers = model.tenants.reduce((n, t) => n + t.quota.loadBalancers, 0);
  stages.push({
    id: "tenants",
    tool: "terraform",
    clouds: [model.cloud.cloud],
    folders: tenantStacks.map((s) => `terraform/${s}`),
    prerequisites: [
      item(ldap ? "platform-applied-keystone-restarted" : "platform-applied"),
      // Without it every load balancer a tenant makes goes to ERROR.
      ...(model.controlPlane.services.includes("octavia") ? [item("amphora-image")] : []),
      // Octavia boots every amphora in its service project, whose default quotas (Nova: 10
      // instances, 20 cores, 10 server groups; Neutron: 10 security groups, one a load balancer)
      // stop the fifth to tenth load balancer; the tenants' own quotas bound them.
      ...(octavia && loadBalancers > 0
        ? [
            item(`octavia-service-quotas${octavia.amphoraePerLoadBalancer === 2 ? "-pairs" : ""}`, {
              loadBalancers,
              amphorae: octavia.amphorae.count,
              amphoraVcpus: AMPHORA_FLAVOR.vcpus,
              amphoraRamGiB: AMPHORA_FLAVOR.ramMiB / 1024,
            }),
          ]
        : []),
    ],
    commands: tenantStacks.flatMap((s) => terraform(`terraform/${s}`)),
    ...(tenantStacks.length ? {} : { skipped: item("no-tenants") }),
  });

  // With project credentials each tenant's network and key pairs are applied by the project
  // itself, once a member has made an application credential for the stack.
  const own = model.tenants.flatMap((t) => (t.networkStack ? [{ t, s: t.networkStack }] : []));
  if (own.length)
    stages.push({
      id: "tenant-networks",
      tool: "terraform-project",
      clouds: own.map(({ s }) => s.cloud),
      folders: own.map(({ s }) => `terraform/${s.stack}`),
      prerequisites: [
        item("tenant-stacks-applied"),
        ...own.map(({ t, s }) =>
          item("application-credential", {
            project: t.name,
            credential: s.credential,
            cloud: s.cloud,
            admin: model.cloud.cloud,
            region: model.cloud.region,
          }),
        ),
      ],
      commands: own.flatMap(({ s }) => terraform(`terraform/${s.stack}`)),
    });
  return stages;
}

/**
 * Keystone restarted controller by controller, each waited for until it answers on its internal
 * API address (Apache listens before Keystone's WSGI answers; backend TLS is off, Kolla's default).
 */
export function keystoneRestarts(model: Pick<Model, "vips" | "controlPlane" | "nodes">): string[] {
  // Kolla's api_interface: the internal VIP's network (internal-api, else management).
  const api = model.vips.find((v) => v.name === "internal")?.network;
  const ansible = `ansible -i ${STAGE_FOLDERS.kolla}/inventory`;
  return model.controlPlane.controllers.map((host) => {
    const address = api && model.nodes.find((n) => n.name === host)?.addresses[api];
    const restart = `${ansible} ${host} --become -m ansible.builtin.systemd -a "name=kolla-keystone-container.service state=restarted"`;
    // (a controller without that address is no Kolla controller: its restart stands alone)
    return address
      ? `${restart} && ${ansible} ${host} -m ansible.builtin.shell -a "timeout 300 sh -c 'until curl -sf http://${urlHost(address)}:5000/v3 >/dev/null; do sleep 5; done'"`
      : restart;
  });
}
