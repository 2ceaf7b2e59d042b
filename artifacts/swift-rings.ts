import { urlHost } from "../core/net";
import type { Model } from "../model/types";
import { SWIFT_RING_PORTS } from "../model/ports";

/**
 * The swift-ring-builder commands that build the account, container and object rings of the
 * model's ring plan, keyed by output path (`config/swift/rings.sh`). Each storage node in the
 * model's zone and region, every disk of a node becomes a device d1..dN
 * on its storage network address, replicating over its storage-replication address when it has
 * one. Empty when the design has no Swift.
 */
export function swiftRingPlan(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  const swift = model.storage.swift;
  if (!swift) return files;
  const nodes = swift.storageNodes;
  if (nodes.length === 0) throw new Error("the Swift ring plan needs at least one storage node");
  const { disksPerNode } = swift;
  const storageNet = model.networks.find((n) => n.role === "storage");
  if (!storageNet)
    throw new Error("the Swift ring plan needs a network with role storage for the ring addresses");

  const devices = swift.nodeZones.map(({ node: name, zone, region }) => {
    const node = model.nodes.find((n) => n.name === name);
    const address = node?.addresses[storageNet.name];
    if (!address)
      throw new Error(
        `Swift storage node ${name} has no address on the storage network ${storageNet.name}`,
      );
    // Replicators move partitions between nodes over the replication network when there is one.
    const replication = swift.replicationNetwork && node?.addresses[swift.replicationNetwork];
    return { name, address, replication, zone, region };
  });

  // One object ring per storage policy (policy 0 reads object.ring.gz), each with its replicas
  // (an erasure-coded policy's fragments).
  const objectRings = swift.policies.length
    ? swift.policies.map((p) => ({ ring: p.ring, replicas: p.replicas }))
    : [{ ring: "object", replicas: swift.replicas }];
  const rings = [
    { ring: "account", port: SWIFT_RING_PORTS.account, replicas: swift.replicas },
    { ring: "container", port: SWIFT_RING_PORTS.container, replicas: swift.replicas },
    ...objectRings.map((r) => ({ ...r, port: SWIFT_RING_PORTS.object })),
  ];
  const ringFiles = rings.map((r) => `${r.ring}.ring.gz`);
  const out = [
    "#!/bin/sh",
    "# Swift rings, written by Stackwright from the design's ring plan:",
    `# partition power ${swift.partitionPower} (${swift.partitions} partitions), ${swift.replicas} replicas, min_part_hours ${swift.minPartHours},`,
    `# ${swift.regions} region(s), ${swift.zones} zone(s), ${nodes.length} storage node(s) with ${disksPerNode} disk(s) each, weight ${swift.weightPerDisk} per disk.`,
    "# Run on one Swift node with the disks mounted as /srv/node/d1..dN on every storage node, then",
    `# copy ${ringFiles.slice(0, -1).join(", ")} and ${ringFiles[ringFiles.length - 1]} to /etc/swift on every Swift node.`,
    "# It builds the rings whose builders are missing and keeps the others: run again, it builds the",
    "# ring of a storage policy added since. A builder without its ring.gz (a run cut short) stops",
    "# it: remove that builder and run again.",
    ...(swift.policies.length
      ? ["# The storage policies that read the object rings are in config/swift/swift.conf."]
      : []),
    "set -eu",
    "cd /etc/swift",
    "",
    "# Creating a ring again would move every partition: a running ring changes by add, remove,",
    "# set_replicas and rebalance.",
  ];
  for (const { ring, port, replicas } of rings) {
    const builder = `${ring}.builder`;
    out.push(
      "",
      `if [ -e ${builder} ] && [ ! -e ${ring}.ring.gz ]; then`,
      `  echo "${builder} has no ${ring}.ring.gz: a run cut short? remove ${builder} and run again" >&2`,
      "  exit 1",
      `elif [ -e ${builder} ]; then`,
      `  echo "${builder} exists: kept" >&2`,
      "else",
      `  swift-ring-builder ${builder} create ${swift.partitionPower} ${replicas} ${swift.minPartHours}`,
    );
    // One command per node: each run of the builder loads and saves the whole ring.
    for (const d of devices) {
      const at = `r${d.region}z${d.zone}-${urlHost(d.address)}:${port}${d.replication ? `R${urlHost(d.replication)}:${port}` : ""}`;
      const disks = Array.from(
        { length: disksPerNode },
        (_, i) => `    ${at}/d${i + 1} ${swift.weightPerDisk}`,
      );
      out.push(`  swift-ring-builder ${builder} add \\`, disks.join(" \\\n"));
    }
    // Exit status 1 is a warning (balance, dispersion); only 2 is an error.
    out.push(`  swift-ring-builder ${builder} rebalance || [ $? -eq 1 ]`, "fi");
  }
  files.set("config/swift/rings.sh", `${out.join("\n")}\n`);
  if (swift.policies.length) files.set("config/swift/swift.conf", storagePolicies(swift.policies));
  return files;
}

/**
 * The `[storage-policy:<index>]` sections of swift.conf: without them the proxies refuse a
 * container's X-Storage-Policy, and Swift refuses several policies without index 0 or a default.
 */
function storagePolicies(policies: NonNullable<Model["storage"]["swift"]>["policies"]): string {
  const lines = [
    "# Swift storage policies, written by Stackwright from storage.swift.policies. Merge into",
    "# /etc/swift/swift.conf on every Swift node, next to its [swift-hash] section (secrets that are",
    "# not part of the design). Swift stores objects under the policy index: add new policies at",
    "# the end of storage.swift.policies and never reorder them, nor change an erasure-coded",
    "# policy's fragments or type: Swift reads its objects' fragments by them.",
  ];
  for (const p of policies) {
    const ec = p.erasureCoding;
    lines.push(
      "",
      `[storage-policy:${p.index}]`,
      `name = ${p.name}`,
      ...(p.default ? ["default = yes"] : []),
      // Swift loads the policy only where its object ring has exactly k + m replicas.
      ...(ec
        ? [
            "policy_type = erasure_coding",
            `ec_type = ${ec.type}`,
            `ec_num_data_fragments = ${ec.dataFragments}`,
            `ec_num_parity_fragments = ${ec.parityFragments}`,
          ]
        : []),
    );
  }
  return `${lines.join("\n")}\n`;
}
