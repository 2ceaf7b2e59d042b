import type { Spec } from "../schema";
import type { Findings, Path } from "./findings";

/**
 * Combinations the deployment tools cannot build: OVN has no GRE, a local-disk Cinder backend
 * needs hosts with disks, and a pinned pool must keep whole cores for the host.
 */
export function deployment(spec: Spec, f: Findings): void {
  const net = spec.network;
  if (net.mechanism === "ovn" && net.tenantNetworkType === "gre")
    f.error(
      "ovn-gre",
      ["network", "tenantNetworkType"],
      "OVN has no GRE tenant networks (network.mechanism is ovn); use geneve or vxlan, or mechanism ovs",
    );

  // Kolla-Ansible gives every OVN chassis Geneve tunnels alone (ovn-encap-type geneve): a
  // vxlan network type numbers segments, but the wire carries Geneve.
  if (net.mechanism === "ovn" && net.tenantNetworkType === "vxlan")
    f.warn(
      "ovn-vxlan",
      ["network", "tenantNetworkType"],
      "with OVN, Neutron's vxlan tenant networks ride OVN's Geneve tunnels (Kolla-Ansible sets each chassis' ovn-encap-type to geneve): no VXLAN offload or hardware VTEP sees their traffic; use geneve, unless something needs their VXLAN segment numbers",
    );

  // The undercloud's bare-metal stack makes the controllers' VMs, one to a hypervisor (an
  // anti-affinity server group); without it nothing makes or places them.
  if (spec.controlPlane.deployment === "vm" && !spec.cloud.undercloud)
    f.error(
      "controller-vms-undercloud",
      ["controlPlane", "deployment"],
      "controllers run as VMs on the undercloud, whose bare-metal stack makes them one to a hypervisor, and the design declares none (cloud.undercloud); declare the undercloud, or deploy the controllers on bare metal (hosts you install yourself)",
    );

  // A VM's flavor is the undercloud's own; bare-metal controllers default to their profile's.
  if (
    spec.cloud.undercloud &&
    spec.controlPlane.deployment === "vm" &&
    spec.controlPlane.flavor === undefined
  )
    f.error(
      "controller-flavor-missing",
      ["controlPlane"],
      `the controllers run as VMs on the undercloud ${spec.cloud.undercloud.cloud}: name the Nova flavor they boot with in controlPlane.flavor`,
    );

  // Without block-storage nodes the LVM, ZFS and GlusterFS backends run on the controllers,
  // which need disks of their own for that: controllers deployed as VMs have none.
  const storage = spec.storage as Spec["storage"] & { blockStorageNodes?: unknown };
  if (spec.controlPlane.deployment === "vm" && !storage.blockStorageNodes)
    storage.backends.forEach((b, i) => {
      if (b.kind === "ceph") return;
      f.error(
        "backend-without-hosts",
        ["storage", "backends", i, "kind"],
        `backend ${b.name} (${b.kind}) has no host to serve its volumes: the controllers are VMs (controlPlane.deployment: vm); declare block-storage nodes or use a ceph backend`,
      );
    });

  const hardware = new Map(spec.hardware.map((h) => [h.name, h]));
  spec.zones.forEach((z, zi) =>
    z.pools.forEach((p, pi) => {
      const hw = hardware.get(p.hardware);
      if (!p.cpuPinning || !hw) return;
      const path: Path = ["zones", zi, "pools", pi, "reservedHostCpus"];
      if (p.reservedHostCpus === 0)
        f.error(
          "pinned-reserved-cpus",
          path,
          `pool ${p.name} pins CPUs but reserves none: the host would have no core pinned guests leave alone; reserve at least ${hw.threadsPerCore}`,
        );
      else if (p.reservedHostCpus % hw.threadsPerCore !== 0)
        f.error(
          "pinned-reserved-cpus",
          path,
          `pool ${p.name} pins CPUs and reserves ${p.reservedHostCpus} threads, not whole cores of ${p.hardware} (${hw.threadsPerCore} threads per core): pinned guests would share cores with the host; reserve a multiple of ${hw.threadsPerCore}`,
        );
    }),
  );
}
