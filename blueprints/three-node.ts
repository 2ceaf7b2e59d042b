import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** The classic controller + network node + compute node topology on a public and a private switch. */
export const threeNode: Blueprint = {
  name: "three-node",
  description:
    "Classic three-node lab: one controller, one network node (DHCP/L3/metadata), one compute node, public and private switches",
  example: "examples/three-node.yaml",
  designPoints: [
    {
      id: "diagram: controller node",
      needs: n.singleController,
      landsIn: ["deployer", "config"],
      title: "One controller running the APIs, database and message queue",
      realization:
        "A single controller host with addresses on the private and public switches (its netplan in config/netplan), single MariaDB and RabbitMQ; the VIPs are planned already, so controllers can be added without readdressing. Not highly available: the validator warns",
      translations: {
        "zh-CN": {
          title: "运行 API、数据库和消息队列的单个控制节点",
          realization:
            "单台控制节点主机，在私有交换机和公共交换机上各有地址（其 netplan 配置位于 config/netplan），MariaDB 和 RabbitMQ 均为单实例；虚拟 IP 已预先规划，因此以后增加控制节点无需重新编址。该配置不具备高可用性：校验器会发出警告",
        },
      },
    },
    {
      id: "diagram: network node",
      needs: n.networkNodes,
      landsIn: ["deployer", "config"],
      title: "A dedicated network node with the DHCP, L3 and metadata agents",
      realization:
        "controlPlane.networkNodes: 1 takes the Neutron agents off the controller: the node is in the inventory, gets an address on the private switch (its public port feeds the routers' external bridge, unaddressed) and its own security zone in the port matrix (metadata proxy to nova-metadata 8775, AMQP to the controller). Kolla-Ansible puts the agents on it; without an undercloud it is installed like the other hosts, with its netplan from config/netplan",
      translations: {
        "zh-CN": {
          title: "运行 DHCP、L3 和元数据代理的专用网络节点",
          realization:
            "controlPlane.networkNodes: 1 将 Neutron 代理从控制节点上移出：该节点列入节点清单，在私有交换机上分配地址（其公共端口只接入路由器的外部网桥，不分配地址），并在端口矩阵中拥有自己的安全区域（元数据代理访问 nova-metadata 8775，AMQP 访问控制节点）。由 Kolla-Ansible 在其上部署这些代理；没有底层云时，它与其他主机一样安装，网络配置来自 config/netplan",
        },
      },
    },
    {
      id: "diagram: compute node",
      needs: n.singleComputeHost,
      landsIn: ["platform-stack", "deployer"],
      title: "One KVM compute node",
      realization:
        "A host aggregate with one hypervisor and the flavors pinned to it through aggregate_instance_extra_specs; no spare host (N+0)",
      translations: {
        "zh-CN": {
          title: "一个 KVM 计算节点",
          realization:
            "包含一台虚拟化主机的主机聚合，实例规格通过 aggregate_instance_extra_specs 绑定到该聚合；没有备用主机（N+0）",
        },
      },
    },
    {
      id: "diagram: public switch",
      needs: n.flatExternal,
      landsIn: ["platform-stack", "config"],
      title: "Public switch {cidr:external}",
      realization:
        "Flat external provider network on physnet-public with the floating-IP range and the external API VIP; tenant routers take their gateway here",
      translations: {
        "zh-CN": {
          title: "公共交换机 {cidr:external}",
          realization:
            "physnet-public 上的 flat 类型外部提供商网络，承载浮动 IP 地址段和外部 API 虚拟 IP；租户路由器在此网络上设置网关",
        },
      },
    },
    {
      id: "diagram: private switch",
      needs: n.all(n.flatManagement, n.tenantNetworkType("vlan")),
      landsIn: ["config", "document"],
      title: "Private switch {cidr:management}",
      realization:
        "Flat management network on physnet-private carrying management and API traffic and the tenant VLAN range; never attached to a router",
      translations: {
        "zh-CN": {
          title: "私有交换机 {cidr:management}",
          realization:
            "physnet-private 上的 flat 类型管理网络，承载管理流量、API 流量以及租户 VLAN 范围；从不连接到路由器",
        },
      },
    },
    {
      id: "diagram: OVS agents",
      needs: n.all(n.mechanism("ovs"), n.tenantNetworkType("vlan")),
      landsIn: ["deployer"],
      title: "Open vSwitch agents on every node",
      realization:
        "Tenant networks are VLAN segments on physnet-private that the OVS agents bridge on every node; the configuration of the agents comes from the deployment tool, not from Terraform",
      translations: {
        "zh-CN": {
          title: "每个节点上的 Open vSwitch 代理",
          realization:
            "租户网络是 physnet-private 上的 VLAN 网段，由每个节点上的 OVS 代理进行桥接；代理的配置来自部署工具，而非 Terraform",
        },
      },
    },
    {
      id: "diagram: DHCP/L3/metadata agents",
      needs: n.networkNodes,
      landsIn: ["deployer"],
      title: "DHCP, L3 and metadata agents on the network node",
      realization:
        "Each tenant gets a network, subnet and router with its gateway on the public network, served by the agents of the network node; the HA matrix records one L3/DHCP node, tolerating no failure",
      translations: {
        "zh-CN": {
          title: "网络节点上的 DHCP、L3 和元数据代理",
          realization:
            "每个租户获得一个网络、子网和路由器，路由器网关位于公共网络上，均由网络节点上的代理提供服务；高可用矩阵记录只有一个 L3/DHCP 节点，不能容忍任何故障",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: the public and private provider networks, the compute aggregate and flavors",
    ).stacks;
  },
};
