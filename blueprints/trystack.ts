import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** A TryStack-style sandbox: HAProxy-fronted APIs, KVM hosts, ZFS volumes and Swift. */
export const trystack: Blueprint = {
  name: "trystack",
  description:
    "TryStack-style sandbox: HAProxy/keepalived front end to the APIs and Swift proxy, KVM hosts, ZFS volumes, Swift storage",
  example: "examples/trystack.yaml",
  designPoints: [
    {
      id: "diagram: Nginx/HAProxy",
      needs: n.all(n.service("cinder"), n.service("horizon"), n.swift),
      landsIn: ["deployer"],
      title: "Nginx/HAProxy in front of the APIs and the Swift proxy",
      realization:
        "keepalived VIPs (internal and external) held by the controllers, configured by Kolla-Ansible from the model, HAProxy behind them for every enabled API (Nova, Keystone, Neutron, Cinder, Glance, Placement, Horizon) and the Swift proxies; the port matrix opens each endpoint to users. A separate Nginx tier is not modelled: HAProxy is the front end",
      translations: {
        "zh-CN": {
          title: "位于各 API 和 Swift 代理前端的 Nginx/HAProxy",
          realization:
            "控制节点持有由 Kolla-Ansible 按模型配置的 keepalived 虚拟 IP（内部和外部），其后由 HAProxy 为每个已启用的 API（Nova、Keystone、Neutron、Cinder、Glance、Placement、Horizon）和各 Swift 代理提供前端；端口矩阵向用户开放每个端点。未单独建模 Nginx 层：HAProxy 即为前端",
        },
      },
    },
    {
      id: "diagram: API services",
      needs: n.all(n.haControlPlane, n.bareMetalControllers),
      landsIn: ["deployer"],
      title: "Nova, Keystone, Neutron, Cinder and Glance APIs",
      realization:
        "Three controllers, each on its own machine, run the APIs active/active with Galera and a RabbitMQ cluster behind them, all deployed by Kolla-Ansible",
      translations: {
        "zh-CN": {
          title: "Nova、Keystone、Neutron、Cinder 和 Glance API",
          realization:
            "三台控制节点各自运行在独立的物理机上，以双活方式运行各 API，后端为 Galera 和 RabbitMQ 集群，均由 Kolla-Ansible 部署",
        },
      },
    },
    {
      id: "diagram: compute and volume managers",
      needs: n.backend("zfs"),
      landsIn: ["deployer", "config"],
      title: "Compute and volume managers",
      realization:
        "nova-compute on the KVM hosts of the kvm aggregate; cinder-volume on the ZFS volume hosts of the inventory drives the ZFS backend",
      translations: {
        "zh-CN": {
          title: "计算与卷管理服务",
          realization:
            "nova-compute 运行在 kvm 聚合的 KVM 主机上；节点清单中 ZFS 卷主机上的 cinder-volume 驱动 ZFS 后端",
        },
      },
    },
    {
      id: "diagram: ZFS",
      needs: n.all(n.backend("zfs"), n.backendQos),
      landsIn: ["platform-stack", "deployer"],
      title: "ZFS-backed volumes",
      realization:
        "Cinder volume type zfs bound to the zfs backend through volume_backend_name, with front-end QoS limits so one trial user cannot starve the others",
      translations: {
        "zh-CN": {
          title: "以 ZFS 为后端的卷",
          realization:
            "Cinder 卷类型 zfs 通过 volume_backend_name 绑定到 zfs 后端，并设置前端 QoS 限制，避免单个试用用户耗尽其他用户的资源",
        },
      },
    },
    {
      id: "diagram: KVM hosts",
      needs: n.all(n.cpuOvercommit(4), n.spareHost),
      landsIn: ["platform-stack"],
      title: "KVM hypervisors",
      realization:
        "A host aggregate of KVM hosts with heavy CPU overcommit and a spare host, the sandbox flavors pinned to it; KVM is the libvirt default, the hypervisor type itself is not a spec field",
      translations: {
        "zh-CN": {
          title: "KVM 虚拟化主机",
          realization:
            "由 KVM 主机组成的主机聚合，CPU 超分比较高，并有一台备用主机，沙箱实例规格绑定到该聚合；KVM 是 libvirt 的默认虚拟化类型，虚拟化类型本身不是设计规约文件中的字段",
        },
      },
    },
    {
      id: "diagram: Swift",
      needs: n.all(n.swift, n.imagesOnSwift, n.backupsOnSwift),
      landsIn: ["config", "platform-stack"],
      title: "Swift proxy and storage",
      realization:
        "Swift proxies behind the VIP, storage nodes spread over the zones of the ring, the ring plan (partition power, weights) computed in the model and written as a script; containers for Glance images and Cinder backups",
      translations: {
        "zh-CN": {
          title: "Swift 代理与存储",
          realization:
            "Swift 代理位于虚拟 IP 之后，存储节点分布在环的各个区域中，环规划（分区幂、权重）在模型中计算并生成为脚本；为 Glance 镜像和 Cinder 备份提供容器",
        },
      },
    },
    {
      id: "sandbox",
      needs: n.subnetPool,
      landsIn: ["tenant-stacks"],
      title: "Trial users on a shared cloud",
      realization:
        "Tenants with small quotas and a network, router and base security group each, tenant networks drawn from a shared subnet pool",
      translations: {
        "zh-CN": {
          title: "共享云上的试用用户",
          realization:
            "租户配额较小，每个租户各有一个网络、路由器和基础安全组，租户网络从共享子网池中分配",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: networks, KVM aggregate and flavors, ZFS volume type",
    ).stacks;
  },
};
