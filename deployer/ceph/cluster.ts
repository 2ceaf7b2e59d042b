import { stringify } from "yaml";
import { CA_BUNDLES } from "../../core/ca-bundles";
import type { Model } from "../../model/types";
import { CEPH_DEFAULT_RULE, CRUSH_ROOT, type CephDeployModel } from "../../model/deploy";
import { CEPH_MIN_POOL_PGS, CEPH_RGW_ZONE_POOLS } from "../../core/ceph-pools";

/** The gateways' cephadm service id: their service is rgw.swift. */
export const RGW_SERVICE_ID = "swift";

/** Kolla's Keystone user for the gateways (ceph_rgw_keystone_user). */
export const RGW_KEYSTONE_USER = "ceph_rgw";
/**
 * The CA bundle each gateway host keeps for its container (its own bundle, with Kolla's CA once
 * deploy/README.md adds it), mounted over the image's: the gateways check tokens at Keystone's
 * internal endpoint, whose certificate Kolla's CA signs, through libcurl's default bundle.
 */
export const RGW_CA_BUNDLE = "/etc/ceph/rgw-ca-bundle.pem";
/** The trust bundle of the Ceph image (CentOS Stream), where libcurl's default CA file leads. */
const CEPH_IMAGE_CA_BUNDLE = CA_BUNDLES.redhat;

/** cephadm service specifications, one per document, in the order `ceph orch apply -i` takes them. */
export function cephServiceSpecs(ceph: CephDeployModel): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = ceph.hosts.map((h) => ({
    service_type: "host",
    hostname: h.name,
    addr: h.address,
    labels: [...h.labels],
    ...(h.crushLocation ? { location: { ...h.crushLocation } } : {}),
  }));
  docs.push(
    { service_type: "mon", placement: { hosts: [...ceph.monitors] } },
    { service_type: "mgr", placement: { hosts: [...ceph.managers] } },
  );
  for (const osd of ceph.osdSpecs) {
    docs.push({
      service_type: "osd",
      service_id: osd.deviceClass,
      placement: { hosts: [...osd.hosts] },
      spec: {
        data_devices: {
          rotational: osd.rotational ? 1 : 0,
          size: `${osd.sizeGB.minGB}G:${osd.sizeGB.maxGB}G`,
        },
        ...(osd.dbDevices
          ? {
              db_devices: {
                rotational: 0,
                size: `${osd.dbDevices.minGB}G:${osd.dbDevices.maxGB}G`,
              },
            }
          : {}),
        crush_device_class: osd.deviceClass,
      },
    });
  }
  if (ceph.rgw)
    docs.push({
      service_type: "rgw",
      service_id: RGW_SERVICE_ID,
      placement: { hosts: [...ceph.rgw.hosts] },
      spec: { rgw_frontend_port: ceph.rgw.port },
      ...(ceph.rgw.keystoneUrl
        ? { extra_container_args: ["-v", `${RGW_CA_BUNDLE}:${CEPH_IMAGE_CA_BUNDLE}:ro,z`] }
        : {}),
      // cephadm sets these for the service's daemons (client.rgw.swift). Kolla registers the
      // ceph_rgw user in the service project with admin; deploy/README.md sets its password.
      ...(ceph.rgw.keystoneUrl
        ? {
            config: {
              rgw_keystone_url: ceph.rgw.keystoneUrl,
              rgw_keystone_api_version: "3",
              rgw_keystone_admin_user: RGW_KEYSTONE_USER,
              rgw_keystone_admin_project: "service",
              rgw_keystone_admin_domain: "Default",
              rgw_keystone_accepted_roles: "member,admin",
              rgw_keystone_implicit_tenants: "true",
            },
          }
        : {}),
    });
  return docs;
}

/** `deploy/ceph/cluster.yaml`: the cluster's hosts and services for `ceph orch apply -i`. */
export function cephClusterFile(ceph: CephDeployModel): string {
  const header = [
    "# cephadm service specification, written by Stackwright from the design.",
    `# Bootstrap on ${ceph.bootstrapHost} (see deploy/README.md), then: ceph orch apply -i cluster.yaml`,
    "# Pools are not service specifications: deploy/ceph/pools.sh creates them afterwards.",
  ];
  // cephadm reads the specs with PyYAML, which follows YAML 1.1: written by 1.1's rules, every
  // string it would take for something else (host `on` or `no`, rack `2024-01-01`) is quoted.
  const docs = cephServiceSpecs(ceph).map((d) => stringify(d, { lineWidth: 0, version: "1.1" }));
  return `${header.join("\n")}\n---\n${docs.join("---\n")}`;
}

