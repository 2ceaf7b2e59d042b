import type { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** A virtual desktop pool (the seed's mobile reading room) with per-department tenants. */
export const desktopCloud: Blueprint = {
  name: "desktop-cloud",
  description:
    "Virtual desktop cloud (mobile reading room): desktop pool and flavors, noVNC console, images pooled in Ceph, per-department tenants",
  example: "examples/desktop-cloud.yaml",
  designPoints: [
    {
      id: "diagram: desktop pool",
      needs: n.all(n.cpuOvercommit(2), n.ramOvercommit, n.spareHost),
      landsIn: ["baremetal-stack", "platform-stack", "deployer"],
      title: "A pool of virtual desktop hosts",
      realization:
        "A host aggregate for the desktop hosts with the CPU and RAM overcommit desktops allow and a spare host",
      translations: {
        "zh-CN": {
          title: "虚拟桌面主机资源池",
          realization:
            "桌面主机组成一个主机聚合，采用桌面负载所允许的 CPU 和内存超分比，并有一台备用主机",
        },
      },
    },
    {
      id: "diagram: desktop flavors",
      needs: n.privateFlavor,
      landsIn: ["platform-stack"],
      title: "Desktop flavors",
      realization:
        "Desktop flavors pinned to the desktop pool; the larger ones private and shared only with the departments that need them",
      translations: {
        "zh-CN": {
          title: "桌面实例规格",
          realization:
            "桌面实例规格绑定到桌面资源池；较大的实例规格为私有实例规格，只共享给需要它们的部门",
        },
      },
    },
    {
      id: "diagram: console access",
      needs: n.userCidrs,
      landsIn: ["deployer", "document"],
      title: "Console access from any device",
      realization:
        "nova-novncproxy behind the VIP, open to the declared user networks only; its URL is the platform output console_proxy_endpoint for the desktop portal",
      translations: {
        "zh-CN": {
          title: "从任意设备访问控制台",
          realization:
            "nova-novncproxy 位于虚拟 IP 之后，仅对声明的用户网络开放；其 URL 即平台输出 console_proxy_endpoint，供桌面门户使用",
        },
      },
    },
    {
      id: "diagram: pooled images",
      needs: n.all(n.ceph, n.imagesOnCeph, n.disksOnCeph, n.backend("ceph"), n.cephBackendQos),
      landsIn: ["deployer", "platform-stack"],
      title: "Pooled desktop images",
      realization:
        "Glance images and instance disks on the same Ceph cluster, so each desktop boots as a copy-on-write clone of its golden image; persistent profile disks as a Ceph volume type with QoS",
      translations: {
        "zh-CN": {
          title: "池化的桌面镜像",
          realization:
            "Glance 镜像和实例磁盘位于同一个 Ceph 集群上，因此每个桌面都以其黄金镜像的写时复制克隆启动；持久化的用户配置文件磁盘采用带 QoS 的 Ceph 卷类型",
        },
      },
    },
    {
      id: "diagram: departments",
      needs: n.ldap,
      landsIn: ["tenant-stacks"],
      title: "Per-department tenants",
      realization:
        "One project per department in the Keystone domain of the directory, its directory group mapped to a role, a quota, a network and router, and access to its flavors and volume types",
      translations: {
        "zh-CN": {
          title: "按部门划分的租户",
          realization:
            "每个部门在目录服务的 Keystone 域中有一个项目，其目录组映射到一个角色，并拥有配额、网络和路由器，以及对其实例规格和卷类型的访问权限",
        },
      },
    },
    {
      id: "mobile reading room",
      needs: n.tenantWithoutVolumes,
      landsIn: ["tenant-stacks", "document"],
      title: "The mobile reading room",
      realization:
        "A walk-up tenant for the reading room with the small desktop flavor and no volumes: desktops are disposable and hold no user data",
      translations: {
        "zh-CN": {
          title: "移动阅览室",
          realization:
            "为阅览室提供一个即到即用的租户，使用小型桌面实例规格，不提供卷：桌面用完即弃，不保存任何用户数据",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    const { platform, stacks } = platformWithTenants(
      app,
      model,
      "Platform stack: desktop pool, flavors, Ceph image pool, directory domain",
    );
    const url = model.deploy.consoleUrl;
    if (url) {
      new TerraformOutput(platform, "console_proxy_endpoint", {
        value: url,
        description:
          "noVNC console URL desktop clients open (Nova's novncproxy_base_url: HTTPS on the VIP's name, which Kolla's certificate carries)",
      });
    }
    return stacks;
  },
};
