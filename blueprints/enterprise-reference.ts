import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** The general enterprise architecture: zoned x86 pools, HA controllers, Ceph, Swift, UNIX bridge. */
export const enterpriseReference: Blueprint = {
  name: "enterprise-reference",
  description:
    "General enterprise private cloud: HA controllers, x86 zones A/B with tiered pools, Ceph, Swift, LDAP/NTP, UNIX bridge",
  example: "examples/enterprise-reference.yaml",
  designPoints: [
    {
      id: "1",
      needs: n.all(n.undercloud, n.bareMetalControllers, n.haControlPlane),
      landsIn: ["baremetal-stack", "deployer"],
      title: "HA controllers that can later move to hardware-accelerated nodes",
      realization:
        "Controllers provisioned by the bare-metal stack on the undercloud, one per machine, their APIs behind the keepalived/HAProxy VIPs the deployer configures from the model; the controller flavor and hardware profile are spec values, so accelerated nodes are a spec change",
      translations: {
        "zh-CN": {
          title: "可在日后迁移到硬件加速节点的高可用控制节点",
          realization:
            "控制节点由裸金属栈在底层云上逐台物理机部署，其 API 位于部署工具按模型配置的 keepalived/HAProxy 虚拟 IP 之后；控制节点实例规格和硬件配置是设计规约文件中的值，迁移到加速节点只需修改设计规约文件",
        },
      },
    },
    {
      id: "2",
      landsIn: ["platform-stack"],
      title: "Resource pools by application tier or business stage",
      realization:
        "One host aggregate per pool in its availability zone, flavors pinned to it through aggregate_instance_extra_specs",
      translations: {
        "zh-CN": {
          title: "按应用层级或业务阶段划分的资源池",
          realization:
            "每个资源池是其可用区中的一个主机聚合，实例规格通过 aggregate_instance_extra_specs 绑定到该聚合",
        },
      },
    },
    {
      id: "3",
      needs: n.cpuPinning,
      landsIn: ["platform-stack", "document"],
      title:
        "Loosely coupled compute/storage for general apps, tightly coupled for high-throughput data apps",
      realization:
        "Pool coupling recorded in the model; dedicated-CPU flavors (hw:cpu_policy) for pinned tiers",
      translations: {
        "zh-CN": {
          title: "通用应用采用计算存储松耦合，高吞吐数据应用采用紧耦合",
          realization: "资源池耦合方式记录在模型中；绑定层级使用专用 CPU 实例规格（hw:cpu_policy）",
        },
      },
    },
    {
      id: "4",
      needs: n.all(n.volumeBackends, n.backendQos),
      landsIn: ["platform-stack", "deployer"],
      title: "Integrated heterogeneous storage",
      realization:
        "One Cinder volume type per backend (the blueprint takes Ceph, GlusterFS, ZFS and LVM; this design has {backends}) bound through volume_backend_name, with QoS",
      translations: {
        "zh-CN": {
          title: "整合异构存储",
          realization:
            "每个后端（本蓝图支持 Ceph、GlusterFS、ZFS 和 LVM；本设计为 {backends}）一个 Cinder 卷类型，通过 volume_backend_name 绑定，并带 QoS",
        },
      },
    },
    {
      id: "5",
      needs: n.all(n.ldap, n.ntp),
      landsIn: ["platform-stack", "config"],
      title: "Integration with existing enterprise systems",
      realization:
        "Keystone domains backed by LDAP/AD, directory groups mapped to project roles, chrony from the enterprise NTP servers",
      translations: {
        "zh-CN": {
          title: "与企业现有系统集成",
          realization:
            "由 LDAP/活动目录支撑的 Keystone 域，目录组映射到项目角色，chrony 同步企业 NTP 服务器",
        },
      },
    },
    {
      id: "6",
      needs: n.all(n.ceph, n.backend("ceph")),
      landsIn: ["deployer", "platform-stack"],
      title: "Distributed block storage",
      realization: "Ceph RBD backend, capacity and placement groups computed in the model",
      translations: {
        "zh-CN": { title: "分布式块存储", realization: "Ceph RBD 后端，容量与归置组在模型中计算" },
      },
    },
    {
      id: "7",
      needs: n.objectStorage,
      landsIn: ["deployer", "config", "platform-stack"],
      title: "Distributed object storage",
      realization:
        "Swift's API from Swift (ring plan computed in the model) or from Ceph's RADOS Gateways (their pool placed by pools.sh), behind Kolla's HAProxy on the VIPs; the application containers the design declares, with their ACLs and versioning, in the platform stack, backup containers made by cinder-backup in each project",
      translations: {
        "zh-CN": {
          title: "分布式对象存储",
          realization:
            "Swift API 由 Swift（环规划在模型中计算）或 Ceph RADOS 网关（其存储池由 pools.sh 放置）提供，位于虚拟 IP 上的 Kolla HAProxy 之后；设计声明的应用容器及其访问控制和版本控制在平台栈中创建，备份容器由 cinder-backup 在各项目中创建",
        },
      },
    },
    {
      id: "8",
      needs: n.legacyUnix,
      landsIn: ["platform-stack"],
      title: "Bridge to PowerPC/UNIX applications that cannot migrate",
      realization:
        "Provider VLAN to the legacy systems, host routes to their subnets through the legacy side's router, security groups for exactly the declared application flows",
      translations: {
        "zh-CN": {
          title: "桥接无法迁移的 PowerPC/UNIX 应用",
          realization:
            "通往遗留系统的提供商 VLAN、经遗留侧路由器通往其子网的主机路由，以及只放行声明的应用流量的安全组",
        },
      },
    },
    {
      id: "9",
      needs: n.all(n.overlayTenantNetworks, n.subnetPool, n.firewall),
      landsIn: ["platform-stack", "tenant-stacks"],
      title: "Networking extended to L3/SDN",
      realization:
        "Tenant routers to the external network, {tenantNetworks} tenant networks (the blueprint takes VXLAN, GRE or Geneve overlays, or VLANs), subnet pool in an address scope, FWaaS v2",
      translations: {
        "zh-CN": {
          title: "将网络扩展到三层/SDN",
          realization:
            "租户路由器连接外部网络，{tenantNetworks} 租户网络（本蓝图支持 VXLAN、GRE 或 Geneve 叠加网络，或 VLAN），地址范围内的子网池，FWaaS v2",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: networks, compute zones, storage, directory and UNIX bridge",
    ).stacks;
  },
};