/**
 * `deploy/ceph/pools.sh`: CRUSH rules per device class and failure domain, the pools with the
 * design's pg_num and protection, and the cephx users Kolla-Ansible's services need.
 */
export function cephPoolsScript(model: Model, ceph: CephDeployModel): string {
  const nearfull = model.storage.ceph?.nearfullRatio;
  const out = [
    "#!/bin/sh",
    "# Ceph pools of the design, written by Stackwright. Run on the admin host after",
    "# `ceph orch apply -i cluster.yaml` once the OSDs are up. Safe to run again: Ceph keeps",
    "# what exists, and replicated pools take the design's rule again. pg_num is the design's",
    "# figure, so the autoscaler is off for these pools from their creation (set again for pools",
    "# an earlier run made).",
    "set -eu",
    "# the keyrings it writes are for root alone (ceph -o keeps the umask's mode)",
    "umask 077",
    "",
  ];
  if (nearfull !== undefined) out.push(`ceph osd set-nearfull-ratio ${nearfull}`, "");
  if (ceph.downOutSubtreeLimit)
    out.push(
      `# A host alone in its ${ceph.downOutSubtreeLimit === "root" ? "site" : "rack"} is a whole ${ceph.downOutSubtreeLimit === "root" ? "site" : "rack"} to Ceph, whose OSDs its monitors never mark`,
      "# out at their default (rack): its data would stay degraded until it returns. Marked out,",
      `# it recovers onto the others${ceph.downOutSubtreeLimit === "root" ? "" : "; a whole site's loss is still waited for"}.`,
      `ceph config set mon mon_osd_down_out_subtree_limit ${ceph.downOutSubtreeLimit}`,
      "",
    );
  const dataPools = ceph.pools.flatMap((p) => (p.dataPool ? [p.dataPool] : []));
  for (const rule of ceph.rules) {
    const p = [...ceph.pools, ...dataPools].find((x) => x.rule === rule.name)?.protection;
    // An erasure-coded pool gets its CRUSH rule from the profile when it is created.
    out.push(
      p?.kind === "erasure-coded"
        ? `ceph osd erasure-code-profile set ${rule.name} k=${p.k} m=${p.m} crush-failure-domain=${ceph.failureDomain} crush-device-class=${rule.deviceClass}`
        : `ceph osd crush rule create-replicated ${rule.name} ${CRUSH_ROOT} ${ceph.failureDomain} ${rule.deviceClass}`,
    );
  }
  // Ceph's own pools take the design's failure domain too. .mgr exists from the first OSD; the
  // gateways make their zone pools as they need them (the bucket index at the first bucket), on
  // Ceph's own rule: made here first, they keep this one.
  const rule = ceph.ownPoolsRule;
  const where =
    ceph.failureDomain === "datacenter"
      ? "sites"
      : ceph.failureDomain === "rack"
        ? "racks"
        : "hosts";
  out.push(
    "",
    `# The pools Ceph makes itself (${ceph.rgw ? ".mgr, the gateways' zone pools" : ".mgr"}) keep their copies in distinct ${where} too.`,
    ...(rule === CEPH_DEFAULT_RULE
      ? []
      : [`ceph osd crush rule create-replicated ${rule} ${CRUSH_ROOT} ${ceph.failureDomain}`]),
    `if ceph osd pool ls | grep -qxF .mgr; then ceph osd pool set .mgr crush_rule ${rule}; fi`,
  );
  if (ceph.rgw)
    out.push(
      `for pool in ${CEPH_RGW_ZONE_POOLS.join(" ")}; do`,
      `  ceph osd pool create "$pool" ${CEPH_MIN_POOL_PGS} ${CEPH_MIN_POOL_PGS} replicated ${rule}`,
      `  ceph osd pool set "$pool" crush_rule ${rule}`,
      `  ceph osd pool application enable "$pool" rgw`,
      "done",
    );
  for (const pool of ceph.pools) {
    out.push("");
    const data = pool.dataPool;
    if (data)
      out.push(
        `ceph osd pool create ${data.name} ${data.pgNum} ${data.pgNum} erasure ${data.rule} --autoscale-mode=off`,
        `ceph osd pool set ${data.name} allow_ec_overwrites true`,
        `ceph osd pool set ${data.name} pg_autoscale_mode off`,
        `ceph osd pool application enable ${data.name} ${pool.application}`,
      );
    if (pool.protection.kind === "replicated") {
      out.push(
        `ceph osd pool create ${pool.name} ${pool.pgNum} ${pool.pgNum} replicated ${pool.rule} --autoscale-mode=off`,
        // A pool made under an earlier rule (the failure domain changed) moves to this one.
        `ceph osd pool set ${pool.name} crush_rule ${pool.rule}`,
        // Ceph asks for the confirmation at size 1 (the rules warn: one copy loses data).
        `ceph osd pool set ${pool.name} size ${pool.protection.size}${pool.protection.size === 1 ? " --yes-i-really-mean-it" : ""}`,
        `ceph osd pool set ${pool.name} min_size ${pool.protection.minSize}`,
      );
    } else {
      out.push(
        `ceph osd pool create ${pool.name} ${pool.pgNum} ${pool.pgNum} erasure ${pool.rule} --autoscale-mode=off`,
        `ceph osd pool set ${pool.name} allow_ec_overwrites true`,
      );
    }
    out.push(
      `ceph osd pool set ${pool.name} pg_autoscale_mode off`,
      `ceph osd pool application enable ${pool.name} ${pool.application}`,
    );
    if (pool.application === "rbd") out.push(`rbd pool init ${pool.name}`);
    // Images created in the pool keep their data in the erasure-coded pool.
    if (data) out.push(`rbd config pool set ${pool.name} rbd_default_data_pool ${data.name}`);
  }
  const k = ceph.kollaPools;
  const volumePools = [
    ...new Set([
      ...(k.volumes ? [k.volumes] : []),
      ...model.deploy.cinder.backends.flatMap((b) => (b.cephPool ? [b.cephPool] : [])),
    ]),
  ];
  const dataPool = (pool: string) => ceph.pools.find((p) => p.name === pool)?.dataPool?.name;
  const rbd = (pool: string | undefined, profile = "profile rbd") =>
    pool ? [pool, dataPool(pool)].flatMap((name) => (name ? [`${profile} pool=${name}`] : [])) : [];
  const gnocchi = model.deploy.gnocchi?.cephUser;
  const users: { user: string; osd: string[]; mon?: string; always?: boolean }[] = [
    { user: "glance", osd: rbd(k.images) },
    // Every pool a Ceph backend writes (one per device class it names), Nova's instance disks,
    // and the images it clones from.
    {
      user: "cinder",
      osd: [
        ...volumePools.flatMap((pool) => rbd(pool)),
        ...rbd(k.vms),
        ...rbd(k.images, "profile rbd-read-only"),
      ],
    },
    // Kolla copies this keyring into cinder-backup beside Ceph volumes even when backups go to
    // Swift: then the user reads no pool.
    {
      user: "cinder-backup",
      osd: rbd(k.backups),
      always: model.deploy.cinder.backup?.cephKeyrings,
    },
    // Gnocchi reads and writes RADOS objects itself, not RBD images: the caps its guide gives.
    ...(gnocchi && k.metrics
      ? [{ user: gnocchi, osd: [`allow rwx pool=${k.metrics}`], mon: "allow r" }]
      : []),
  ];
  out.push(
    "",
    "# cephx users of Kolla's services (Nova uses client.cinder, Kolla's ceph_nova_user default);",
    "# copy the keyrings as deploy/README.md says: they are secrets and stay out of this folder.",
  );
  // get-or-create refuses a user that exists with other caps, so a design that adds a pool would
  // stop the script on a running cluster: the key is got or made alone, then the caps are set.
  for (const { user, osd, mon = "profile rbd", always } of users) {
    if (!osd.length && !always) continue;
    const osdCaps = osd.length ? ` osd '${osd.join(", ")}'` : "";
    // Ceph's OpenStack guide gives RBD users the manager's rbd profile on the pools they write
    // (the rbd_support module: trash purge, mirror snapshot schedules).
    const mgr = osd.filter((c) => c.startsWith("profile rbd pool="));
    const mgrCaps = mgr.length ? ` mgr '${mgr.join(", ")}'` : "";
    out.push(
      `ceph auth get-or-create client.${user} -o /etc/ceph/ceph.client.${user}.keyring`,
      // (a keyring an earlier run left readable keeps its mode when written again)
      `chmod 0600 /etc/ceph/ceph.client.${user}.keyring`,
      `ceph auth caps client.${user} mon '${mon}'${osdCaps}${mgrCaps}`,
    );
  }
  if (ceph.rgw) {
    // The gateways' default zone would write to default.rgw.buckets.data, a pool it creates with
    // Ceph's defaults; the design's pool takes the objects instead. Without a realm, the zone
    // change applies when the gateways restart. Last: the keyrings exist even if the gateways
    // are not up yet to restart (run the script again once they are).
    out.push(
      "",
      `# RADOS Gateway keeps object data in pool ${ceph.rgw.dataPool}.`,
      `radosgw-admin zone placement modify --rgw-zone default --placement-id default-placement --storage-class STANDARD --data-pool ${ceph.rgw.dataPool}`,
      `ceph orch restart rgw.${RGW_SERVICE_ID}`,
    );
  }
  return `${out.join("\n")}\n`;
}
