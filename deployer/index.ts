import type { Model } from "../model/types";
import { kollaInventory } from "./kolla/inventory";
import { kollaGlobalsFile } from "./kolla/globals";
import { kollaConfigFiles } from "./kolla/config";
import { cephClusterFile, cephPoolsScript } from "./ceph/cluster";
import { deployReadme } from "./readme";
import { cloudsEntryScript } from "./clouds-entry";
import { CLOUDS_ENTRY_SCRIPT } from "../model/lifecycle";

export { kollaInventory, hostVariables } from "./kolla/inventory";
export { kollaGlobals, kollaGlobalsFile, SERVICE_SWITCHES } from "./kolla/globals";
export { kollaConfigFiles } from "./kolla/config";
export { cephServiceSpecs, cephClusterFile, cephPoolsScript } from "./ceph/cluster";

/**
 * The deployment stage's files, keyed by output path under `deploy/`: Kolla-Ansible's inventory,
 * globals and service overrides, cephadm's cluster specification and pools, and the runbook.
 */
export function deployFiles(model: Model): Map<string, string> {
  const files = new Map<string, string>();
  files.set("deploy/README.md", deployReadme(model));
  files.set(CLOUDS_ENTRY_SCRIPT, cloudsEntryScript(model));
  files.set("deploy/kolla/inventory", kollaInventory(model));
  files.set("deploy/kolla/globals.yml", kollaGlobalsFile(model));
  for (const [name, content] of kollaConfigFiles(model)) files.set(`deploy/kolla/${name}`, content);
  const ceph = model.deploy.ceph;
  if (ceph) {
    files.set("deploy/ceph/cluster.yaml", cephClusterFile(ceph));
    files.set("deploy/ceph/pools.sh", cephPoolsScript(model, ceph));
  }
  return files;
}
