import type { Model } from "../model/types";
import { shellQuote } from "../core/shell";
import { markdownCode, markdownLiteral } from "../core/markdown";
import { KOLLA_CONFIG_DIR, KOLLA_TEST_IMAGES, STAGE_FOLDERS } from "../model/lifecycle";
import { urlHost } from "../core/net";
import { OCTAVIA_HEALTH_MANAGER_PORT } from "../model/ports";
import { CA_BUNDLES } from "../core/ca-bundles";
import { RGW_CA_BUNDLE, RGW_KEYSTONE_USER, RGW_SERVICE_ID } from "./ceph/cluster";

/**
 * The proxy pipeline of Swift's proxy-server.conf-sample with Keystone's middleware in place of
 * tempauth, as Swift's install guide has it.
 */
const SWIFT_PROXY_PIPELINE = [
  "catch_errors",
  "gatekeeper",
  "healthcheck",
  "proxy-logging",
  "cache",
  "listing_formats",
  "container_sync",
  "bulk",
  "tempurl",
  "ratelimit",
  "authtoken",
  "keystoneauth",
  "copy",
  "container-quotas",
  "account-quotas",
  "slo",
  "dlo",
  "versioned_writes",
  "symlink",
  "proxy-logging",
  "proxy-server",
];

/** The proxies' Keystone user, as Kolla's Swift role named it (swift_keystone_user). */
const SWIFT_KEYSTONE_USER = "swift";

/** Where deploy/ceph is copied to on the bootstrap host (root's home). */
const CEPH_FILES = "stackwright-ceph";

const code = markdownCode;

/** Kolla's CA on the deployment host (kolla_admin_openrc_cacert), which the runbook puts there. */
/** The compute hosts' instance disks as one file system, bind-mounted by Kolla as Nova's folder. */
const INSTANCE_VG = "nova-instances";
const INSTANCE_DIR = "/var/lib/nova-instances";

const KOLLA_CA_FILE = "/etc/kolla/certificates/ca/root.crt";
/** A host's own CA bundle, on Debian and Ubuntu or on Enterprise Linux. */
const HOST_CA_BUNDLE = `cat ${CA_BUNDLES.debian} 2>/dev/null || cat ${CA_BUNDLES.redhat}`;
/** Where `kolla-ansible octavia-certificates` keeps the client CA's database (its node_config). */
const OCTAVIA_CLIENT_CA_DIR = `${KOLLA_CONFIG_DIR}/octavia-certificates/client_ca`;
const KOLLA_INVENTORY = `${STAGE_FOLDERS.kolla}/inventory`;

