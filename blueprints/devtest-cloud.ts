import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
import * as n from "./private/needs";
import { platformWithTenants } from "./private/platform-stacks";

/** The enterprise test-and-development cloud: one tenant per pipeline stage on stage pools. */
export const devtestCloud: Blueprint = {
  name: "devtest-cloud",
  description:
    "Enterprise test and development cloud: a tenant per pipeline stage with quotas, dev/test/preprod stage pools, promotion store",
  example: "examples/devtest-cloud.yaml",
  designPoints: [
    {
      id: "diagram: pipeline stages",
      needs: n.stackPerTenant,
      landsIn: ["platform-stack", "tenant-stacks"],
      title:
        "Environments per pipeline stage: smoke, component, system, performance, manual test, pre-release",
      realization:
        "One Keystone project per stage, each in its own Terraform stack, so a stage is rebuilt or torn down without touching the others",
      translations: {
        "zh-CN": {
          title: "按流水线阶段划分的环境：冒烟测试、组件测试、系统测试、性能测试、手工测试、预发布",
          realization:
            "每个阶段一个 Keystone 项目，各自位于独立的 Terraform 栈中，因此重建或拆除某个阶段不会影响其他阶段",
        },
      },
    },
    {
      id: "diagram: quotas",
      landsIn: ["tenant-stacks"],
      title: "Each environment sized by quota",
      realization:
        "Compute, volume and network quotas per stage project, checked at validation against the capacity of the pool the stage lands on, after allocation ratios and spare hosts",
      translations: {
        "zh-CN": {
          title: "按配额确定每个环境的规模",
          realization:
            "每个阶段项目都有计算、卷和网络配额，校验时对照该阶段所在资源池扣除分配比和备用主机影响后的容量进行检查",
        },
      },
    },
    {
      id: "diagram: stage pools",
      needs: n.privateFlavors("preprod"),
      landsIn: ["platform-stack"],
      title: "Resource pools by business stage",
      realization:
        "A host aggregate per stage pool (dev, test, preprod) with its own overcommit and spare hosts, flavors pinned to it; the pre-production flavors are private and shared only with the stages that need them",
      translations: {
        "zh-CN": {
          title: "按业务阶段划分的资源池",
          realization:
            "每个阶段资源池（dev、test、preprod）一个主机聚合，各有自己的超分比和备用主机，实例规格绑定到该聚合；预生产实例规格为私有实例规格，只共享给需要它们的阶段",
        },
      },
    },
    {
      id: "diagram: promotion",
      needs: n.all(n.swift, n.versionedContainers, n.ldap),
      landsIn: ["platform-stack", "tenant-stacks", "document"],
      title: "Promotion of builds between stages",
      realization:
        "Versioned Swift containers for build artifacts and release candidates hold what each stage promotes, made in the admin's project and opened to the stage projects by their ACLs (the projects' Keystone ids, known once the tenant stacks are applied), and the directory group of the pipeline is a member of every stage project; the promotion rules themselves (which build moves when) live in the CI system and are not generated",
      translations: {
        "zh-CN": {
          title: "构建在阶段之间的晋级",
          realization:
            "启用版本控制的 Swift 容器存放构建产物和候选发布版本，保存每个阶段所晋级的内容，它们创建在管理员项目中，通过其 ACL 向各阶段项目开放（项目的 Keystone ID 在租户栈应用后才可得知），流水线的目录组是每个阶段项目的成员；晋级规则本身（哪个构建何时晋级）由 CI 系统维护，不会生成",
        },
      },
    },
    {
      id: "isolation",
      needs: n.firewall,
      landsIn: ["platform-stack", "tenant-stacks"],
      title: "Stages isolated from each other and from production",
      realization:
        "A network and router per stage with the FWaaS policies of the platform on it, an external network on the corporate address space only, least-privilege base security groups",
      translations: {
        "zh-CN": {
          title: "各阶段之间以及与生产环境之间相互隔离",
          realization:
            "每个阶段一个网络和路由器，并应用平台的 FWaaS 策略；外部网络仅使用企业内部地址空间；基础安全组遵循最小权限原则",
        },
      },
    },
    {
      id: "integration",
      needs: n.all(n.ldap, n.ntp),
      landsIn: ["platform-stack", "config"],
      title: "Integration with the enterprise directory and time service",
      realization:
        "A Keystone domain backed by LDAP/AD, directory groups mapped to roles on each stage project, chrony from the enterprise NTP servers",
      translations: {
        "zh-CN": {
          title: "与企业目录服务和时间服务集成",
          realization:
            "由 LDAP/活动目录支撑的 Keystone 域，目录组映射到每个阶段项目上的角色，chrony 同步企业 NTP 服务器",
        },
      },
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: stage pools, networks, Ceph volume types, Swift artifact store",
    ).stacks;
  },
};
