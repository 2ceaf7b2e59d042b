import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** An OpenStack public cloud region: self-service tenants, HA everywhere, N+1, metering. */
export const publicCloud: Blueprint = {
  name: "public-cloud",
  description:
    "Public cloud region: self-service customer tenants, HA everywhere with N+1 hosts, Ceph and Swift, Ceilometer metering",
  example: "examples/public-cloud.yaml",
  designPoints: [
    {
      id: "diagram: self-service",
      needs: n.all(n.tenantDomain, n.subnetPool),
      landsIn: ["tenant-stacks"],
      title: "Self-service tenants",
      realization:
        "Customer projects in their own Keystone domain with quotas and a starter network and router; a shared default subnet pool in an address scope from which customers create further networks themselves (its id is the platform output tenant_subnet_pool_id)",
      translations: {
        "zh-CN": {
          title: "自助服务租户",
          realization:
            "客户项目位于独立的 Keystone 域中，带有配额以及初始网络和路由器；地址范围内有一个共享的默认子网池，客户可从中自行创建更多网络（其 ID 即平台输出 tenant_subnet_pool_id）",
        },
      },
    },
    {
      id: "diagram: management",
      needs: n.all(
        n.service("horizon"),
        n.service("heat"),
        n.service("octavia"),
        n.objectStorage,
        n.externalVip,
      ),
      landsIn: ["platform-stack", "deployer"],
      title: "User, VM, storage and network management",
      realization:
        "Horizon and the public APIs (Keystone, Nova, Neutron, Cinder, Glance, Swift, Heat, Octavia) on the external VIP; per-customer compute, volume, network and load-balancer quotas",
      translations: {
        "zh-CN": {
          title: "用户、虚拟机、存储和网络管理",
          realization:
            "Horizon 和公共 API（Keystone、Nova、Neutron、Cinder、Glance、Swift、Heat、Octavia）位于外部虚拟 IP 上；按客户设置计算、卷、网络和负载均衡器配额",
        },
      },
    },
    {
      id: "diagram: metering",
      needs: n.all(n.service("ceilometer"), n.ceph),
      landsIn: ["deployer", "document"],
      title: "Metering-ready: usage data for billing",
      realization:
        "Ceilometer is part of the control plane and publishes to Gnocchi, deployed with it (metrics in a Ceph pool); the rating or billing engine reading Gnocchi is outside the spec and not generated",
      translations: {
        "zh-CN": {
          title: "支持计量：为计费提供用量数据",
          realization:
            "Ceilometer 是控制平面的一部分，将数据发布到随其部署的 Gnocchi（指标存于 Ceph 池）；读取 Gnocchi 的计价或计费引擎不在设计规约文件范围内，不会生成",
        },
      },
    },
    {
      id: "SLA 99.9%",
      needs: n.all(n.haControlPlane, n.networkNodes, n.ceph, n.cephAcrossRacks, n.swift),
      landsIn: ["baremetal-stack", "deployer", "document"],
      title: "HA everywhere",
      realization:
        "An odd number of controllers (Galera and RabbitMQ keep quorum through failures), dedicated network nodes with HA routers, Ceph replicas across racks, Swift replicas across zones, several Swift proxies; the HA matrix of the document states what each layer tolerates",
      translations: {
        "zh-CN": {
          title: "全面高可用",
          realization:
            "奇数个控制节点（Galera 和 RabbitMQ 在故障时仍保持仲裁），带高可用路由器的专用网络节点，跨机柜的 Ceph 副本，跨区域的 Swift 副本，多个 Swift 代理；文档中的高可用矩阵说明了每一层可容忍的故障",
        },
      },
    },
    {
      id: "SLA 99.9%: capacity",
      needs: n.spareHostEveryPool,
      landsIn: ["platform-stack", "document"],
      title: "N+1 capacity",
      realization:
        "Spare hosts in every pool, held back from the usable capacity tenant quotas are checked against",
      translations: {
        "zh-CN": {
          title: "N+1 容量",
          realization: "每个资源池都有备用主机，这些主机不计入检查租户配额时所依据的可用容量",
        },
      },
    },
    {
      id: "multi-tenancy",
      needs: n.all(n.firewall, n.backendQos),
      landsIn: ["platform-stack", "tenant-stacks"],
      title: "Customers isolated from each other",
      realization:
        "FWaaS v2 policies on every customer router, a least-privilege base security group per project, per-volume QoS limits, management and storage networks never routed",
      translations: {
        "zh-CN": {
          title: "客户之间相互隔离",
          realization:
            "每个客户路由器上应用 FWaaS v2 策略，每个项目一个遵循最小权限原则的基础安全组，按卷设置 QoS 限制，管理网络和存储网络从不路由",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: public networks, compute pools, Ceph volume types",
    ).stacks;
  },
};