/** `deploy/README.md`: how the files of this folder deploy the design, step by step. */
export function deployReadme(model: Model): string {
  const d = model.deploy;
  const out: string[] = [
    `# Deploying ${markdownLiteral(model.metadata.project)}`,
    "",
    "Written by Stackwright from the design; every figure in these files comes from the design's model.",
    "",
    "## Secrets",
    "",
    "Stackwright writes no password, key or keyring. Kolla-Ansible generates its own: make its",
    "configuration directory yours (`sudo mkdir -p /etc/kolla && sudo chown $USER:$USER /etc/kolla`), copy the",
    "`passwords.yml` template of your Kolla-Ansible installation",
    "(`share/kolla-ansible/etc_examples/kolla/passwords.yml`) to `/etc/kolla/passwords.yml`, make it",
    "yours alone (`chmod 600 /etc/kolla/passwords.yml`: the template is readable by all, and the file",
    "gets every password) and run",
    `\`kolla-genpwd\` (database, RabbitMQ, Keystone admin and every service password).${d.ceph ? " Ceph keyrings" : ""}`,
    ...(d.ceph ? ["are created on the cluster by `deploy/ceph/pools.sh`."] : []),
    "Keep secrets in `/etc/kolla`, never in this output folder: it is the design's record, copied and",
    "shared, and the next `stackwright synth` writes over the files it made.",
    "",
    ...(d.registry?.username !== undefined
      ? [
          `The hosts pull Kolla's images from ${code(d.registry.address)} as ${code(d.registry.username)}: \`kolla-genpwd\` leaves`,
          "`docker_registry_password` empty, and every pull would send an empty password. Before",
          "`bootstrap-servers`, set it in `/etc/kolla/passwords.yml` with an editor (not on a command line, which",
          "the shell's history keeps): `docker_registry_password: '<the password>'`, in single quotes, each `'` in it",
          "written twice.",
          "",
        ]
      : []),
    ...(d.octavia
      ? [
          "Octavia's amphorae sign their heartbeats with a key Kolla-Ansible leaves `insecure`;",
          `\`deploy/kolla/config/octavia.conf\` takes it from \`${d.octavia.heartbeatKeyVariable}\`, which \`kolla-genpwd\` does not make:`,
          "add it to `/etc/kolla/passwords.yml` once, before `deploy` (hex, so oslo.config reads no `$` in it).",
          "A new key fails every running amphora over; `kolla-mergepwd --clean` drops keys Kolla does not",
          "know, this one too, so keep it when merging passwords on an upgrade:",
          "",
          "```sh",
          `grep -q '^${d.octavia.heartbeatKeyVariable}:' /etc/kolla/passwords.yml || echo "${d.octavia.heartbeatKeyVariable}: '$(openssl rand -hex 32)'" >> /etc/kolla/passwords.yml`,
          "```",
          "",
        ]
      : []),
    "## Hosts",
    "",
    "Install the operating system and the host networking of the design on every host first; the",
    "inventory names each host's device per network role:",
    "",
    "| Host | Address | Kolla groups | network_interface | api_interface | tunnel_interface | Open vSwitch bridges (physical network: bridge on neutron_external_interface) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const h of d.hosts) {
    const i = h.interfaces;
    const bridges = h.bridges.map((b) => `${b.physicalNetwork}: ${b.bridge} on ${b.device}`);
    out.push(
      `| ${h.name} | ${h.address} | ${h.kollaGroups.join(", ")} | ${i.management ?? ""} | ${i.api ?? ""} | ${i.tunnel ?? ""} | ${bridges.join(", ")} |`,
    );
  }
  const veth = model.nodes.flatMap((n) => n.links.flatMap((l) => l.bridge ?? []))[0];
  if (veth)
    out.push(
      "",
      "Open vSwitch takes no device that carries host addresses: on a host with bridges, the",
      `netplan file puts each bond that feeds one into a Linux bridge (${code(veth.device)}) that holds`,
      `the host's addresses and VLAN devices, with one end of a veth pair (${code(veth.patch)});`,
      `Kolla-Ansible adds the other end (${code(veth.ovsPatch)}, neutron_external_interface) to the`,
      "Open vSwitch bridge. Those files need netplan 0.107 or later for `virtual-ethernets` (Ubuntu",
      `24.04 ships 1.0); check with \`ip -d link show ${veth.ovsPatch}\` (veth, up) before deploying.`,
    );

  const named = [d.vips.internal, d.vips.external].filter(
    (v): v is { address: string; fqdn: string } => v !== undefined && v.fqdn !== v.address,
  );
  if (named.length)
    out.push(
      "",
      "Kolla's endpoints and certificates use these names: create the DNS records first.",
      "",
      ...named.map((v) => `- ${code(v.fqdn)} → ${v.address}`),
    );

  const ceph = d.ceph;
  if (ceph) {
    const bootstrap = ceph.hosts.find((h) => h.name === ceph.bootstrapHost) ?? ceph.hosts[0];
    const others = ceph.hosts.filter((h) => h !== bootstrap);
    const deployer = model.controlPlane.deployer;
    const rgwHosts = ceph.rgw?.keystoneUrl
      ? ceph.hosts.filter((h) => ceph.rgw?.hosts.includes(h.name))
      : [];
    // A host's bundle where it has none, or an empty one: a directory Docker made for the
    // missing mount goes (Podman refuses to start without it), and a copy cut short never lands.
    const seedBundle =
      `mkdir -p /etc/ceph && { [ ! -d ${RGW_CA_BUNDLE} ] || rmdir ${RGW_CA_BUNDLE}; } && ` +
      `{ [ -s ${RGW_CA_BUNDLE} ] || { { ${HOST_CA_BUNDLE}; } > ${RGW_CA_BUNDLE}.new && mv ${RGW_CA_BUNDLE}.new ${RGW_CA_BUNDLE}; }; }`;
    out.push(
      "",
      "## 1. Ceph (cephadm)",
      "",
      "Before Kolla-Ansible: the services it configures need the cluster's pools and keyrings.",
      `Every Ceph host (${ceph.hosts.map((h) => h.name).join(", ")}) runs Podman (or Docker) and has LVM2, and`,
      `${ceph.bootstrapHost} has cephadm (the \`cephadm\` package of Debian and Ubuntu)${model.undercloud ? "; the hosts' user data installs them" : ""}.`,
      "",
      "```sh",
      "# from the root of the output folder: the specifications and pool script to the bootstrap host",
      // Files into a folder made first: a second copy replaces them instead of nesting a folder.
      `ssh root@${bootstrap.address} mkdir -p ${CEPH_FILES}`,
      `scp deploy/ceph/* root@${urlHost(bootstrap.address)}:${CEPH_FILES}/`,
      // The gateways' containers mount it from their first start (cluster.yaml).
      ...(rgwHosts.length
        ? [
            "# each gateway host's CA bundle, which cephadm mounts into its gateways (its own, until",
            "# Kolla's CA joins it); run these again before any apply of cluster.yaml that adds one",
            ...rgwHosts.map((h) => `ssh root@${h.address} '${seedBundle}'`),
          ]
        : []),
      `# on ${ceph.bootstrapHost}, as root`,
      `cephadm bootstrap --mon-ip ${ceph.bootstrapMonIp}${ceph.clusterNetwork ? ` --cluster-network ${ceph.clusterNetwork}` : ""}`,
      // Bootstrap installs no Ceph client on the host; cephadm installs it from the host's repositories.
      "# the ceph and rbd commands the next lines and pools.sh run",
      "cephadm install ceph-common",
      ...(ceph.publicNetwork
        ? [`ceph config set global public_network ${ceph.publicNetwork}`]
        : []),
      // cephadm turns on IPv6 binding for an IPv6 monitor but leaves IPv4's on: daemons then look
      // for an IPv4 address on the IPv6 networks and do not start (Ceph's IPv6 advice).
      ...(ceph.ipv6Only
        ? [
            "# IPv6 only: daemons bind no IPv4 address (cephadm set ms_bind_ipv6)",
            "ceph config set global ms_bind_ipv4 false",
          ]
        : []),
      // Before the first OSD: Ceph creates .mgr (and the gateways their pools) at its defaults.
      ...(ceph.poolDefaults
        ? [
            `# the pools Ceph makes itself keep the design's ${ceph.poolDefaults.size} cop${ceph.poolDefaults.size === 1 ? "y" : "ies"}`,
            ...(ceph.poolDefaults.size === 1
              ? ["ceph config set global mon_allow_pool_size_one true"]
              : []),
            `ceph config set global osd_pool_default_size ${ceph.poolDefaults.size}`,
            `ceph config set global osd_pool_default_min_size ${ceph.poolDefaults.minSize}`,
          ]
        : []),
      // cephadm adds a host only over SSH with the cluster's key (its "Adding Hosts" guide); the
      // deployment host, not the new cluster, can log in to the others.
      ...(others.length
        ? [
            "# on the deployment host again: the cluster's SSH key on the other Ceph hosts, which cephadm adds over SSH",
            ...others.map(
              (h) =>
                `ssh root@${bootstrap.address} cat /etc/ceph/ceph.pub | ssh root@${h.address} 'mkdir -p -m 0700 /root/.ssh && cat >> /root/.ssh/authorized_keys'`,
            ),
            `# on ${ceph.bootstrapHost} again, as root`,
          ]
        : []),
      `ceph orch apply -i ${CEPH_FILES}/cluster.yaml`,
      "# when `ceph osd tree` shows every OSD up:",
      `sh ${CEPH_FILES}/pools.sh`,
      "```",
      "",
      `Then, on the deployment host, ${deployer}, put the cluster's configuration and the keyrings`,
      "`pools.sh` wrote where Kolla's services read them. Kolla reads `ceph.conf` with its INI parser,",
      "which refuses the leading tabs Ceph writes; the keyrings are secrets, so they pass through a",
      "private scratch folder:",
      "",
    );
    const copies: [readonly string[], string][] = [];
    if (d.glance.store === "rbd")
      copies.push([["ceph.conf", "ceph.client.glance.keyring"], "/etc/kolla/config/glance"]);
    if (d.cinder.backends.some((b) => b.kind === "ceph"))
      copies.push(
        [["ceph.conf"], "/etc/kolla/config/cinder"],
        [["ceph.client.cinder.keyring"], "/etc/kolla/config/cinder/cinder-volume"],
      );
    if (d.cinder.backup?.cephKeyrings)
      copies.push([
        ["ceph.client.cinder.keyring", "ceph.client.cinder-backup.keyring"],
        "/etc/kolla/config/cinder/cinder-backup",
      ]);
    if (d.nova.cephEphemeral || d.cinder.backends.some((b) => b.kind === "ceph"))
      copies.push([["ceph.conf", "ceph.client.cinder.keyring"], "/etc/kolla/config/nova"]);
    if (d.gnocchi?.cephUser)
      copies.push([
        ["ceph.conf", `ceph.client.${d.gnocchi.cephUser}.keyring`],
        "/etc/kolla/config/gnocchi",
      ]);
    const keyrings = [
      ...new Set(copies.flatMap(([files]) => files.filter((f) => f !== "ceph.conf"))),
    ].sort();
    out.push(
      "```sh",
      "scratch=$(mktemp -d)",
      `ssh root@${bootstrap.address} ceph config generate-minimal-conf | sed 's/^[[:blank:]]*//' > "$scratch/ceph.conf"`,
      ...keyrings.map((k) => `scp root@${urlHost(bootstrap.address)}:/etc/ceph/${k} "$scratch/"`),
      ...copies.map(
        ([files, where]) =>
          `install -D -m 0640 -t ${where} ${files.map((f) => `"$scratch/${f}"`).join(" ")}`,
      ),
      'rm -r "$scratch"',
      "```",
    );
    if (ceph.rgw)
      out.push(
        "",
        `The RADOS Gateways on ${ceph.rgw.hosts.join(", ")} serve the Swift API on port ${ceph.rgw.port} and keep`,
        `objects in pool ${code(ceph.rgw.dataPool)} (\`pools.sh\` sets the zone's placement); Kolla's HAProxy publishes`,
        `them on the VIPs' port ${model.endpoints.find((e) => e.name === "ceph-rgw")?.port} and registers the object-store endpoint. \`cluster.yaml\` points`,
        `them at Keystone${ceph.rgw.keystoneUrl ? ` (${code(ceph.rgw.keystoneUrl)})` : ""}; give them the password of Kolla's \`${RGW_KEYSTONE_USER}\` user once`,
        "`kolla-genpwd` has made it, from the host holding `/etc/kolla/passwords.yml`. They check tokens",
        `over TLS with the CA bundle \`${RGW_CA_BUNDLE}\` of their hosts, mounted over their image's`,
        "(a host without it starts no gateway: section 1 makes it, and its lines run again before an apply",
        `of \`cluster.yaml\` that adds a gateway host); where Kolla's CA is your own (\`${KOLLA_CA_FILE}\`), it joins`,
        "each host's bundle.",
        "The password goes through a pipe as a configuration file, never on a command line (where `ps`",
        "shows it), replacing the one set before (Ceph assimilates no value over another), and the",
        "gateways restart to read both:",
        "",
        "```sh",
        // Built on the host beside the bundle and moved into place: a copy cut short never
        // leaves a gateway without its CAs.
        ...(rgwHosts.length
          ? [
              `if [ -f ${KOLLA_CA_FILE} ]; then`,
              ...rgwHosts.map(
                (h) =>
                  `  ssh root@${h.address} '{ { ${HOST_CA_BUNDLE}; } && cat; } > ${RGW_CA_BUNDLE}.new && { [ ! -d ${RGW_CA_BUNDLE} ] || rmdir ${RGW_CA_BUNDLE}; } && mv ${RGW_CA_BUNDLE}.new ${RGW_CA_BUNDLE}' < ${KOLLA_CA_FILE}`,
              ),
              "fi",
            ]
          : []),
        // Nothing is removed or restarted without a password to put in its place.
        "if grep -q '^ceph_rgw_keystone_password: .' /etc/kolla/passwords.yml; then",
        `  ssh root@${bootstrap.address} ceph config rm client.rgw.${RGW_SERVICE_ID} rgw_keystone_admin_password &&`,
        // printf is the shell's own: no process shows the text; -o keeps the leftover conf unprinted.
        `  { printf '[client.rgw.${RGW_SERVICE_ID}]\\nrgw_keystone_admin_password = '; awk '$1 == "ceph_rgw_keystone_password:" { print $2 }' /etc/kolla/passwords.yml; } | ssh root@${bootstrap.address} ceph config assimilate-conf -i /dev/stdin -o /dev/null &&`,
        `  ssh root@${bootstrap.address} ceph orch restart rgw.${RGW_SERVICE_ID}`,
        "else",
        "  echo 'no ceph_rgw_keystone_password in /etc/kolla/passwords.yml: run kolla-genpwd there first' >&2",
        "fi",
        "```",
      );
  }

  const runner = model.controlPlane.deployer;
  // The commands are the runbook's deploy stage, so both documents give the same ones.
  const stage = model.lifecycle.find((s) => s.id === "deploy");
  out.push(
    "",
    `## ${ceph ? 2 : 1}. OpenStack (Kolla-Ansible)`,
    "",
    `Kolla-Ansible reads \`globals.yml\`, \`passwords.yml\` and \`config/\` from its configuration`,
    `directory, ${code(KOLLA_CONFIG_DIR)} (its \`--configdir\` default): copy this folder's files there and`,
    `keep \`passwords.yml\` there. It runs on the deployment host, ${runner}` +
      " (the inventory's `deployment` group is that machine, `localhost`). The copy replaces",
    "`/etc/kolla/globals.yml`: keep settings of your own (a Manila share backend, say) in",
    "`/etc/kolla/globals.d/*.yml`, which Kolla-Ansible reads after it. Set `kolla_base_distro` and",
    "`openstack_release` there, which the design leaves to you: `ubuntu` for these Ubuntu hosts, so",
    "the containers match the hosts' OS" +
      (d.cinder.backends.some((b) => b.volumeGroup)
        ? " (the LVM and ZFS backends need it: their iSCSI target on Ubuntu hosts is tgtd, and Kolla builds no tgtd image for Rocky, its default)."
        : "."),
    "",
  );
  out.push(
    "TLS is on for the external and internal endpoints:",
    "before `prechecks` (Kolla's load-balancer check stops without them), put the certificates with",
    "their keys where Kolla expects them",
    `(\`/etc/kolla/certificates/haproxy.pem\`, \`/etc/kolla/certificates/haproxy-internal.pem\`${d.vips.external ? "" : "; without an external VIP the public endpoints are on the internal one, so both files hold its certificate"})`,
    `and the CA that signed them as \`${KOLLA_CA_FILE}\`, which the services and`,
    `\`admin-openrc.sh\` trust. For a test cloud, \`kolla-ansible certificates -i ${KOLLA_INVENTORY}\``,
    "makes them (replacing those files) once the first commands below have copied `globals.yml`, where",
    "it reads the VIPs' names and TLS settings, and run `install-deps`, which installs the Ansible",
    "collections it uses.",
    "",
  );
  // Kolla's cinder precheck runs vgs: the groups come before the commands that run it.
  const lvm = d.cinder.backends.filter((b) => b.volumeGroup);
  if (lvm.length) {
    out.push(
      "Create the volume groups of the LVM backends on their hosts before `prechecks`, which look for them:",
      "",
    );
    for (const b of lvm) {
      const disks = volumeDisksText(model.storage.backends.find((x) => x.name === b.name));
      out.push(
        b.kind === "zfs"
          ? `- ${b.name} on ${b.hosts.join(", ")}: a zpool \`${b.volumeGroup}\` of ${disks}, in the redundancy you choose (\`zpool create ${b.volumeGroup}${zpoolLayout(model.storage.backends.find((x) => x.name === b.name))}\` and their device paths, say), then \`zfs create -V <size> ${b.volumeGroup}/lvm && vgcreate ${b.volumeGroup} /dev/zvol/${b.volumeGroup}/lvm\`, the size what \`zfs get available ${b.volumeGroup}\` shows less a margin`
          : `- ${b.name} on ${b.hosts.join(", ")}: \`vgcreate ${b.volumeGroup}\` and the device paths of ${disks}`,
      );
    }
    out.push(
      "",
      "`lsblk -d -o NAME,SIZE,ROTA,TRAN` lists a host's disks: ROTA 1 for a spinning disk, TRAN nvme for an NVMe one; the disk the system is on has partitions (`lsblk` without `-d` shows them).",
      "",
    );
  }
  // Kolla keeps local instance disks on the root file system unless told; the capacity counts
  // the hosts' instance disks as one file system.
  if (model.storage.ephemeralBackend === "local") {
    const byHardware = new Map<string, string[]>();
    for (const n of model.nodes.filter((n) => n.roles.includes("compute")))
      byHardware.set(n.hardware, [...(byHardware.get(n.hardware) ?? []), n.name]);
    const rows = [...byHardware].flatMap(([name, hosts]) => {
      const hw = model.hardware.find((h) => h.name === name)?.instanceDisks;
      if (!hw || hw.sharesSystem || !hw.disks.length) return [];
      const system = hw.systemTakesOne
        ? ` (the system is on another ${diskKindText(hw.systemTakesOne.kind, 1)} of ${hw.systemTakesOne.sizeGB / 1000} TB: no disk is marked use: system)`
        : "";
      return [`- ${hosts.join(", ")}: ${diskListText(hw.disks)}${system}`];
    });
    if (rows.length)
      out.push(
        "Local instance disks: Kolla keeps them in its `nova_compute` Docker volume, on the root file",
        "system unless told, while the capacity counts these disks of each compute host as one file",
        "system. Before `deploy`, combine them into one file system on each host",
        `(\`vgcreate ${INSTANCE_VG} <their device paths> && lvcreate -n instances -l 100%FREE ${INSTANCE_VG} && mkfs.xfs /dev/${INSTANCE_VG}/instances\`),`,
        `mount it at \`${INSTANCE_DIR}\` with an \`/etc/fstab\` line, and put`,
        `\`nova_instance_datadir_volume: "${INSTANCE_DIR}"\` in \`${KOLLA_CONFIG_DIR}/globals.d/instances.yml\`,`,
        "which Kolla bind-mounts as Nova's whole state folder, `/var/lib/nova` (the guests under its",
        "`instances/`). On a cloud already running guests, stop its Nova containers on the host and",
        "copy the `nova_compute` volume's `_data` there first, as it is: Nova finds them there only.",
        "",
        ...rows,
        "",
      );
  }
  const binds = model.identity.domains.flatMap((dm) =>
    dm.ldap?.bindPasswordVariable
      ? [{ domain: dm.name, variable: dm.ldap.bindPasswordVariable }]
      : [],
  );
  if (binds.length) {
    out.push(
      "Kolla-Ansible fills each directory's bind password into its Keystone domain file from",
      "`/etc/kolla/passwords.yml` (`deploy` stops without it); add these lines there before the",
      "commands below, from your secret store (the output folder",
      "never holds them, and copying `kolla/config` again keeps them). Keep each password in single",
      "quotes, with a `'` inside written `''`: unquoted, YAML turns `0123` into 83 and `yes` into",
      "true. A bind password must not contain `{{`, `{%` or `{#`: Kolla passes passwords.yml to",
      "Ansible as extra-vars, whose values Ansible renders as templates.",
      "",
      "```yaml",
      ...binds.map((b) => `${b.variable}: '<bind password of domain ${b.domain}>'`),
      "```",
      "",
    );
  }

  // Older releases know no such flag: the commands carry it only where every release needs it.
  const prechecks = stage?.commands.find((c) => c.startsWith("kolla-ansible prechecks"));
  if (!d.registry && prechecks && !prechecks.endsWith("--use-test-images"))
    out.push(
      `With Kolla-Ansible ${KOLLA_TEST_IMAGES} or later and Kolla's own images (the design names no`,
      "registry), add `--use-test-images` to `prechecks`: it stops on them otherwise.",
      "",
    );
  out.push(
    "From the root of the output folder:",
    "",
    "```sh",
    ...(stage?.commands ?? []),
    "```",
    "",
  );
  const octavia = d.octavia;
  // Glance keeping images in Swift takes the amphora image only once Swift answers.
  const amphoraAfterSwift = d.glance.store === "swift" && model.storage.swift !== undefined;
  const amphora: string[] = [];
  if (octavia) {
    const net = octavia.network;
    // Nova clones an RBD image only from a raw one; a qcow2 amphora would be downloaded and
    // converted on each host at every failover.
    const format = d.glance?.cephPool ? "raw" : "qcow2";
    amphora.push(
      `Octavia's amphorae boot on ${code(net.name)} (${net.cidr}, VLAN ${net.vlan ?? "none"} of physical network`,
      `${code(net.physicalNetwork)}), which Kolla-Ansible creates in Neutron from ${code("octavia_amp_network")}; the`,
      "controllers join it (`octavia_network_interface`) and the health managers listen there on UDP",
      `${OCTAVIA_HEALTH_MANAGER_PORT} (${octavia.healthManagers.map((h) => `${h.host} ${h.address}`).join(", ")}). ${amphoraAfterSwift ? "Once Swift answers (Glance keeps images there)" : "After `post-deploy`"},`,
      `register an amphora image (built with octavia's diskimage-create, \`-t ${format}\`${format === "raw" ? ": Glance keeps images in Ceph, where Nova clones raw ones" : ""}) in the service`,
      "project, tagged `amphora` (Kolla's `octavia_amp_image_tag`), with the credentials of",
      "`/etc/kolla/octavia-openrc.sh` and Kolla's CA, which that file does not name (the `openstack`",
      "client is not part of Kolla-Ansible: install `python-openstackclient` beside it, as its",
      "quickstart does):",
      "",
      "```sh",
      ". /etc/kolla/octavia-openrc.sh",
      `export OS_CACERT=${KOLLA_CA_FILE}`,
      `openstack image create amphora-x64-haproxy --container-format bare --disk-format ${format} \\`,
      `  --private --tag amphora --file amphora-x64-haproxy.${format}`,
      "```",
      "",
      "The controllers' client certificate, which every amphora checks, is valid for one year",
      "(Kolla's `octavia_certs_client_expiry`, 365 days; its CAs ten): past that day Octavia can no",
      "longer configure or fail over any amphora. Check it every month, `kolla-ansible",
      `octavia-certificates -i ${KOLLA_INVENTORY} --check-expiry 60\` (it fails within 60 days of`,
      "the date), and renew it before then: the CA's database signs a second certificate of the",
      "same name only once the first is revoked, and the reconfigure restarts Octavia with the new one",
      "(the amphorae trust the same CA):",
      "",
      "```sh",
      // A subshell: the passphrase and the folder go with it, whether the revocation works or not.
      "(",
      `  cd ${OCTAVIA_CLIENT_CA_DIR} &&`,
      `  OCTAVIA_CA_PASS="$(python3 -c 'import yaml; print(yaml.safe_load(open("${KOLLA_CONFIG_DIR}/passwords.yml"))["octavia_client_ca_password"])')" &&`,
      "  export OCTAVIA_CA_PASS &&",
      "  openssl ca -config ../openssl.cnf -name client_ca -revoke client.cert.pem -passin env:OCTAVIA_CA_PASS &&",
      "  rm client.cert.pem client.cert-and-key.pem",
      ")",
      `kolla-ansible octavia-certificates -i ${KOLLA_INVENTORY}`,
      `kolla-ansible reconfigure -i ${KOLLA_INVENTORY} -t octavia`,
      "```",
      "",
    );
    if (!amphoraAfterSwift) out.push(...amphora);
  }
  const gluster = d.cinder.backends.find((b) => b.kind === "glusterfs");
  if (gluster)
    out.push(
      gluster.shares?.length
        ? `cinder-volume on ${gluster.hosts.join(", ")} mounts the Gluster volumes ${gluster.shares.map(code).join(", ")} through their NFS export (\`config/cinder/nfs_shares\`): export them over NFS on the Gluster servers (NFS-Ganesha) before \`deploy\`.`
        : `Write \`config/cinder/nfs_shares\` in ${code(KOLLA_CONFIG_DIR)} with the Gluster volumes of ${gluster.name} (one host:/volume per line, exported over NFS) before \`deploy\`: Kolla-Ansible stops without it.`,
      "",
    );
  const swift = model.storage.swift;
  if (swift) {
    out.push(
      `## ${ceph ? 3 : 2}. Swift`,
      "",
      "Kolla-Ansible no longer deploys Swift. Install it from the distribution's packages",
      `(swift-proxy on ${swift.proxies.join(", ")}; swift-account, swift-container and swift-object on`,
      `${swift.storageNodes.join(", ")}), build the rings with \`config/swift/rings.sh\` (copied to one Swift`,
      "host and run there as root: it works in `/etc/swift`, with the packages' `swift-ring-builder`) and",
      "copy them to `/etc/swift` on every other Swift host. Kolla's Keystone is its identity service. The alternative",
      "is Ceph's RADOS Gateway with the Swift API (a `rgw` service in cephadm and `enable_ceph_rgw`",
      "in Kolla).",
      "",
      "Before the rings, on every Swift host: make `/etc/swift` (owned by the `swift` user the",
      "packages create). Its `swift.conf` needs a `[swift-hash]` section with `swift_hash_path_suffix`",
      "and `swift_hash_path_prefix`: two random values (`openssl rand -hex 32` each), made once, the",
      "same on every Swift host and never changed once objects are stored (they place every object);",
      "they are secrets, kept in your secret store and never in this folder. Every Swift server",
      "refuses to start without them.",
      "",
      "On every storage node, format each of its " +
        `${swift.disksPerNode} data disks with XFS and mount them as`,
      "`/srv/node/d1` and onwards (`nofail` in `/etc/fstab`, owned by `swift`): the rings name the",
      "devices so, and the servers look for them there. Run rsyncd with the `account`, `container`",
      "and `object` modules of Swift's deployment guide (`path = /srv/node`), which replication uses.",
      "",
      "`rings.sh` builds the rings whose builders are missing and keeps the others: creating a ring",
      "again would move every partition. Run again, it builds the ring of a storage policy added",
      "since: copy that ring to every Swift host before the policy's section of `swift.conf` (a",
      "proxy refuses to start while a policy's ring is missing). When storage nodes join later, run",
      "its `swift-ring-builder <ring>.builder add` lines for the new nodes' disks against the",
      "existing builders, then `swift-ring-builder <ring>.builder rebalance` (it moves at most one",
      "replica of a partition per `min_part_hours`) and copy the rings again.",
      "",
    );
    // Swift's servers bind 0.0.0.0 unless told otherwise: an IPv4-only socket.
    const anyAddress = swift.bindIp;
    if (anyAddress === "::" && !swift.replicationNetwork)
      out.push(
        "The rings name the storage nodes by IPv6 address: set the account, container and object",
        "servers' `bind_ip` to `::` on the storage nodes (their default, `0.0.0.0`, listens on IPv4 only).",
        "",
      );

    if (swift.replicationNetwork)
      out.push(
        `The rings give each disk its node's storage address for the proxies and its ${code(swift.replicationNetwork)}`,
        "address for replication (rsync and REPLICATE requests). Swift's replicators find their own",
        `disks among the addresses the servers bind to: on the storage nodes, ${anyAddress === "::" ? "set" : "leave"} the account,`,
        `container and object servers' \`bind_ip\` ${anyAddress === "::" ? "to" : "at"} \`${anyAddress}\` and rsyncd without an \`address\`, so they`,
        `answer on both networks${anyAddress === "::" ? " (`::` takes IPv6, and IPv4 too where the kernel maps it)" : ""}.`,
        "",
      );
    const proxies = d.swiftProxies;
    if (proxies) {
      const url = (which: "internal" | "external") => {
        const vip = d.vips[which];
        if (!vip) return undefined;
        return `https://${urlHost(vip.fqdn)}:${proxies.port}/v1/AUTH_%(project_id)s`;
      };
      const internal = url("internal");
      // Without an external VIP, users reach the internal one.
      const endpoints = [
        ["internal", internal],
        ["public", url("external") ?? internal],
      ].filter((e): e is [string, string] => e[1] !== undefined);
      const region = shellQuote(model.cloud.region);
      out.push(
        "Kolla's HAProxy fronts the proxies on the VIPs, port " +
          `${proxies.port} (${code("deploy/kolla/config/haproxy/services.d/swift.cfg")}, copied with the rest of`,
        "`config/`; it checks each proxy's `/healthcheck`). After Kolla's `post-deploy`, with the admin",
        "credentials it writes, make the proxies' Keystone user (its password goes into the proxies'",
        "configuration and your secret store, never into this folder; run again, the block keeps the",
        `user and its password: \`openstack user set --domain default --password-prompt ${SWIFT_KEYSTONE_USER}\``,
        "changes it) and register the object-store",
        "endpoints at the VIPs (the `openstack` client is not part of Kolla-Ansible: install",
        "`python-openstackclient` beside it, as its quickstart does):",
        "",
        "```sh",
        ". /etc/kolla/admin-openrc.sh",
        // Each line may run again: an existing user, service or endpoint is kept, not doubled
        // (a kept user keeps its password, which openstack user set changes).
        `openstack user show --domain default ${SWIFT_KEYSTONE_USER} >/dev/null 2>&1 ||`,
        `  openstack user create --domain default --password-prompt ${SWIFT_KEYSTONE_USER}`,
        // Token validation needs Keystone's service role, not admin (admin of a project is admin
        // of the whole cloud); keystone-manage bootstrap makes the role from 2023.2 on.
        "openstack role create --or-show service",
        `openstack role add --project service --user ${SWIFT_KEYSTONE_USER} --user-domain default service`,
        "openstack service show object-store >/dev/null 2>&1 ||",
        "  openstack service create --name swift object-store",
        ...endpoints.flatMap(([iface, u]) => [
          `[ -n "$(openstack endpoint list --service object-store --interface ${iface} --region ${region} -f value -c ID)" ] ||`,
          `  openstack endpoint create --region ${region} object-store ${iface} '${u}'`,
        ]),
        "```",
        "",
        ...(proxies.keystoneUrl
          ? [
              "Each proxy's `/etc/swift/proxy-server.conf` checks tokens at Keystone's internal endpoint, trusting",
              `Kolla's CA (copy \`${KOLLA_CA_FILE}\` to the proxy as \`/etc/swift/kolla-ca.crt\`);`,
              "`keystoneauth` lets project members and admins use their accounts, which the proxy makes on",
              "first use. The pipeline is Swift's sample one with `authtoken keystoneauth` in place of",
              "`tempauth`, and the `[filter:authtoken]` section also takes the",
              `${SWIFT_KEYSTONE_USER} user's \`password\`, from your secret store:`,
              "",
              "```ini",
              "[pipeline:main]",
              `pipeline = ${SWIFT_PROXY_PIPELINE.join(" ")}`,
              "",
              "[app:proxy-server]",
              "use = egg:swift#proxy",
              "account_autocreate = true",
              "",
              "[filter:authtoken]",
              "paste.filter_factory = keystonemiddleware.auth_token:filter_factory",
              `www_authenticate_uri = ${proxies.keystoneUrl}`,
              `auth_url = ${proxies.keystoneUrl}`,
              "auth_type = password",
              "project_domain_id = default",
              "user_domain_id = default",
              "project_name = service",
              `username = ${SWIFT_KEYSTONE_USER}`,
              "cafile = /etc/swift/kolla-ca.crt",
              "delay_auth_decision = True",
              "",
              "[filter:keystoneauth]",
              "use = egg:swift#keystoneauth",
              "operator_roles = admin, member",
              // The provider turns versioning on with X-Versions-Enabled, which Swift ignores
              // (and Terraform plans again) unless the proxies allow object versioning.
              ...(swift.containers.some((c) => c.versioning)
                ? [
                    "",
                    "[filter:versioned_writes]",
                    "use = egg:swift#versioned_writes",
                    "allow_object_versioning = true",
                  ]
                : []),
              "```",
              "",
            ]
          : []),
      );
    }
    if (swift.policies.length)
      out.push(
        `The storage policies (${swift.policies.map((p) => p.name).join(", ")}) go into \`/etc/swift/swift.conf\` on`,
        "every Swift host from `config/swift/swift.conf`, before the proxies start: they refuse a",
        "container whose policy they do not know.",
        "",
      );
    const coded = swift.policies.filter((p) => p.erasureCoding);
    if (coded.length) {
      const isal = coded.some((p) => p.erasureCoding?.type.startsWith("isa_l"));
      out.push(
        `Erasure-coded policies (${coded.map((p) => `${code(p.name)}: ${p.erasureCoding?.dataFragments} data and ${p.erasureCoding?.parityFragments} parity fragments, \`${p.erasureCoding?.type}\``).join("; ")})`,
        "need PyECLib with liberasurecode on every Swift host (Debian's and Ubuntu's `python3-pyeclib`,",
        `which the Swift packages pull in)${isal ? ", and Intel's ISA-L library for the `isa_l` types (`libisal2`): without it every Swift server refuses to start" : ""}.`,
        "Run `swift-object-reconstructor` on every storage node (in the `swift-object` package: enable",
        "its service): it rebuilds the fragments a failed disk or node lost, as the replicator does for",
        "copies. Erasure coding suits large objects: each object, however small, becomes k + m fragment",
        "files on as many disks, each with its own header.",
        "",
      );
    }
    if (d.gnocchi?.store === "swift")
      out.push(
        "Gnocchi keeps Ceilometer's metrics here (`config/gnocchi.conf`): containers `gnocchi.<metric>`",
        "in the `service` project, written by Kolla's `gnocchi` user with the admin role, so the",
        "proxies' `operator_roles` must include `admin` and their pipeline `bulk` (Gnocchi deletes a",
        "metric with bulk-delete). Kolla's Gnocchi bootstrap makes its containers there, so the",
        "deploy stage skips Gnocchi and Ceilometer (`--skip-tags gnocchi,ceilometer`) and the",
        "runbook deploys them once Swift answers (`kolla-ansible deploy -t loadbalancer,gnocchi,ceilometer`:",
        "HAProxy takes Gnocchi's frontend when the loadbalancer play restarts it).",
        "",
      );
  }
  if (amphoraAfterSwift) out.push(...amphora);
  return `${out.join("\n").trimEnd()}\n`;
}

/** `each host's 12 × 8 TB HDDs` for the disks a volume group takes, as the model counts them. */
/**
 * A zpool layout the fewest disks a host of the backend has can take: raidz2 from four, raidz
 * from three, a mirror of two, none for one.
 */
