import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** A single-rack appliance: converged HA control nodes, SDN overlay, compute and iSCSI storage. */
export const cloudInABox: Blueprint = {
  name: "cloud-in-a-box",
  description:
    "Cloud in a box: converged HA control nodes (UI, APIs, Galera, RabbitMQ, SDN gateway), Geneve overlay, compute, LVM iSCSI/iSER storage",
  example: "examples/cloud-in-a-box.yaml",
  designPoints: [
    {
      id: "diagram: control nodes",
      needs: n.haControlPlane,
      landsIn: ["deployer", "config"],
      title: "Converged control nodes: Web UI, OpenStack, MySQL and RabbitMQ in HA",
      realization:
        "Three control nodes, installed with their host networking from config/netplan, run Horizon, the APIs, a Galera cluster and a RabbitMQ cluster that Kolla-Ansible deploys behind keepalived VIPs (addresses and VRRP id from the model); the HA matrix states the failures each tolerates",
      translations: {
        "zh-CN": {
          title: "融合控制节点：高可用的 Web 界面、OpenStack、MySQL 和 RabbitMQ",
          realization:
            "三台控制节点按 config/netplan 配置主机网络，运行由 Kolla-Ansible 部署在 keepalived 虚拟 IP（地址和 VRRP 编号来自模型）之后的 Horizon、各 API、Galera 集群和 RabbitMQ 集群；高可用矩阵说明了每个组件可容忍的故障",
        },
      },
    },
    {
      id: "diagram: SDN switch, OpenFlow and tunnels",
      needs: n.all(n.mechanism("ovn"), n.tenantNetworkType("geneve")),
      landsIn: ["deployer", "tenant-stacks"],
      title: "SDN switching with OpenFlow and tunnels",
      realization:
        "Tenant networks as an overlay on the tunnel network (Geneve for OVN, which programs Open vSwitch with OpenFlow), the overlay MTU derived from the underlay; the port matrix opens the tunnel port between control and compute nodes only",
      translations: {
        "zh-CN": {
          title: "基于 OpenFlow 和隧道的 SDN 交换",
          realization:
            "租户网络是隧道网络上的叠加网络（OVN 使用 Geneve，并通过 OpenFlow 对 Open vSwitch 进行编程），叠加网络的 MTU 由底层网络推算得出；端口矩阵仅在控制节点与计算节点之间开放隧道端口",
        },
      },
    },
    {
      id: "diagram: L3 gateway",
      needs: n.noNetworkNodes,
      landsIn: ["deployer", "tenant-stacks"],
      title: "L3 gateway",
      realization:
        "No dedicated network nodes: the control nodes are the gateway, tenant routers take their gateway on the uplink network with floating IPs",
      translations: {
        "zh-CN": {
          title: "三层网关",
          realization:
            "没有专用网络节点：控制节点充当网关，租户路由器在带浮动 IP 的上行网络上设置网关",
        },
      },
    },
    {
      id: "diagram: security policy",
      needs: n.mechanism("ovn"),
      landsIn: ["platform-stack", "tenant-stacks"],
      title: "Security policy",
      realization:
        "Default-deny security groups from the port matrix, which OVN enforces statefully on every port (its FWaaS driver is stateless, so tenant routers carry no firewall group), SSH to a tenant's instances only from its declared sources, administration only from the declared admin networks",
      translations: {
        "zh-CN": {
          title: "安全策略",
          realization:
            "由端口矩阵生成默认拒绝的安全组，OVN 在每个端口上以有状态方式执行（其 FWaaS 驱动是无状态的，因此租户路由器不挂防火墙组），租户实例的 SSH 仅允许来自其声明的来源，仅允许从声明的管理网络进行管理",
        },
      },
    },
    {
      id: "diagram: compute nodes",
      needs: n.spareHost,
      landsIn: ["platform-stack", "deployer"],
      title: "Compute nodes",
      realization:
        "A host aggregate for the compute nodes with a spare host, the flavors of the appliance pinned to it",
      translations: {
        "zh-CN": {
          title: "计算节点",
          realization: "计算节点组成一个主机聚合，含一台备用主机，一体机的实例规格绑定到该聚合",
        },
      },
    },
    {
      id: "diagram: storage nodes",
      needs: n.all(n.backend("lvm"), n.iser),
      landsIn: ["platform-stack", "deployer", "config"],
      title: "Storage nodes as iSCSI/iSER targets",
      realization:
        "Cinder volume types on LVM backends bound through volume_backend_name, one per transport (iSCSI, and iSER for the private fast type granted to named tenants), over a jumbo-frame storage network, served by the block-storage hosts of the inventory",
      translations: {
        "zh-CN": {
          title: "作为 iSCSI/iSER 目标的存储节点",
          realization:
            "基于 LVM 后端的 Cinder 卷类型，通过 volume_backend_name 绑定，每种传输方式一个（iSCSI，以及用于授予指定租户的私有高速类型的 iSER），运行在启用巨型帧的存储网络上，由节点清单中的块存储主机提供",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: provider networks, compute aggregate and flavors, LVM volume types, security groups",
    ).stacks;
  },
};
