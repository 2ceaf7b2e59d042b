import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { Model } from "../model/types";
import { SERVICE_PORTS } from "../model/ports";
import type { Blueprint } from "./blueprint";
import { platformWithTenants } from "./private/platform-stacks";

/** The console proxy desktops are reached through, as the port matrix knows it. */
const NOVNC = SERVICE_PORTS.nova.find((e) => e.name === "nova-novncproxy");

/** A virtual desktop pool (the seed's mobile reading room) with per-department tenants. */
export const desktopCloud: Blueprint = {
  name: "desktop-cloud",
  description:
    "Virtual desktop cloud (mobile reading room): desktop pool and flavors, noVNC console, images pooled in Ceph, per-department tenants",
  example: "examples/desktop-cloud.yaml",
  designPoints: [
    {
      id: "diagram: desktop pool",
      title: "A pool of virtual desktop hosts",
      realization:
        "A host aggregate for the desktop hosts with the CPU and RAM overcommit desktops allow and a spare host",
    },
    {
      id: "diagram: desktop flavors",
      title: "Desktop flavors",
      realization:
        "Desktop flavors pinned to the desktop pool; the larger ones private and shared only with the departments that need them",
    },
    {
      id: "diagram: console access",
      title: "Console access from any device",
      realization:
        "nova-novncproxy behind the VIP, open to the declared user networks only; its address is the platform output console_proxy_endpoint for the desktop portal",
    },
    {
      id: "diagram: pooled images",
      title: "Pooled desktop images",
      realization:
        "Glance images and instance disks on the same Ceph cluster, so each desktop boots as a copy-on-write clone of its golden image; persistent profile disks as a Ceph volume type with QoS",
    },
    {
      id: "diagram: departments",
      title: "Per-department tenants",
      realization:
        "One project per department in the Keystone domain of the directory, its directory group mapped to a role, a quota, a network and router, and access to its flavors and volume types",
    },
    {
      id: "mobile reading room",
      title: "The mobile reading room",
      realization:
        "A walk-up tenant for the reading room with the small desktop flavor and no volumes: desktops are disposable and hold no user data",
    },
  ],
  build(app: Construct, model: Model) {
    const { platform, stacks } = platformWithTenants(
      app,
      model,
      "Platform stack: desktop pool, control plane, Ceph image pool",
    );
    const vip = model.vips.find((v) => v.name === "external") ?? model.vips[0];
    if (NOVNC && vip && model.controlPlane.services.includes("nova")) {
      new TerraformOutput(platform, "console_proxy_endpoint", {
        value: `${vip.address}:${NOVNC.port}`,
        description: `noVNC console proxy (address:port on the ${vip.name} VIP) desktop clients connect to`,
      });
    }
    return stacks;
  },
};