function zpoolLayout(backend: Model["storage"]["backends"][number] | undefined): string {
  const counts = (backend?.volumeDisks?.profiles ?? []).map((p) =>
    p.disks.reduce((n, d) => n + d.count, 0),
  );
  const fewest = counts.length ? Math.min(...counts) || 4 : 4;
  return fewest >= 4 ? " raidz2" : fewest === 3 ? " raidz" : fewest === 2 ? " mirror" : "";
}

const DISK_KINDS: Record<string, readonly [string, string]> = {
  hdd: ["HDD", "HDDs"],
  ssd: ["SSD", "SSDs"],
  nvme: ["NVMe disk", "NVMe disks"],
};

function diskKindText(kind: string, count: number): string {
  return DISK_KINDS[kind]?.[count === 1 ? 0 : 1] ?? kind;
}

/** "2 × 0.96 TB SSDs and 1 × 1.92 TB NVMe disk". */
function diskListText(disks: readonly { count: number; sizeGB: number; kind: string }[]): string {
  return disks
    .map((d) => `${d.count} × ${d.sizeGB / 1000} TB ${diskKindText(d.kind, d.count)}`)
    .join(" and ");
}

function volumeDisksText(backend: Model["storage"]["backends"][number] | undefined): string {
  const profiles = backend?.volumeDisks?.profiles ?? [];
  const one = (p: (typeof profiles)[number]) => {
    const list = diskListText(p.disks);
    const shown = list || "the disks you give it (its hardware profile lists none of its class)";
    return p.systemTakesOne
      ? `${shown} (the system is on another of that kind: no disk is marked use: system)`
      : shown;
  };
  const texts = [...new Set(profiles.map(one))];
  return texts.length === 1
    ? `each host's ${texts[0]}`
    : profiles.map((p) => `the ${p.hardware} hosts' ${one(p)}`).join("; ") || "its disks";
}
