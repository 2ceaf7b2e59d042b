import type { Construct } from "constructs";
import type { Model } from "../model/types";
import type { Blueprint } from "./blueprint";
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
      title:
        "Environments per pipeline stage: smoke, component, system, performance, manual test, pre-release",
      realization:
        "One Keystone project per stage, each in its own Terraform stack, so a stage is rebuilt or torn down without touching the others",
    },
    {
      id: "diagram: quotas",
      title: "Each environment sized by quota",
      realization:
        "Compute, volume and network quotas per stage project, checked at validation against the capacity of the pool the stage lands on, after allocation ratios and spare hosts",
    },
    {
      id: "diagram: stage pools",
      title: "Resource pools by business stage",
      realization:
        "A host aggregate per stage pool (dev, test, preprod) with its own overcommit and spare hosts, flavors pinned to it; the pre-production flavors are private and shared only with the stages that need them",
    },
    {
      id: "diagram: promotion",
      title: "Promotion of builds between stages",
      realization:
        "Versioned Swift containers for build artifacts and release candidates hold what each stage promotes, and the directory group of the pipeline is a member of every stage project; the promotion rules themselves (which build moves when) live in the CI system and are not generated",
    },
    {
      id: "isolation",
      title: "Stages isolated from each other and from production",
      realization:
        "A network and router per stage with the FWaaS policies of the platform on it, an external network on the corporate address space only, least-privilege base security groups",
    },
    {
      id: "integration",
      title: "Integration with the enterprise directory and time service",
      realization:
        "A Keystone domain backed by LDAP/AD, directory groups mapped to roles on each stage project, chrony from the enterprise NTP servers",
    },
  ],
  build(app: Construct, model: Model) {
    return platformWithTenants(
      app,
      model,
      "Platform stack: stage pools, control plane, Ceph volumes, Swift artifact store",
    ).stacks;
  },
};
