import type { Model } from "../model/types";

/** Swift's default ring ports. */
export const SWIFT_RING_PORTS = { account: 6202, container: 6201, object: 6200 } as const;

/**
 * The swift-ring-builder commands that build the account, container and object rings of the
 * model's ring plan, keyed by output path (`config/swift/rings.sh`). Storage nodes go round-robin
 * into the zones, zones round-robin into the regions, every disk of a node becomes a device d1..dN
 * on its storage network address. Empty when the design has no Swift.
 */
export function swiftRingPlan(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  const swift = model.storage.swift;
  if (!swift) return files;
  const nodes = swift.storageNodes;
  if (nodes.length === 0) throw new Error("the Swift ring plan needs at least one storage node");
  const disksPerNode = swift.disks / nodes.length;
  if (!Number.isInteger(disksPerNode))
    throw new Error(
      `the Swift ring plan needs the same disk count on every node; ${swift.disks} disks over ${nodes.length} nodes`,
    );
  const storageNet = model.networks.find((n) => n.role === "storage");
  if (!storageNet)
    throw new Error("the Swift ring plan needs a network with role storage for the ring addresses");

  const devices = nodes.map((name, i) => {
    const node = model.nodes.find((n) => n.name === name);
    const address = node?.addresses[storageNet.name];
    if (!address)
      throw new Error(
        `Swift storage node ${name} has no address on the storage network ${storageNet.name}`,
      );
    const zone = (i % swift.zones) + 1;
    const region = ((zone - 1) % swift.regions) + 1;
    return { name, address, zone, region };
  });

  const out = [
    "#!/bin/sh",
    "# Swift rings, written by Stackwright from the design's ring plan:",
    `# partition power ${swift.partitionPower} (${swift.partitions} partitions), ${swift.replicas} replicas, min_part_hours ${swift.minPartHours},`,
    `# ${swift.regions} region(s), ${swift.zones} zone(s), ${nodes.length} storage node(s) with ${disksPerNode} disk(s) each, weight ${swift.weightPerDisk} per disk.`,
    "# Run once on one Swift node with the disks mounted as /srv/node/d1..dN on every storage node,",
    "# then copy account.ring.gz, container.ring.gz and object.ring.gz to /etc/swift on every Swift node.",
    "set -eu",
    "cd /etc/swift",
    "",
    "# Creating a ring again would move every partition: change existing rings with add/remove/rebalance.",
    "for ring in account container object; do",
    '  if [ -e "$ring.builder" ]; then',
    '    echo "$ring.builder exists; refusing to recreate the rings" >&2',
    "    exit 1",
    "  fi",
    "done",
  ];
  for (const [ring, port] of Object.entries(SWIFT_RING_PORTS)) {
    const builder = `${ring}.builder`;
    out.push(
      "",
      `swift-ring-builder ${builder} create ${swift.partitionPower} ${swift.replicas} ${swift.minPartHours}`,
    );
    for (const d of devices) {
      for (let disk = 1; disk <= disksPerNode; disk++)
        out.push(
          `swift-ring-builder ${builder} add r${d.region}z${d.zone}-${d.address}:${port}/d${disk} ${swift.weightPerDisk}`,
        );
    }
    // Exit status 1 is a warning (balance, dispersion); only 2 is an error.
    out.push(`swift-ring-builder ${builder} rebalance || [ $? -eq 1 ]`);
  }
  files.set("config/swift/rings.sh", `${out.join("\n")}\n`);
  return files;
}
