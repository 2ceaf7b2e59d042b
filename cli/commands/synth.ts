import { Option, type Command } from "commander";
import * as fs from "fs";
import * as path from "path";
import { RGW_CA_BUNDLE } from "../../deployer/ceph/cluster";
import { KOLLA_CONFIG_DIR, STAGE_FOLDERS } from "../../model/lifecycle";
import { bindPasswordVariable } from "../../model/identity";
import { NETPLAN_FILE } from "../../artifacts/netplan";
import {
  artifactFiles,
  designFindings,
  documentFiles,
  loadDesign,
  modelFile,
  progressReporter,
  terraformFiles,
  terraformStacks,
  VERSION,
  type Design,
} from "../pipeline";
import {
  emptyLocalState,
  folderStamp,
  printOutputNotes,
  signalsHeard,
  stackHoldsState,
  writeOutputFolder,
} from "../output";
import { collectGarbage, LARGE_DESIGN_STACKS } from "../heap";
import {
  ADDRESSES_FILE,
  addressesJson,
  pendingStateMoves,
  previousAddresses,
  STATE_MOVES_FILE,
  stackAddresses,
  stackDataAddresses,
  stateMoves,
  stateMoveSources,
  stateMovesScript,
} from "../state-moves";
import { formatPath, UserError } from "../../core/errors";
import { hostGroups, RACKS_FIELD } from "../../spec/hosts";
import {
  destroyedItems,
  directoryChanges,
  directorySchemaChanges,
  droppedFlavors,
  droppedLegacyShares,
  joinedNetworks,
  newProviderVlans,
  keystoneGroupsAhead,
  newPoolTenants,
  newlyTiered,
  passthroughChanges,
  tiersMoving,
  serverGroupsAdopted,
  newlyRestrictedEgress,
  newPassthroughHosts,
  droppedTiers,
  legacyAttachmentChange,
  legacyBridgeMoved,
  movedVips,
  gainedLegacyGroups,
  loweredQuotas,
  movedGrants,
  movedRacks,
  movedMonitors,
  metricStoreChange,
  valkeyChange,
  legacyGatewayLeft,
  octaviaHeartbeatKeyed,
  rgwCaMountAdded,
  octaviaTopologyChange,
  firewallAdded,
  droppedProviderShares,
  unsharedNetworks,
  registryChange,
  firewallDropped,
  firewallRulesDropped,
  firewallRulesWithdrawn,
  shrunkClusters,
  backupTargetChange,
  externalTlsOn,
  dbDevicesNarrowed,
  dbDevicesChanged,
  crushChanges,
  swiftPlacesMoved,
  rekeyedSshSources,
  respeltLocalState,
  respellLocalState,
  retiringTenants,
  newComputeHosts,
  newKollaHosts,
  newHostPins,
  newCephHosts,
  renamedServices,
  stateBackendChange,
  privatizedVolumeTypes,
  defaultVolumeTypeChange,
  changedHostConfig,
  droppedComputeHosts,
  neutronPlumbingChanges,
  swiftPartitionPowerChange,
  swiftPolicyChanges,
  swiftRingChanges,
  backupPolicyChange,
  platformOutputsAhead,
  swiftDeviceChanges,
  cephProtectionChange,
  computeRemovalSteps,
  gonePoolIds,
  droppedServices,
  servicesLeavingData,
  newlyProvisioned,
  deploymentChanges,
  droppedLegacyRoutes,
  newDirectoryDomains,
  serverChanges,
  movedVolumeServices,
  pgNumChanges,
  movedCephData,
  flavorSizeChanges,
  flavorVisibilityChanges,
  pinnedHosts,
  renumberedBlocks,
  previousPlan,
  renumberedHosts,
  serverGroupChanges,
} from "../day-two";
import type { SynthesizedStack } from "../../synth/app";
import type { Model } from "../../model/types";
import type { Spec } from "../../spec/schema";
import { refuseFailedDesign } from "./check";
import { addQuietOptions, isQuiet, plural } from "../options";
import { printFindings, warnUnreadTemplates } from "../report";
import type { TerraformFormat } from "../../synth/app";
import { requireChromium } from "../../documents/chromium";
import { someOf } from "../../core/lists";
import {
  LEGACY_ROUTER_INTERFACE,
  openstackName,
  TENANT_SUBNET_POOL_IDS,
  tenantLookup,
} from "../../core/naming";
import { KOLLA_IMAGES } from "../../core/defaults";

interface SynthOptions {
  out: string;
  terraformFormat?: TerraformFormat;
  /** The former name of --terraform-format. */
  format?: TerraformFormat;
  templates?: string;
  pdf?: boolean;
  quiet?: boolean;
  moveState?: boolean;
  renumber?: boolean;
  destroyRemoved?: boolean;
}

export function registerSynth(program: Command): void {
  const command = program
    .command("synth")
    .description("write Terraform per stack, the architecture document and model.json")
    .argument("<spec>", "design spec (YAML or JSON)")
    .requiredOption(
      "-o, --out <dir>",
      "output folder (its files replaced one by one; nothing else touched)",
    )
    .addOption(
      new Option(
        "--terraform-format <format>",
        "Terraform as JSON (cdk.tf.json) or HCL (cdk.tf) (default: the spec's output.format)",
      ).choices(["json", "hcl"]),
    )
    // `--format` names the report format everywhere else; kept here for old scripts.
    .addOption(
      new Option("-f, --format <format>", "deprecated: use --terraform-format")
        .choices(["json", "hcl"])
        .conflicts("terraformFormat")
        .hideHelp(),
    )
    .option("--templates <dir>", "folder of templates that override the built-in ones")
    .option("--pdf", "also print the document to PDF (needs Chromium)")
    .option(
      "--move-state",
      "accept a stack layout change that moves resources to another stack's state, and write the migration script",
    )
    .option(
      "--renumber",
      "accept new addresses or racks for hosts the previous synth into --out planned (a design not built yet)",
    )
    .option(
      "--destroy-removed",
      "accept that the next apply destroys, replaces or strands what the previous synth into --out planned (tenants of a shared stack, renamed without an id or leaving a remote-state stack, tenants' subnets, domains or project names, Neutron networks, their segments and the subnet pool, Keystone's own groups, identity domains, bare-metal servers, compute pools, compute hosts without an undercloud, LVM or ZFS volume hosts, services' Ceph pools, a domain's directory, legacy bridge shares, provider networks a tenant no longer lists, tenants' tiers leaving or cutting running instances apart at once, a flavor's visibility, a running Galera or RabbitMQ cluster shrunk to one controller, cinder-backup leaving or changing driver after backups it took, Neutron's mechanism or a type driver, Octavia's segment, the Swift partition power, the hosts' domain or Cinder's cluster renamed, Octavia, Manila or Cinder leaving with what projects made with them, Ceph's protection changing kind or erasure code)",
    );
  addQuietOptions(command).action(async (specFile: string, opts: SynthOptions) => {
    const quiet = isQuiet(opts);
    if (opts.format && !quiet) {
      process.stderr.write(
        `warning: synth --format is deprecated; use --terraform-format ${opts.format}\n`,
      );
    }
    // A missing or misnamed browser fails before the work, not after it.
    if (opts.pdf) requireChromium();
    const design = loadDesign(specFile);
    // What the day-2 checks below read: a run writing meanwhile makes this one stop at the lock.
    const plannedAgainst = folderStamp(opts.out);
    const replaced = dayTwoChanges(opts.out, design.loaded.model, design.loaded.spec, {
      renumber: Boolean(opts.renumber),
      destroyRemoved: Boolean(opts.destroyRemoved),
      pinned: new Set(
        design.loaded.spec.hosts
          .filter((h) => Object.keys(h.addresses).length > 0)
          .map((h) => h.name),
      ),
      racked: new Map(
        design.loaded.spec.hosts.flatMap((h) => (h.rack ? [[h.name, h.rack] as const] : [])),
      ),
    });
    const format = opts.terraformFormat ?? opts.format ?? design.loaded.model.output.format;
    await signalsHeard();
    const progress = progressReporter(quiet);
    progress?.(
      `synthesizing Terraform for ${plural(design.loaded.model.tenants.length, "tenant")}`,
    );
    const stacks = await terraformStacks(design, format);
    // A small design's garbage never weighs; a full collection costs the more, the larger the heap.
    const collect = stacks.length >= LARGE_DESIGN_STACKS ? collectGarbage : () => undefined;
    collect();
    const counted = stacks;
    const findings = designFindings(design, counted);
    if (refuseFailedDesign(specFile, findings)) return;
    if (!quiet) printFindings(findings.filter((f) => !f.suppressed && f.severity === "warning"));
    collect();
    const files: Map<string, string | Buffer> = terraformFiles(stacks, design.loaded.model);
    const moves = layoutFiles(opts.out, counted, design.loaded.model, Boolean(opts.moveState));
    // Every change that needs a decision is named at once, the layout's with the plan's.
    // (with a remote backend the plan's checks refuse the tenants', the grants' and the
    // bare-metal stacks leaving; their network stacks are this one's to name)
    const remote = design.loaded.model.output.backend.type !== "local";
    const dropped = (
      opts.destroyRemoved
        ? []
        : droppedStacksWithState(
            opts.out,
            new Set(stacks.map((st) => st.name)),
            new Set(
              ("keepFolders" in moves ? (moves.keepFolders ?? []) : []).map((f) =>
                path.basename(f),
              ),
            ),
          )
    ).filter((n) => !remote || n.startsWith("network-"));
    const leaving = dropped.filter((d) => d !== BAREMETAL_STACK);
    refuseChanges(
      opts.out,
      [
        ...replaced.refusals,
        ...("refusal" in moves && moves.refusal ? [{ text: moves.refusal }] : []),
        ...(dropped.includes(BAREMETAL_STACK)
          ? [
              {
                text: "stack baremetal leaves the design (cloud.undercloud) while its folder holds Terraform state: the servers it deployed keep running, managed by nothing. Keep the undercloud in the spec, or pass --destroy-removed, which keeps the folder and its state and says the steps (never terraform destroy there, which would delete every server on the undercloud)",
                at: ["cloud"],
              },
            ]
          : []),
        ...(leaving.length
          ? [
              {
                text: `${leaving.length === 1 ? `stack ${leaving[0]} leaves` : `stacks ${leaving.join(", ")} leave`} the design while ${leaving.length === 1 ? "its folder holds" : "their folders hold"} Terraform state: the stacks that stay stop exporting what ${leaving.length === 1 ? "it reads" : "they read"}, and once they are applied Terraform can no longer plan or destroy ${leaving.length === 1 ? "it" : "them"}. If a tenant was renamed, give it its previous id in the spec; to remove ${leaving.length === 1 ? "it" : "them"}, pass --destroy-removed, which keeps the folder${leaving.length === 1 ? "" : "s"} and state${leaving.length === 1 ? "" : "s"} and says the steps (terraform destroy there before the other stacks are applied)`,
                at: ["tenants"],
              },
            ]
          : []),
      ],
      { file: specFile, data: design.loaded.written, locate: design.loaded.locate },
    );
    for (const [name, content] of moves.files) files.set(name, content);
    collect();
    await signalsHeard();
    const docs = await documentFiles(design, counted, {
      findings,
      ...(opts.templates ? { templates: opts.templates } : {}),
      pdf: Boolean(opts.pdf),
      progress,
    });
    for (const [name, content] of docs) files.set(name, content);
    for (const [name, content] of artifactFiles(design)) files.set(name, content);
    files.set("model.json", modelFile(design));
    const hostConfig = changedHostConfig(opts.out, files);
    const ahead = platformOutputsAhead(opts.out, stacks);
    progress?.(`writing ${plural(files.size, "file")}`);
    collect();
    const written = await writeOutputFolder(opts.out, files, {
      command: "synth",
      version: VERSION,
      inputs: [specFile],
      // What the next run compares with goes in last: the plan and the addresses. A run killed or
      // failing before them leaves the earlier ones, so the next finds the same changes again.
      last: ["model.json", ADDRESSES_FILE],
      keepFolders: moves.keepFolders,
      respell: respellLocalState,
      retired: retiringTenants(opts.out, design.loaded.model),
      plannedAgainst,
      onWait: quiet ? undefined : (message) => process.stderr.write(message),
    });
    // Stacks still spelt the old way are the user's edits: neither rewritten nor respelt.
    const unrespelt = respeltLocalState(opts.out, design.loaded.model);
    const stackNow = new Map(design.loaded.model.tenants.map((t) => [t.id, t.stack] as const));
    printOutputNotes(
      opts.out,
      written,
      quiet,
      (stack) => replaced.tenantsOf.get(stack) ?? [],
      (tenant) => stackNow.get(tenant),
    );
    printDayTwoNotes(replaced);
    if (ahead)
      process.stderr.write(
        `${someOf(
          ahead.stacks.map((s) => `terraform/${s}`),
          5,
        )} ${ahead.stacks.length === 1 ? "reads" : "read"} outputs the platform stack adds (${someOf(ahead.outputs, 5)}): apply terraform/platform first; planned before it, ${ahead.stacks.length === 1 ? "it fails" : "they fail"} on each output it does not have yet (Unsupported attribute)\n`,
      );
    const groups = replaced.groupsAhead;
    if (groups)
      process.stderr.write(
        `${someOf(
          groups.stacks.map((s) => `terraform/${s}`),
          5,
        )} ${groups.stacks.length === 1 ? "looks" : "look"} up Keystone groups the platform stack adds (${someOf(groups.groups, 5)}): apply terraform/platform first; planned before it, ${groups.stacks.length === 1 ? "its lookup finds" : "their lookups find"} no such group\n`,
      );
    const tierGroup = (t: { id: string }) =>
      openstackName(design.loaded.model.naming.prefix, t.id, "tier", "<tier>");
    for (const { tenant: t, fresh } of replaced.tiered)
      process.stderr.write(
        `from the next apply of terraform/${t.networkStack?.stack ?? t.stack}, tenant ${t.id}'s tiers keep its instances apart: that apply drops the base group's rules that let them all talk; ${fresh ? "add each running instance to its tier's group as soon as the groups exist" : "check that each running instance is in its tier's group first"} (openstack server add security group <server> ${tierGroup(t)})\n`,
      );
    for (const t of replaced.egress)
      process.stderr.write(
        `from the next apply of terraform/${t.networkStack?.stack ?? t.stack}, tenant ${t.id}'s router lets its instances open only DNS to its subnet's DNS servers and what its egress lists: other connections (package mirrors, time servers, the cloud's own endpoints) stop, open ones included (the L3 agent clears their connection tracking); list what they need first. Neutron refuses to change a firewall group or policy while the L3 agents still apply an earlier change to it (409 FirewallGroupInPendingState): if the apply stops with that error, run it again, it continues where it stopped\n`,
      );
    for (const a of replaced.adopted)
      process.stderr.write(
        `terraform/${a.stack} makes tenant ${a.tenant}'s server ${a.groups.length === 1 ? "group" : "groups"} ${a.groups.join(", ")} from now on, which its members made by hand before (its stack's README said so), and Nova accepts a second group of the same name, whose policy ignores the first group's servers: import ${a.groups.length === 1 ? "it" : "each"} into that stack's state before applying it (terraform import, by the id openstack server group list shows), or delete the hand-made ${a.groups.length === 1 ? "one" : "ones"} once empty\n`,
      );
    for (const t of replaced.moving)
      process.stderr.write(
        `tenant ${t.id}'s tier groups come with the next apply of terraform/${t.networkStack?.stack ?? t.stack}, its base group still admitting all traffic between its instances (tiersEnforced: false): add each running instance to its tier's group (openstack server add security group <server> ${tierGroup(t)}), then remove tiersEnforced: false\n`,
      );
    if (replaced.passthrough.length)
      process.stderr.write(
        `${someOf(replaced.passthrough, 5)} ${replaced.passthrough.length === 1 ? "passes" : "pass"} PCI devices through from now on: move ${replaced.passthrough.length === 1 ? "its" : "their"} instances away, turn the IOMMU on and bind the devices to vfio-pci (RUNBOOK.md), and reboot ${replaced.passthrough.length === 1 ? "it" : "them"} before kolla-ansible reconfigure gives Nova the devices\n`,
      );
    const byIds = (changes: readonly { host: string; ids: readonly string[] }[]) => {
      const groups = new Map<string, string[]>();
      for (const c of changes)
        groups.set(c.ids.join(","), [...(groups.get(c.ids.join(",")) ?? []), c.host]);
      return [...groups].map(([ids, hosts]) => ({ ids, hosts }));
    };
    for (const { ids, hosts } of byIds(replaced.devices.added))
      process.stderr.write(
        `${someOf(hosts, 5)} now also ${hosts.length === 1 ? "passes" : "pass"} ${ids} through: move ${hosts.length === 1 ? "its" : "their"} instances away, add ${ids} to vfio-pci.ids (RUNBOOK.md) and reboot ${hosts.length === 1 ? "it" : "them"} before kolla-ansible reconfigure gives Nova the devices\n`,
      );
    for (const { ids, hosts } of byIds(replaced.devices.released))
      process.stderr.write(
        `${someOf(hosts, 5)} no longer ${hosts.length === 1 ? "passes" : "pass"} ${ids} through: Nova keeps a device an instance holds, so move or delete the instances using ${ids.includes(",") ? "them" : "it"} before kolla-ansible reconfigure, then drop ${ids} from vfio-pci.ids and reboot to give the host's driver back its devices\n`,
      );
    const pooled = replaced.poolTenants;
    if (pooled.length)
      process.stderr.write(
        `${someOf(
          pooled.map((p) => `tenant ${p.tenant}'s network ${p.cidr}`),
          5,
        )} ${pooled.length === 1 ? "is" : "are"} allocated from the tenant subnet pool, which hands projects' own subnets out too (lowest free blocks first): Neutron refuses a prefix a project already holds, and the tenant's apply stops at its subnet; check first with openstack subnet list --subnet-pool ${openstackName(design.loaded.model.naming.prefix, TENANT_SUBNET_POOL_IDS.pool)} -c CIDR\n`,
      );
    if (replaced.newHosts && !quiet)
      process.stderr.write(
        `${plural(replaced.newHosts.names.length, "host")} new to this folder (${someOf(replaced.newHosts.names, 5)}): once built, keep them where they are planned with these entries under hosts: in the spec (merged with any there; they pin the hosts planned before too, which pinning the new ones alone could move), or a pool or host planned ahead of them later moves them:\n${replaced.newHosts.entries}`,
      );
    warnUnreadTemplates(opts.templates, quiet);
    const respelt = replaced.respeltState.filter((stack) => !unrespelt.includes(stack));
    if (respelt.length)
      process.stderr.write(
        `the local state of ${someOf(respelt, 5)} is now named terraform.tfstate, Terraform's default, in each stack's folder (the same file, spelt ../<stack>/terraform.tfstate before: with that spelling a terraform init without .terraform emptied it): run terraform init -reconfigure once in each of those folders\n`,
      );
    if (unrespelt.length)
      process.stderr.write(
        `warning: the configuration of ${someOf(unrespelt, 5)}, which you changed, still spells its local state ../<stack>/terraform.tfstate: a terraform init there without .terraform, or with -reconfigure, would empty that state; change its backend path to terraform.tfstate first\n`,
      );
    for (const j of replaced.joined)
      process.stderr.write(
        `${someOf(j.hosts, 5)} ${j.hosts.length === 1 ? "joins" : "join"} network ${j.network}${j.vlan !== undefined ? ` (VLAN ${j.vlan})` : ""}, which ${j.hosts.length === 1 ? "its" : "their"} switch ports do not carry yet: ${j.vlan !== undefined ? `trunk VLAN ${j.vlan} to them` : "connect their ports for it"} before netplan apply, or what ${j.hosts.length === 1 ? "it sends" : "they send"} to ${j.network}'s addresses, now on a link of ${j.hosts.length === 1 ? "its" : "their"} own, is lost\n`,
      );
    for (const p of replaced.providerVlans)
      process.stderr.write(
        `provider network ${p.network} is new on VLAN ${p.vlan} of ${p.physicalNetwork}: trunk VLAN ${p.vlan} to the ports of ${p.hosts.length ? `the hosts that bridge ${p.physicalNetwork} (${someOf(p.hosts, 5)})` : "the hosts that bridge it"} and to its router's where it has one, before an instance there reaches anything\n`,
      );
    // (in the order the runbook applies them, the stacks they read first; with the firewall
    // leaving, the tenants' and their networks' first, as its note says)
    const runbook = design.loaded.model.lifecycle.flatMap((st) =>
      st.commands.flatMap((c) => /^terraform -chdir=terraform\/(\S+) apply/.exec(c)?.[1] ?? []),
    );
    const rank = (n: string) => (runbook.includes(n) ? runbook.indexOf(n) : runbook.length);
    const ordered = stacks.map((st) => st.name).sort((a, b) => rank(a) - rank(b));
    const tenantSide = (n: string) => (/^(tenants$|tenant-|network-)/.test(n) ? 0 : 1);
    if (replaced.firewallDropped) ordered.sort((a, b) => tenantSide(a) - tenantSide(b));
    const restacked = ordered.filter(
      (n) => hostConfig.terraform.includes(n) || hostConfig.newStacks.includes(n),
    );
    const fresh = restacked.filter((n) => hostConfig.newStacks.includes(n));
    // Stacks kept beside their state read the platform's outputs, which its apply may drop.
    // (not one the state moves emptied: deleting it is all it asks)
    const keptStacks = [
      ...new Set(written.orphaned.flatMap((f) => /^terraform\/([^/]+)\//.exec(f)?.[1] ?? [])),
    ]
      .filter((stack) => !emptyLocalState(path.join(opts.out, "terraform", stack)))
      .sort();
    const keptFirst =
      keptStacks.length && restacked.includes("platform")
        ? `; before the platform stack, act on the kept ${keptStacks.length === 1 ? "stack" : "stacks"} ${keptStacks.join(", ")} as said above (the platform's apply may drop outputs ${keptStacks.length === 1 ? "it reads" : "they read"}, after which Terraform cannot plan ${keptStacks.length === 1 ? "it" : "them"})`
        : "";
    if (restacked.length)
      process.stderr.write(
        // (every one: the order is the point, and one cut off would be one not applied)
        `Terraform changes in ${restacked.length === 1 ? "stack" : "stacks"} ${restacked.join(", ")}${fresh.length ? ` (${fresh.join(", ")} new: terraform -chdir=terraform/<stack> init first)` : ""}: plan and apply ${restacked.length === 1 ? `it (terraform -chdir=terraform/${restacked[0]} plan)` : "each, in this order (terraform -chdir=terraform/<stack> plan)"}, as RUNBOOK.md does${keptFirst}\n`,
      );
    const renetworked = hostConfig.netplan;
    if (renetworked.length)
      process.stderr.write(
        `host networking changes for ${someOf(renetworked, 5)}: running hosts keep theirs until it is installed there (a bare-metal stack's user data applies at first boot only); copy each ${STAGE_FOLDERS.netplan}/<host>.yaml to ${NETPLAN_FILE} on its host and run netplan apply, before the stages that use the change\n`,
      );
    if (hostConfig.chrony.length)
      process.stderr.write(
        `time sources change for ${hostConfig.chrony.join(", ")} hosts: running hosts keep theirs; copy each ${STAGE_FOLDERS.chrony}/<role>.conf to /etc/chrony/chrony.conf on the hosts of that role and run systemctl restart chrony\n`,
      );
    if (hostConfig.kolla.length)
      process.stderr.write(
        `Kolla-Ansible's configuration changes (${someOf(
          hostConfig.kolla.map((f) => `${STAGE_FOLDERS.kolla}/${f}`),
          5,
        )}): running services keep theirs until it is copied to ${KOLLA_CONFIG_DIR} and applied: kolla-ansible reconfigure -i ${STAGE_FOLDERS.kolla}/inventory${kollaTags(hostConfig.kolla)} (deploy where a service or host joins; a --limit must hold the hosts the change is on, and every controller where controllers join), as ${STAGE_FOLDERS.kolla.split("/")[0]}/README.md describes\n`,
      );
    if (hostConfig.ceph.length)
      process.stderr.write(
        `Ceph's configuration changes (${someOf(
          hostConfig.ceph.map((f) => `${STAGE_FOLDERS.ceph}/${f}`),
          5,
        )}): the cluster takes it when applied: ceph orch apply -i cluster.yaml, and pools.sh again for pools, their sizes and keyrings, as ${STAGE_FOLDERS.ceph.split("/")[0]}/README.md describes${hostConfig.subtreeLimitDropped ? "; the monitors keep the mon_osd_down_out_subtree_limit an earlier pools.sh set, which this design no longer needs (no OSD host stands alone in its rack where its data could recover): ceph config rm mon mon_osd_down_out_subtree_limit" : ""}\n`,
      );
    if (hostConfig.droppedKollaConfig.length) {
      // Kolla renders a domain file, bind password included, onto every controller and never
      // removes one.
      const domains = hostConfig.droppedKollaConfig.flatMap(
        (f) => /^keystone\/domains\/keystone\.(.+)\.conf$/.exec(f)?.[1] ?? [],
      );
      process.stderr.write(
        `Kolla configuration no longer written: ${someOf(hostConfig.droppedKollaConfig, 5)}; copying ${STAGE_FOLDERS.kolla}/config over ${KOLLA_CONFIG_DIR}/config keeps them there, and Kolla-Ansible goes on merging them: delete them from ${KOLLA_CONFIG_DIR}/config on the deployment host before the next deploy or reconfigure${domains.length ? `; every controller keeps ${domains.map((d) => `${KOLLA_CONFIG_DIR}/keystone/domains/keystone.${d}.conf`).join(", ")} as Kolla rendered ${domains.length === 1 ? "it" : "them"}, bind password included, which Keystone goes on reading: delete ${domains.length === 1 ? "it" : "them"} there and ${domains.map(bindPasswordVariable).join(", ")} from ${KOLLA_CONFIG_DIR}/passwords.yml, then run kolla-ansible reconfigure -t keystone` : ""}\n`,
      );
    }
    if (!quiet) {
      process.stderr.write(
        `wrote ${plural(files.size, "file")} for ${plural(stacks.length, "stack")} to ${opts.out}\n`,
      );
    }
    const inDesign = new Set(stacks.map((s) => s.name));
    for (const m of moves.recreated) {
      process.stderr.write(
        `${m.address} changes owner (${m.from} -> ${m.to}): key pairs belong to the credentials' user, so ${m.to} creates it anew and ${inDesign.has(m.from) ? `the next apply of ${m.from} deletes the old one` : `the old one stays in ${m.from}'s state, whose stack leaves the design: delete it with openstack keypair delete under the credentials that made it, and take it out of that state with terraform state rm`}\n`,
      );
    }
    if (moves.count) {
      process.stderr.write(
        `${plural(moves.count, "resource")} moved to another stack: run ${opts.out}/${STATE_MOVES_FILE} before planning\n`,
      );
    }
    for (const m of moves.requota) {
      process.stderr.write(
        `${m.address} moves to ${m.to} with its per-volume-type quotas, which are set only when it is made: once ${STATE_MOVES_FILE} has run, apply ${m.to} once with -replace=${m.address} (it sets the project's quotas again, as the design says)\n`,
      );
    }
  });
}

/** Services of the design that run in no container of their own that Kolla-Ansible made. */
const NOT_KOLLA_CONTAINERS: ReadonlySet<string> = new Set(["fwaas", "vpnaas", "swift"]);

/**
 * Whether a tenant router's policy loses more than one rule: Terraform removes them in parallel,
 * and Neutron refuses a change to a policy whose firewall group an earlier one left pending.
 */
const pendingRemovals = (withdrawn: readonly { tenants: readonly string[] }[]) => {
  const held = withdrawn.flatMap((w) => w.tenants);
  return new Set(held).size < held.length;
};

/** A change that needs a decision, at the spec's path that makes it where one does. */
interface Refusal {
  readonly text: string;
  readonly at?: readonly (string | number)[];
}

/**
 * Refuses the run with every change that needs a decision first, each with its flag, at its
 * file, line and path (the nearest the spec writes).
 */
function refuseChanges(
  outDir: string,
  refusals: readonly Refusal[],
  spec: {
    readonly file: string;
    readonly data: unknown;
    readonly locate: Design["loaded"]["locate"];
  },
): void {
  // The deepest part of the path the spec has (an element gone, a section it leaves out).
  const present = (at: readonly (string | number)[]) => {
    let node: unknown = spec.data;
    let n = 0;
    for (const key of at) {
      if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) break;
      node = (node as Record<string | number, unknown>)[key];
      n++;
    }
    return at.slice(0, n);
  };
  const placed = (r: Refusal) => {
    const at = present(r.at ?? []);
    const where = at.length ? spec.locate(at) : undefined;
    return where?.line !== undefined
      ? `${spec.file}:${where.line}:${where.column ?? 1} ${formatPath(at)}: ${r.text}`
      : r.text;
  };
  if (refusals.length)
    throw new UserError(
      `--out ${outDir}: ${
        refusals.length === 1
          ? placed(refusals[0])
          : `${refusals.length} changes need a decision first:\n${refusals.map((r, i) => `  ${i + 1}. ${placed(r)}`).join("\n")}`
      }`,
    );
}

/**
 * The address list for the next run and, when the layout moved resources between stacks since the
 * previous run into this folder, the migration script; refuses such a move unless accepted.
 */
/** The bare-metal stack's name: its folder's. */
const BAREMETAL_STACK = path.basename(STAGE_FOLDERS.baremetal);

/**
 * Stacks of the previous synth this design no longer synthesizes whose folders' state holds
 * resources, but those a pending state move reads from.
 */
function droppedStacksWithState(
  outDir: string,
  kept: ReadonlySet<string>,
  moving: ReadonlySet<string>,
): string[] {
  // (stacks the previous synth wrote: one an earlier run already kept is told of, not refused)
  const before = Object.keys(previousAddresses(outDir) ?? {});
  const root = path.join(outDir, "terraform");
  return before
    .filter((n) => !kept.has(n) && !moving.has(n) && fs.existsSync(path.join(root, n)))
    .filter((n) => stackHoldsState(outDir, n) && !emptyLocalState(path.join(root, n)))
    .sort();
}

function layoutFiles(
  outDir: string,
  stacks: readonly SynthesizedStack[],
  model: Model,
  accept: boolean,
) {
  const current = stackAddresses(stacks);
  const previous = previousAddresses(outDir);
  const reads = new Map(stacks.map((s) => [s.name, s.readsFrom]));
  const all = previous ? stateMoves(previous, current, (s) => reads.get(s) ?? []) : [];
  // Nova key pairs belong to the user of the credentials: one that changes hands between the
  // admin's and a project member's stack cannot be imported; the new stack creates its own.
  const projectStacks = new Set(
    model.tenants.flatMap((t) => (t.networkStack ? [t.networkStack.stack] : [])),
  );
  const byProject = (stack: string) =>
    projectStacks.has(stack) || (!(stack in current) && stack.startsWith("network-"));
  const recreated = all.filter(
    (m) =>
      m.address.startsWith("openstack_compute_keypair_v2.") &&
      byProject(m.from) !== byProject(m.to),
  );
  const moves = all.filter((m) => !recreated.includes(m));
  if (moves.length && !accept) {
    const pairs = [...new Set(moves.map((m) => `${m.from} -> ${m.to}`))];
    return {
      refusal: `the new stack layout moves ${moves.length} resource(s) to another stack's state (${pairs.slice(0, 5).join(", ")}${pairs.length > 5 ? ` and ${pairs.length - 5} more` : ""}); applying as is would create them again. Pass --move-state to write ${STATE_MOVES_FILE}, which moves their state, and run it before planning`,
      files: new Map<string, string>(),
      moved: [],
      recreated: [],
      requota: [],
      // (the stacks the moves would read from, which the dropped stacks' refusal passes over)
      keepFolders: [...new Set(moves.map((m) => `terraform/${m.from}`))],
    };
  }
  // A script not run yet stays until it removes itself; a layout change on top of it would move
  // state that is not where the script leaves it.
  const pending = pendingStateMoves(outDir);
  // The terraform_data of the stacks moved into, forgotten where the moves come from: the old
  // states then empty, and the next synth says their folders can go.
  const data = stackDataAddresses(stacks);
  const leftovers = [
    ...new Map(
      moves.flatMap((m) =>
        (data[m.to] ?? []).map((address) => [`${m.from} ${address}`, { address, from: m.from }]),
      ),
    ).values(),
  ];
  const script = moves.length ? stateMovesScript(moves, leftovers) : pending;
  // (the same script again is a killed run's, completed now)
  if (pending !== undefined && moves.length && pending !== script)
    throw new UserError(
      `--out ${outDir}: ${STATE_MOVES_FILE} of an earlier layout change has not been run (it removes itself when done); run it, then synth the new layout`,
    );
  const files = new Map<string, string>([[ADDRESSES_FILE, addressesJson(current)]]);
  if (script !== undefined) files.set(STATE_MOVES_FILE, script);
  const count = moves.length || (pending?.match(/^move '/gm)?.length ?? 0);
  // The script runs terraform in the stacks it moves from: they keep their configuration (and
  // backend) until it is done, even when the layout has dropped them.
  const sources = script === undefined ? [] : stateMoveSources(script);
  // A quota set's per-volume-type quotas are set when it is made (ignore_changes), replaced by
  // their terraform_data's change; moved, it meets that trigger made anew, which Terraform does
  // not count as a change: one apply with -replace sets them as the design says.
  const requota = moves.filter(
    (m) =>
      m.address.startsWith("openstack_blockstorage_quotaset_v3.") &&
      (data[m.to] ?? []).includes(
        `terraform_data.${m.address.split(".")[1].replace(/_volume_quota$/, "_volume_type_quota")}`,
      ),
  );
  return {
    files,
    count,
    recreated,
    requota,
    keepFolders: sources.map((stack) => `terraform/${stack}`),
  };
}

/**
 * Refuses a design that gives hosts the previous synth into this folder planned new addresses
 * (running hosts keep theirs, so new hosts would take addresses in use), or drops what an apply
 * would then destroy with its data. Returns the flavors and server groups that change in ways
 * Nova can only replace.
 */
function dayTwoChanges(
  outDir: string,
  model: Model,
  spec: Spec,
  accept: {
    renumber: boolean;
    destroyRemoved: boolean;
    pinned: ReadonlySet<string>;
    /** Hosts whose rack the spec's hosts: entries set. */
    racked: ReadonlyMap<string, string>;
  },
) {
  // (both flags together take a plan the folder lost as this design's, unchecked)
  const previous = previousPlan(outDir, accept.renumber && accept.destroyRemoved);
  if (!previous)
    return {
      refusals: [] as Refusal[],
      newHosts: undefined,
      pgNums: [],
      monitors: undefined,
      volumeServices: [],
      grants: [],
      sizes: [],
      serverGroups: [],
      quotas: [],
      flavors: [],
      legacyGroups: [],
      octavia: undefined,
      octaviaKey: undefined,
      metricStore: undefined,
      valkey: undefined,
      legacyGateway: undefined,
      firewallDropped: false as const,
      firewallAdded: [] as string[],
      unshared: [] as (ReturnType<typeof unsharedNetworks>[number] & { neutronName: string })[],
      registry: undefined as ReturnType<typeof registryChange>,
      vips: [] as ReturnType<typeof movedVips>,
      ceph: false,
      withdrawnRules: [],
      droppedRules: [] as ReturnType<typeof firewallRulesDropped>,
      rekeyedSsh: [],
      respeltState: respeltLocalState(outDir, model),
      // (from the folder's files: a model says nothing of the mount)
      rgwCaMount: rgwCaMountAdded(outDir, model),
      privateVolumeTypes: [],
      defaultVolumeType: undefined,
      backupDropped: undefined,
      backupPolicy: undefined,
      externalTls: false,
      dbDevices: [],
      dbDevicesMoved: [],
      crush: undefined,
      swiftMoved: [],
      swiftDevices: undefined,
      swiftRings: undefined,
      droppedServices: [] as string[],
      provisioned: [],
      newComputes: [] as string[],
      newKolla: [] as ReturnType<typeof newKollaHosts>,
      newCeph: undefined,
      deployment: [],
      servers: [],
      newDirectories: [],
      legacyRoutes: [],
      legacyGatewayBefore: false,
      tenantsOf: new Map(),
      accepted: [] as string[],
      stateBackend: undefined,
      legacyVpn: false,
      undercloud: false,
      groupsAhead: undefined,
      poolTenants: [],
      tiered: [],
      moving: [],
      adopted: [] as ReturnType<typeof serverGroupsAdopted>,
      egress: [] as ReturnType<typeof newlyRestrictedEgress>,
      passthrough: [] as string[],
      devices: { added: [], released: [] } as ReturnType<typeof passthroughChanges>,
      joined: [] as ReturnType<typeof joinedNetworks>,
      providerVlans: [] as ReturnType<typeof newProviderVlans>,
    };
  // Every change that needs a decision is named at once: one refusal at a time hid the others,
  // which --destroy-removed then accepted unseen. What the flag accepts is said after the write.
  // Where in the spec a change is made: the element, when the spec still has it.
  const networkPath = (name: string) => [
    "network",
    "networks",
    spec.network.networks.findIndex((n) => n.name === name),
    "cidr",
  ];
  const domainPath = (name: string) => [
    "identity",
    "domains",
    (spec.identity?.domains ?? []).findIndex((d) => d.name === name),
  ];
  const tenantIndex = (id: string) => {
    const tenant = tenantLookup(spec.tenants)(id);
    return tenant ? spec.tenants.indexOf(tenant) : -1;
  };
  const poolIndex = (poolId: string) => {
    const pool = model.pools.find((p) => p.id === poolId);
    const zi = spec.zones.findIndex((z) => z.name === pool?.zone);
    const pi =
      zi < 0 ? -1 : spec.zones[zi].pools.findIndex((p) => `${pool?.zone}-${p.name}` === poolId);
    return { zi, pi };
  };
  const flavorPath = (poolId: string, flavor: string) => {
    const { zi, pi } = poolIndex(poolId);
    const fi = pi < 0 ? -1 : spec.zones[zi].pools[pi].flavors.findIndex((f) => f.name === flavor);
    return ["zones", zi, "pools", pi, "flavors", fi];
  };
  // Where a dropped compute host was: its pool if the design keeps it, else its zone's pools.
  const hostPlacePath = (host: string): (string | number)[] => {
    const place = previous.servers?.get(host);
    const { zi, pi } = place?.pool ? poolIndex(place.pool) : { zi: -1, pi: -1 };
    if (pi >= 0) return ["zones", zi, "pools", pi];
    const zone = spec.zones.findIndex((z) => z.name === place?.zone);
    return zone < 0 ? ["zones"] : ["zones", zone, "pools"];
  };
  const refusals: Refusal[] = [];
  const accepted: string[] = [];
  const decide = (
    flag: boolean,
    what: string,
    advice: string,
    at?: readonly (string | number)[],
  ) => {
    if (flag) accepted.push(what);
    else refusals.push({ text: `${what}. ${advice}`, ...(at ? { at } : {}) });
  };
  const moved = renumberedHosts(previous, model);
  if (moved.length && !accept.renumber) {
    const hosts = [...new Set(moved.map((m) => m.host))];
    const shown = moved
      .slice(0, 5)
      .map((m) => `${m.host} ${m.network} ${m.from} -> ${m.to}`)
      .join(", ");
    const reblocked = renumberedBlocks(previous, model);
    const blocks = reblocked.length
      ? ` Network${reblocked.length > 1 ? "s" : ""} ${reblocked.map((b) => `${b.network} (now ${b.cidr})`).join(", ")} no longer ${reblocked.length > 1 ? "hold" : "holds"} the addresses of ${someOf([...new Set(reblocked.flatMap((b) => b.hosts))], 5)}, which no entry can keep: re-address those hosts first (their netplan, then kolla-ansible reconfigure and Ceph's monitors and Swift's rings where they stand on it) and pass --renumber, or keep the block.`
      : "";
    refusals.push({
      text: `this design gives ${plural(hosts.length, "host")} the previous synth planned new addresses (${shown}${moved.length > 5 ? ", ..." : ""}); running hosts keep theirs, so new hosts would take addresses in use.${blocks} Keep them where they are with these entries under hosts: in the spec (merged with any there), or pass --renumber if no host is built yet or the folder holds another design:\n${pinnedHosts(previous, model, accept.racked)}`,
      ...(reblocked.length ? { at: networkPath(reblocked[0].network) } : {}),
    });
  }
  // A rack the spec's own entry changed is the user's move, not the placement's.
  const allMoved = movedRacks(previous, model);
  const repinned = allMoved.filter((m) => accept.racked.get(m.host) === m.to);
  if (repinned.length && !accept.renumber)
    refusals.push({
      text: `hosts: in the spec puts ${plural(repinned.length, "host")} the previous synth planned in other racks (${someOf(
        repinned.map((m) => `${m.host} ${m.from} -> ${m.to}`),
        5,
      )}): if the ${repinned.length === 1 ? "server was" : "servers were"} moved there, pass --renumber${allMoved.length > repinned.length ? ` once the hosts the placement moves with it are kept where they stand (the entries ${moved.length ? "above" : "below"})` : ""}${repinned.some((m) => model.storage.ceph?.nodes.includes(m.host)) ? ", having moved the Ceph hosts in CRUSH first (ceph osd crush move <host> rack=<rack>): cephadm moves no host it has" : ""}; else set the rack back in hosts:`,
      at: ["hosts", spec.hosts.findIndex((h) => h.name === repinned[0].host), "rack"],
    });
  const reracked = allMoved.filter((m) => !repinned.includes(m));
  if (reracked.length && !accept.renumber) {
    // Hosts whose racks list (controlPlane.racks, storage.*.racks) no longer names their rack:
    // an entry keeping them there is refused until the list names it again.
    const groups = hostGroups(spec);
    const narrowed = reracked.flatMap((m) => {
      const group = groups.find((g) => g.names.includes(m.host));
      const field = group && !group.pool ? RACKS_FIELD[group.role] : undefined;
      return field && group?.racks && !group.racks.includes(m.from) ? [{ ...m, field }] : [];
    });
    const fields = [...new Set(narrowed.map((n) => n.field))];
    const shown = reracked
      .slice(0, 5)
      .map((m) => `${m.host} ${m.from} -> ${m.to}`)
      .join(", ");
    refusals.push({
      text: `this design, as this version of Stackwright places it, puts ${plural(reracked.length, "host")} the previous synth planned in other racks (${shown}${reracked.length > 5 ? ", ..." : ""}); the servers stand where they stand, and the document and the failure analysis would place them wrong${reracked.some((m) => model.storage.ceph?.nodes.includes(m.host)) ? "; the Ceph hosts' CRUSH locations would disagree with the plan (cephadm moves no host it has)" : ""}. ${
        narrowed.length
          ? `${fields.join(" and ")} no longer ${fields.length === 1 ? "names" : "name"} the racks ${someOf([...new Set(narrowed.map((n) => n.from))], 5)} where ${someOf(
              narrowed.map((n) => n.host),
              5,
            )} stand: name them there again for the entries below to hold. `
          : ""
      }Keep them in their racks with these entries under hosts: in the spec (merged with any there), or pass --renumber if no host is built yet or the folder holds another design:\n${moved.length && !accept.renumber ? "(the entries above)" : pinnedHosts(previous, model, accept.racked)}`,
      // (where the narrowed racks list is written)
      ...(fields.length ? { at: fields[0].split(".") } : {}),
    });
  }
  const destroyRemoved = accept.destroyRemoved;
  const stranded = movedCephData(previous, model);
  if (stranded.length)
    decide(
      destroyRemoved,
      `this design points services at other Ceph pools than the previous synth: ${stranded.map((m) => `${m.what} are in ${m.from}, not ${m.to}`).join("; ")}; after kolla-ansible reconfigure they would not find them`,
      "Give the pools the device classes that keep them where they are (a Cinder backend the deviceClass of the pool it used: one naming none takes the volumes pool on the cluster's class), move the data first (cinder migrate or retype), or pass --destroy-removed if nothing is stored yet (or the folder holds another design)",
      ["storage", "backends"],
    );
  const directories = directoryChanges(previous, model);
  if (directories.length)
    decide(
      destroyRemoved,
      directories
        .map((c) =>
          c.toDirectory
            ? `domain ${c.domain} moves to a directory: the groups and users Keystone kept for it are hidden once Keystone reads the directory, and their role assignments stay behind; give the directory's groups of the same names their members first, and the mappings grant them the roles once Keystone restarts with the directory; take the groups the platform stack made there out of its state (terraform state rm) before applying it, as Keystone refuses to delete groups of a directory`
            : `domain ${c.domain} leaves its directory: Kolla-Ansible never deletes its keystone.${c.domain}.conf, so Keystone stays on the directory and refuses the groups the platform stack creates there (LDAP is read-only); delete /etc/kolla/config/keystone/domains/keystone.${c.domain}.conf on the deployment host and /etc/kolla/keystone/domains/keystone.${c.domain}.conf on every controller, then run kolla-ansible reconfigure -t keystone before applying the platform stack; the directory's users are gone from the domain then, and its new groups empty: create the users in Keystone and add them to the groups`,
        )
        .join("; "),
      "Keep the domain as it is, or pass --destroy-removed once that is done (or the folder holds another design)",
      domainPath(directories[0].domain),
    );
  const schemas = directorySchemaChanges(previous, model);
  if (schemas.length)
    decide(
      destroyRemoved,
      `Keystone would find the users and groups of ${schemas.map((c) => `domain ${c.domain} otherwise (${c.changed.join(", ")})`).join("; ")}: each user's Keystone id comes from the user id attribute, so users would look new to Keystone, and roles granted to them directly and their application credentials would no longer apply (grants to groups stay)`,
      "Set the previous classes and attribute in identity.domains[].ldap to keep them (a directory that is not Active Directory now defaults to inetOrgPerson, groupOfNames and uid), or pass --destroy-removed if that is meant",
      domainPath(schemas[0].domain),
    );
  const bridgeMoved = legacyBridgeMoved(previous, model);
  if (bridgeMoved)
    decide(
      destroyRemoved,
      `the legacy bridge moves from network ${bridgeMoved.from} to ${bridgeMoved.to}: the tenants' shares of ${bridgeMoved.from} are replaced, which Neutron refuses while their instances have ports there (RbacPolicyInUse), and the bridge's router, routes and host routes leave the network those instances are on`,
      `Keep legacyUnix.network: ${bridgeMoved.from}, or move the instances' bridge ports to ${bridgeMoved.to} first (a port each on the new network, then the old ports deleted) and pass --destroy-removed`,
      ["legacyUnix", "network"],
    );
  const attachment = legacyAttachmentChange(previous, model);
  if (attachment)
    decide(
      destroyRemoved,
      attachment.toPort
        ? `the legacy router leaves the bridge subnet's gateway for a port of its own at the same address, so DHCP stops offering the bridge ports a default route through it: its interface is replaced, which Neutron refuses while its routes to the legacy subnets${model.legacyUnix?.vpn ? " and its VPN connection" : ""} use it, and the new port cannot take the address before the old interface leaves`
        : `the legacy router moves from its own port back onto the bridge subnet's gateway: its interface is replaced, which Neutron refuses while its routes to the legacy subnets${model.legacyUnix?.vpn ? " and its VPN connection" : ""} use it`,
      `Set legacyUnix.subnetGateway: ${attachment.toPort ? "true" : "false"} to keep the router as it runs; or, with the legacy flows stopped, take its interface out first (in terraform/platform: terraform apply -destroy -target=openstack_networking_router_interface_v2.${LEGACY_ROUTER_INTERFACE}, which takes the routes${model.legacyUnix?.vpn ? " and the VPN connection" : ""} with it; ${model.legacyUnix?.vpn ? "the router and its VPN address stay" : "the router stays"}) and pass --destroy-removed`,
      ["legacyUnix", "subnetGateway"],
    );
  const unshared = droppedLegacyShares(previous, model);
  if (unshared.length)
    decide(
      destroyRemoved,
      `this design stops sharing the legacy bridge with ${unshared.map((u) => `tenant ${u.tenant} (${u.shares.join(", ")})`).join("; ")}: Neutron refuses to remove a share while the project has ports on that network or in that group (RbacPolicyInUse)`,
      "Remove those instances' ports on the bridge, or take them out of that group (openstack port unset --security-group <group> <port>; Neutron also refuses to delete a group ports are in, SecurityGroupInUse), first and pass --destroy-removed, or keep the tenant on a pool the flows reach. Flows of one direction limited to different pools get a group for each set of pools, shared with those pools' tenants only: their instances' bridge ports then go into the new groups (openstack port set --security-group <group> <port>) once the platform stack made them",
      ["legacyUnix", "flows"],
    );
  const ungiven = droppedProviderShares(previous, model);
  if (ungiven.length)
    decide(
      destroyRemoved,
      `this design no longer gives ${ungiven.map((u) => `tenant ${u.tenant} provider network${u.networks.length === 1 ? "" : "s"} ${u.networks.join(", ")}`).join("; ")}: Neutron refuses to remove a project's share of a network while the project has ports on it (RbacPolicyInUse)`,
      `Delete those instances' ports on it first (openstack port list --network ${openstackName(model.naming.prefix, ungiven[0].networks[0])} --project <the tenant's project>) and pass --destroy-removed, or keep the network in the tenant's providerNetworks`,
      ["tenants", tenantIndex(ungiven[0].tenant), "providerNetworks"],
    );
  // Tenants newly given a network get their shares from their stacks, applied after the
  // platform's: its apply would stop where it unshares the network before they have them.
  const unsharing = unsharedNetworks(previous, model);
  const early = unsharing.find((u) => u.pending.length);
  if (early)
    decide(
      destroyRemoved,
      `provider network ${early.network} stops being shared with every project while ${someOf(early.pending, 5)} ${early.pending.length === 1 ? "gets its" : "get their"} own share only from ${early.pending.length === 1 ? "its" : "their"} stack, which is applied after the platform stack: Neutron refuses to unshare a network while a project without a share has ports on it (InvalidSharedSetting), so the platform's apply would stop there`,
      "Keep shared: true for one synth and apply of every stack (the tenants' stacks then make their shares), then set shared: false; or pass --destroy-removed if no project without a share has ports on it yet",
      [
        "network",
        "networks",
        spec.network.networks.findIndex((n) => n.name === early.network),
        "shared",
      ],
    );
  // A flavor's visibility follows the tenants listing it: a tenant edit can flip it, which Nova
  // does only by replacing the flavor (is_public is ForceNew), for every project at once.
  const visibility = flavorVisibilityChanges(previous, model);
  if (visibility.length)
    decide(
      destroyRemoved,
      visibility.map(visibilityChange).join("; "),
      "Keep each flavor's visibility as its note says, or pass --destroy-removed if the replacement is meant",
      flavorPath(visibility[0].pool, visibility[0].flavor),
    );
  const backup = backupTargetChange(previous, model);
  if (backup?.heldBackups)
    decide(
      destroyRemoved,
      `cinder-backup ${backup.to ? `moves from ${backup.driver} to ${backup.to}` : "leaves the design"}, and the backups it took ${backupPlace(backup.driver)} could no longer be restored or deleted through Cinder, which uses the driver that took each`,
      "Keep the backup target (storage.backup, or a Ceph volume backend for Ceph backups), or pass --destroy-removed if that is meant",
      backup.driver === "ceph" ? ["storage", "backends"] : ["storage", "backup"],
    );
  const shrunk = shrunkClusters(previous, model);
  if (shrunk.length)
    decide(
      destroyRemoved,
      `${shrunk.map((c) => `${c.service === "mariadb" ? "MariaDB (Galera)" : "RabbitMQ"} ran as a cluster on ${c.from.join(", ")}, and this design runs it on ${c.to.join(", ")} alone`).join("; ")}; Kolla-Ansible shrinks no running cluster: the nodes it leaves out keep running and the rest restart without them`,
      `To describe what runs, set controlPlane.${shrunk.some((c) => c.service === "mariadb") ? "database: galera" : "messaging: rabbitmq-cluster"}${shrunk.length > 1 ? " and messaging: rabbitmq-cluster" : ""}; to shrink it, follow the service's own procedure first and pass --destroy-removed`,
      ["controlPlane", shrunk[0].service === "mariadb" ? "database" : "messaging"],
    );
  // A new prefix renames what running services hold; nothing in an apply renames it back.
  for (const r of renamedServices(previous, model))
    decide(
      destroyRemoved,
      r.what === "domain"
        ? `the hosts' domain changes from ${r.from} to ${r.to}: every host's FQDN, and the VIPs' names Kolla's endpoints and TLS certificates carry (api-int.${r.from} becomes api-int.${r.to}), while running hosts, the catalog's endpoints, the certificates and clients keep the old ones`
        : `Cinder's active/active cluster changes from ${r.from} to ${r.to} (the naming prefix names it): every volume is filed under ${r.from}, which no cinder-volume would serve after kolla-ansible reconfigure, and cinder-manage cannot rename it`,
      r.what === "domain"
        ? `Keep the names with network.domain: ${r.from}, or pass --destroy-removed once DNS and the certificates follow, then run kolla-ansible reconfigure, which sets Kolla's endpoints to the new names (Swift's, registered by hand, with openstack endpoint set)`
        : `Keep output.namingPrefix as it was, or pass --destroy-removed once the volumes are moved (in Cinder's database: UPDATE volumes SET cluster_name = REPLACE(cluster_name, '${r.from}@', '${r.to}@') WHERE cluster_name LIKE '${r.from}@%')`,
      r.what === "domain" ? ["network", "domain"] : ["output", "namingPrefix"],
    );
  const computes = droppedComputeHosts(previous, model);
  if (computes.length)
    decide(
      destroyRemoved,
      `this design drops compute ${computes.length === 1 ? "host" : "hosts"} ${someOf(computes, 5)}, whose instances run there: the next kolla-ansible run leaves ${computes.length === 1 ? "it" : "them"} out, and Nova still counts ${computes.length === 1 ? "its" : "their"} services and instances`,
      `If they were renamed (a pool or zone renamed), keep their names with zones[].pools[].hostnames instead. To remove them, first, ${computeRemovalSteps(false, gonePoolIds(previous, model))}; then pass --destroy-removed; pass it too if the folder holds another design`,
      hostPlacePath(computes[0]),
    );
  const protection = cephProtectionChange(previous, model);
  if (protection) {
    const { from, to } = protection;
    const keeps =
      protection.toErasure && protection.fromErasure
        ? `the erasure-coded data pools keep their ${from} profile (Ceph changes no pool's erasure code), and with them everything written to them, before or after, until it is moved into new pools`
        : protection.toErasure
          ? `pools.sh makes the erasure-coded data pools and points new RBD images at them (rbd_default_data_pool), while the volumes, images and instance disks written before keep ${from} until each is moved (rbd migration prepare, execute and commit per image)`
          : `new RBD images still go to the erasure-coded data pools until rbd_default_data_pool is removed from each pool (rbd config pool rm <pool> rbd_default_data_pool), and the images written before stay ${from} until each is moved (rbd migration prepare, execute and commit per image)`;
    decide(
      destroyRemoved,
      `Ceph's protection changes from ${from} to ${to} on a running cluster, and Ceph converts no pool: ${keeps}; until then the capacity the documents state is not there`,
      "Keep storage.ceph.protection as it was, or pass --destroy-removed once the data is moved or if nothing is stored yet (or the folder holds another design)",
      ["storage", "ceph", "protection"],
    );
  }
  for (const leaving of servicesLeavingData(previous, model))
    decide(
      destroyRemoved,
      `${leaving.service} leaves the design, and with it ${leaving.what}`,
      `Delete them first (${leaving.remove}), then pass --destroy-removed; or keep ${leaving.service} in controlPlane.services`,
      ["controlPlane", "services"],
    );
  const plumbing = neutronPlumbingChanges(previous, model);
  if (plumbing.length)
    decide(
      destroyRemoved,
      plumbing.join("; "),
      "Keep network.mechanism, network.tenantNetworkType, network.tenantPhysicalNetwork, the tenant VLAN range (or a wider one) and the networks' segments (Octavia's too) as they were, or pass --destroy-removed if nothing is built on them yet (or the folder holds another design)",
      ["network"],
    );
  const power = swiftPartitionPowerChange(previous, model);
  if (power)
    decide(
      destroyRemoved,
      `Swift's partition power changes from ${power.before} to ${power.now} (unless storage.swift.partitionPower sets it, it follows the disks): the running rings keep theirs, while rings.sh, the document and the capacity figures would describe rings of ${power.now}, and rings built from rings.sh would move every partition`,
      `Set storage.swift.partitionPower: ${power.before} to keep the rings, or pass --destroy-removed if no ring is built yet (or the folder holds another design)`,
      ["storage", "swift", "partitionPower"],
    );
  for (const { index, change } of swiftPolicyChanges(previous, model))
    decide(
      destroyRemoved,
      `Swift's storage policies change: ${change}`,
      "Keep each storage policy at its place in storage.swift.policies, replicated or erasure-coded as it was (an erasure-coded policy's scheme is fixed for life: make another policy and move the objects), and add new ones at the end; or pass --destroy-removed if Swift holds no objects yet (or the folder holds another design)",
      index < (model.storage.swift?.policies.length ?? 0)
        ? ["storage", "swift", "policies", index]
        : ["storage", "swift", "policies"],
    );
  for (const { tenant } of newlyTiered(previous, model).filter((t) => t.fresh))
    decide(
      destroyRemoved,
      `tenant ${tenant.id}'s tiers would cut its running instances off from each other at once: the next apply makes the tier groups and drops the base group's rules that let them talk, before any of them can be in a tier's group`,
      `Set tenants[${tenantIndex(tenant.id)}].tiersEnforced: false for this synth, add each running instance to its tier's group once the apply has made them, then remove it; or pass --destroy-removed to cut them apart at once`,
      ["tenants", tenantIndex(tenant.id), "tiers"],
    );
  for (const { tenant, tiers } of droppedTiers(previous, model))
    decide(
      destroyRemoved,
      `tenant ${tenant.id}'s ${tiers.length === 1 ? "tier" : "tiers"} ${tiers.join(", ")} ${tiers.length === 1 ? "leaves" : "leave"} the design: Neutron refuses to delete a security group a port still uses, and the apply would stop there once ${tiers.length === 1 ? "its" : "their"} rules, and other tiers' rules naming ${tiers.length === 1 ? "it" : "them"}, are gone`,
      `Remove the instances from ${tiers.length === 1 ? "its group" : "their groups"} first (openstack server remove security group <server> ${tiers.map((g) => openstackName(model.naming.prefix, tenant.id, "tier", g)).join(" | ")}), then pass --destroy-removed; or keep the ${tiers.length === 1 ? "tier" : "tiers"}`,
      ["tenants", tenantIndex(tenant.id), "tiers"],
    );
  const destroyed = destroyedItems(previous, model);
  if (destroyed.length) {
    const [first] = destroyed;
    const tenant = first.tenant === undefined ? -1 : tenantIndex(first.tenant);
    decide(
      destroyRemoved,
      `the previous synth planned what this design drops, and the next apply would destroy or replace it: ${destroyed.map((d) => d.text).join("; ")}`,
      "Keep it in the design, or pass --destroy-removed if that is meant (or the folder holds another design)",
      tenant >= 0
        ? ["tenants", tenant, ...first.at]
        : first.tenant
          ? ["tenants"]
          : first.host
            ? hostPlacePath(first.host)
            : first.at,
    );
  }
  const tenantsOf = new Map<string, string[]>();
  for (const [tenant, stack] of [...previous.tenantStacks].sort(([a], [b]) => (a < b ? -1 : 1)))
    tenantsOf.set(stack, [...(tenantsOf.get(stack) ?? []), tenant]);
  return {
    refusals,
    tenantsOf,
    accepted,
    stateBackend: stateBackendChange(previous, model),
    legacyVpn: model.legacyUnix?.vpn !== undefined,
    undercloud: model.undercloud !== undefined,
    groupsAhead: keystoneGroupsAhead(previous, model),
    poolTenants: newPoolTenants(previous, model),
    tiered: newlyTiered(previous, model),
    moving: tiersMoving(previous, model),
    adopted: serverGroupsAdopted(previous, model),
    egress: newlyRestrictedEgress(previous, model),
    passthrough: newPassthroughHosts(previous, model),
    devices: passthroughChanges(previous, model),
    joined: joinedNetworks(previous, model),
    providerVlans: newProviderVlans(previous, model),
    pgNums: pgNumChanges(previous, model),
    monitors: movedMonitors(previous, model),
    volumeServices: movedVolumeServices(previous, model),
    grants: movedGrants(previous, model),
    sizes: flavorSizeChanges(previous, model),
    serverGroups: serverGroupChanges(previous, model),
    quotas: loweredQuotas(previous, model),
    legacyGroups: gainedLegacyGroups(previous, model),
    flavors: droppedFlavors(previous, model),
    octavia: octaviaTopologyChange(previous, model),
    octaviaKey: octaviaHeartbeatKeyed(previous, model),
    metricStore: metricStoreChange(previous, model),
    valkey: valkeyChange(previous, model),
    legacyGateway: legacyGatewayLeft(previous, model),
    firewallDropped: firewallDropped(previous, model),
    firewallAdded: firewallAdded(previous, model),
    unshared: unsharing.map((u) => ({
      ...u,
      neutronName: openstackName(model.naming.prefix, u.network),
    })),
    registry: registryChange(previous, model),
    vips: movedVips(previous, model),
    ceph: model.storage.ceph !== undefined,
    withdrawnRules: firewallRulesWithdrawn(previous, model),
    droppedRules: firewallRulesDropped(previous, model),
    rekeyedSsh: rekeyedSshSources(previous, model),
    respeltState: respeltLocalState(outDir, model),
    rgwCaMount: rgwCaMountAdded(outDir, model),
    privateVolumeTypes: privatizedVolumeTypes(previous, model),
    defaultVolumeType: defaultVolumeTypeChange(previous, model),
    backupDropped: backup,
    backupPolicy: backupPolicyChange(previous, model),
    externalTls: externalTlsOn(previous),
    dbDevices: dbDevicesNarrowed(previous, model),
    dbDevicesMoved: dbDevicesChanged(previous, model),
    crush: crushChanges(previous, model),
    swiftMoved: swiftPlacesMoved(previous, model),
    swiftDevices: swiftDeviceChanges(previous, model),
    swiftRings: swiftRingChanges(previous, model),
    droppedServices: droppedServices(previous, model),
    provisioned: newlyProvisioned(previous, model),
    newComputes: newComputeHosts(previous, model),
    newKolla: newKollaHosts(previous, model),
    newHosts: newHostPins(previous, model, accept.pinned),
    newCeph: newCephHosts(previous, model),
    deployment: deploymentChanges(previous, model),
    servers: serverChanges(previous, model),
    newDirectories: newDirectoryDomains(previous, model),
    legacyRoutes: droppedLegacyRoutes(previous, model),
    legacyGatewayBefore: previous.legacyGateway === true,
  };
}

/**
 * One note per move (hosts of one role from one thing to another): what keeps running as it
 * was, and how each is redeployed, controllers one at a time to keep their clusters' quorum.
 */
function serverChangeNotes(changes: ReturnType<typeof serverChanges>): string[] {
  const groups = new Map<string, typeof changes>();
  for (const c of changes) {
    const key = [c.role, c.from, c.to, c.undercloud].join("\n");
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((g) => {
    const { role, from, to, undercloud, vm, vmBefore } = g[0];
    const { flavor, classes } = g[0];
    const roles = new Set(g.flatMap((c) => c.roles));
    const one = g.length === 1;
    const hosts = `${one ? "host" : "hosts"} ${someOf(
      g.map((c) => c.host),
      5,
    )}`;
    const stops =
      role === "compute"
        ? ", and on the old one they can stop its services (nova-compute refuses a cpu_dedicated_set past the host's CPUs)"
        : "";
    // What each host's role needs between two redeploys, and what goes with its disks.
    const between = [
      roles.has("controller")
        ? "after each, kolla-ansible bootstrap-servers -i deploy/kolla/inventory --limit control, kolla-ansible pull -i deploy/kolla/inventory --limit <host> and kolla-ansible deploy -i deploy/kolla/inventory --limit control (a --limit holding every controller, as Kolla-Ansible asks where controllers join), the database and message queue clusters whole again before the next"
        : "",
      roles.has("ceph-osd") || roles.has("ceph-mon")
        ? "each drained first (ceph orch host drain <host>) and the cluster HEALTH_OK again before the next"
        : "",
      roles.has("swift-storage") ? "Swift's replication done before the next" : "",
      role === "compute" ? "each drained first" : "",
      roles.has("deployer")
        ? "with /etc/kolla (passwords.yml) and this folder copied off the deployment host first: they live on it"
        : "",
    ].filter(Boolean);
    const after = between.length ? `; ${between.join("; ")}` : "";
    const node = vm
      ? ""
      : classes
        ? `, with flavor ${flavor} asking for the new profile's resource class first (openstack flavor unset --property resources:${classes.from} ${flavor}, then openstack flavor set --property resources:${classes.to}=1 ${flavor}) and a node of it free`
        : ", with a node of the new flavor's resource class free";
    const redeploy = !undercloud
      ? `install them only once ${one ? "it runs" : "they run"} on the new one`
      : vm && vmBefore
        ? `resize ${one ? "it" : "each, one at a time,"} on the undercloud before installing them (openstack server resize --flavor <flavor> <server>, then openstack server resize confirm <server>), which keeps its disk${after}`
        : `redeploy ${one ? "it" : "each, one at a time,"} before installing them: terraform -chdir=terraform/baremetal apply -replace=<its server> (terraform state list names it)${node}, which wipes its disks${after}`;
    return `${hosts} ${one ? "changes" : "change"} from ${from} to ${to}: ${undercloud ? "nothing redeploys a running host (the bare-metal stack keeps a server as it was deployed, whatever its flavor)" : `the running ${one ? "host stays" : "hosts stay"} what ${one ? "it is" : "they are"}`}, while ${one ? "its" : "their"} Kolla and netplan settings now fit ${to}${stops}; ${redeploy}; or keep ${from} for ${one ? "it" : "them"} in the design`;
  });
}

function visibilityChange(c: { pool: string; flavor: string; public: boolean }): string {
  return c.public
    ? `flavor ${c.flavor} of pool ${c.pool} becomes public (no tenant lists it now): Nova replaces it with a new id and every project sees it; set public: false on it to keep it private`
    : `flavor ${c.flavor} of pool ${c.pool} becomes private (a tenant lists it now): Nova replaces it with a new id and projects that do not list it lose it; leave it off the tenants' flavors to keep it public (every project sees a public flavor)`;
}

/**
 * What this plan changes that the previous synth into the folder planned, said once the files
 * are written (a refused run says nothing of changes it did not make). Like a key pair changing
 * owner, a replacement is said even to a pipe.
 */
function printDayTwoNotes(replaced: ReturnType<typeof dayTwoChanges>): void {
  for (const c of replaced.sizes)
    process.stderr.write(
      `flavor ${c.flavor} of pool ${c.pool} changes size (${c.from} -> ${c.to}): Nova replaces it with a new id, and projects that were granted it must be applied again; add a flavor of the new size instead to keep this one\n`,
    );
  for (const p of replaced.pgNums)
    process.stderr.write(
      `Ceph pool ${p.pool} is now planned with pg_num ${p.to} (was ${p.from}): pools.sh only creates pools, so a pool it made keeps the number it was made with; change it with ceph osd pool set ${p.pool} pg_num ${p.to} if wanted (Ceph then moves data between placement groups)\n`,
    );
  if (replaced.monitors)
    process.stderr.write(
      `Ceph's monitors move from ${replaced.monitors.from.join(", ")} to ${replaced.monitors.to.join(", ")} (they are the OSD hosts that spread them most over sites, zones and racks, and that choice changed): ceph orch apply -i deploy/ceph/cluster.yaml moves them, and the RADOS Gateways with them, one at a time; then write Kolla-Ansible's ceph.conf again as deploy/README.md says (generate-minimal-conf) and run kolla-ansible reconfigure, or the services keep the old monitors' addresses\n`,
    );
  for (const v of replaced.volumeServices) {
    // Each old host's volumes to one of the new hosts, in turn.
    const moves = v.from.map(
      (h, i) =>
        `cinder-manage volume update_host --currenthost ${h}@${v.backend}#${v.pool} --newhost ${v.to[i % v.to.length]}@${v.backend}#${v.pool}`,
    );
    process.stderr.write(
      `Ceph backend ${v.backend}'s cinder-volume moves from ${v.from.join(", ")} to ${v.to.join(", ")}: Cinder keeps each volume under the host that made it, so after kolla-ansible deploy stop cinder-volume on the old hosts (Kolla-Ansible leaves it running there) and move their volumes: ${moves.join("; ")}${v.cluster ? `; they also carry the old hosts' cluster ${v.cluster}, which cinder-manage cannot change: clear it in Cinder's database (UPDATE volumes SET cluster_name = NULL WHERE cluster_name LIKE '${v.cluster}@${v.backend}%')` : ""}\n`,
    );
  }
  for (const g of replaced.grants)
    process.stderr.write(
      `grant ${g.grant} of tenant ${g.tenant} moves ${g.listed ? "from identity.groupRoleMappings to the tenant's groups" : "from the tenant's groups to identity.groupRoleMappings"}: Terraform gives it another address and may delete the old one after creating the new, which is one Keystone grant; apply the tenant's stack a second time to restore it\n`,
    );
  for (const c of replaced.serverGroups)
    process.stderr.write(
      !c.managed
        ? c.change === "leaves the design"
          ? `server group ${c.group} of tenant ${c.tenant} leaves the design: no stack made it (the tenant's stacks run with admin credentials), so it stays in Nova until a member of the project deletes it\n`
          : `server group ${c.group} of tenant ${c.tenant} changes (${c.change}): no stack made it (the tenant's stacks run with admin credentials), so Nova keeps it as it is; a member of the project creates the new one as the tenant stack's README says, and servers join it only when created there\n`
        : c.change === "leaves the design"
          ? `server group ${c.group} of tenant ${c.tenant} leaves the design: Nova deletes it with its members in it, and they keep no anti-affinity or affinity between them\n`
          : `server group ${c.group} of tenant ${c.tenant} changes (${c.change}): Nova replaces it, and its servers leave it (only new servers join the new group)\n`,
    );
  for (const g of replaced.legacyGroups)
    process.stderr.write(
      `tenant ${g.tenant} is newly shared ${g.groups.join(", ")}: its running instances' ports on the bridge keep the groups they have; add the new ones to them (openstack port set --security-group <group> <port>) once the platform stack made them\n`,
    );
  if (replaced.legacyRoutes.length)
    process.stderr.write(
      `the legacy router's ${replaced.legacyRoutes.length === 1 ? "route" : "routes"} to ${replaced.legacyRoutes.join(", ")} ${replaced.legacyRoutes.length === 1 ? "goes" : "go"} with the platform stack's next apply: the router is not the bridge's gateway, so the instances reach the next hop by their host routes, ${replaced.legacyGatewayBefore ? `and ${replaced.legacyRoutes.length === 1 ? "that route" : "those routes"} carried only what reached the router from elsewhere (the external network, where it had a gateway for the VPN), past the flows' security groups; anything that routed to the legacy subnets through the router's external address stops` : `and nothing else reaches the router: ${replaced.legacyRoutes.length === 1 ? "it carried" : "they carried"} nothing`}\n`,
    );
  for (const d of replaced.newDirectories)
    process.stderr.write(
      `domain ${d.domain} is new and reads a directory: ${d.passwordVariable ? `add its bind password to /etc/kolla/passwords.yml (${d.passwordVariable}, deploy/README.md) and ` : ""}run kolla-ansible reconfigure -i deploy/kolla/inventory --tags keystone, which writes its file; apply the platform stack, which makes the domain; then restart Keystone on each controller as RUNBOOK.md's platform stage does (Keystone reads a domain's file only at start-up, for domains that exist then), before the stacks that look up its groups\n`,
    );
  for (const c of serverChangeNotes(replaced.servers)) process.stderr.write(`${c}\n`);
  for (const c of replaced.deployment)
    process.stderr.write(
      c.kind === "node"
        ? `the ${c.what} changes (${c.from} -> ${c.to}): a running server stays on its machine; the node applies when it is deployed anew\n`
        : `the undercloud's ${c.what} changes (${c.from} -> ${c.to}): only servers deployed from now on take it; running hosts keep theirs${c.kind === "key-pair" ? " (the deployment host logs in to them as root with the old key)" : ""}\n`,
    );
  // Servers the undercloud provisions exist once the bare-metal stack made them and booted.
  const provisionFirst = replaced.undercloud
    ? `apply the bare-metal stack (terraform/baremetal) and wait for each new server's first boot (cloud-init status --wait on it); then `
    : "";
  if (replaced.newComputes.length)
    process.stderr.write(
      `new compute ${replaced.newComputes.length === 1 ? "host" : "hosts"} ${someOf(replaced.newComputes, 5)}: ${provisionFirst}deploy ${replaced.newComputes.length === 1 ? "it" : "them"} with Kolla-Ansible (kolla-ansible bootstrap-servers, pull, then deploy, each with --limit) before applying the platform stack, whose aggregates take a host only once Nova has registered it\n`,
    );
  for (const k of replaced.newKolla) {
    const one = k.hosts.length === 1;
    const what = {
      controller: "controller",
      network: "network node",
      "block-storage": "volume host",
    }[k.role];
    process.stderr.write(
      `new ${what}${one ? "" : "s"} ${someOf(k.hosts, 5)}: ${provisionFirst}deploy ${one ? "it" : "them"} with Kolla-Ansible: kolla-ansible bootstrap-servers, pull and deploy -i deploy/kolla/inventory --limit ${k.role === "controller" ? "control (every controller: Kolla-Ansible asks it where controllers join)" : "<the new hosts>"}${k.role === "network" ? "; existing routers and networks stay on their agents until moved (openstack network agent remove router and add router, for L3 agents)" : ""}\n`,
    );
  }
  if (replaced.newCeph) {
    const { bootstrap, hosts } = replaced.newCeph;
    process.stderr.write(
      `new Ceph ${hosts.length === 1 ? "host" : "hosts"} ${someOf(hosts, 5)}: ${provisionFirst}deploy/README.md's Ceph commands bootstrap a cluster and are not run again; on ${bootstrap}, give ${hosts.length === 1 ? "it" : "them"} the cluster's SSH key (cat /etc/ceph/ceph.pub into root's authorized_keys there, as the README does for the first hosts), then ceph orch apply -i with the new cluster.yaml adds ${hosts.length === 1 ? "it" : "them"} and makes ${hosts.length === 1 ? "its" : "their"} OSDs, and Ceph moves data onto them\n`,
    );
  }
  if (replaced.provisioned.length)
    process.stderr.write(
      `warning: the bare-metal stack now provisions ${someOf(replaced.provisioned, 5)}, which the previous synth into this folder planned without an undercloud: if they run already, its apply would deploy other machines with their addresses; leave cloud.undercloud out for running hosts\n`,
    );
  const dvt = replaced.defaultVolumeType;
  if (dvt)
    process.stderr.write(
      dvt.to === undefined
        ? `Cinder's default volume type ${dvt.from} is no longer set (no backend is public): delete /etc/kolla/config/cinder.conf (copying deploy/kolla/config removes no file) and run kolla-ansible reconfigure -t cinder before applying the platform stack, which may delete or rename the type; Cinder refuses to delete any volume type while its default names none that exists\n`
        : `Cinder's default volume type ${dvt.from === undefined ? `is now ${dvt.to}` : `changes from ${dvt.from} to ${dvt.to}`}: apply the platform stack (it makes the type, or renames it), then run kolla-ansible reconfigure -t cinder; while cinder.conf names a type that does not exist, volumes created without a type fail and Cinder refuses to delete any volume type (if the platform apply fails so, apply it again after the reconfigure)\n`,
    );
  const bk = replaced.backupDropped;
  if (bk) {
    const cleanUp = bk.to
      ? `after kolla-ansible reconfigure -t cinder it writes ${bk.to} backups`
      : "Kolla-Ansible removes no service it stops deploying, so on each host of its cinder-backup group run docker rm -f cinder_backup, then cinder-manage service remove cinder-backup <host>";
    process.stderr.write(
      bk.heldBackups
        ? `cinder-backup ${bk.to ? `moves from ${bk.driver} to ${bk.to}` : "leaves the design"}: the backups it took ${backupPlace(bk.driver)} can no longer be restored or deleted through Cinder (it uses the driver that took each); ${cleanUp}; delete them only once they are not needed\n`
        : `cinder-backup ${bk.to ? `moves from ${bk.driver} to ${bk.to}` : "leaves the design"} (its Ceph backups had no Ceph volume backend beside them, without which Kolla gives it no Ceph configuration, so none worked): ${cleanUp}; the backups pool holds nothing and can go (ceph osd pool rm)\n`,
    );
  }
  const policy = replaced.backupPolicy;
  if (policy)
    process.stderr.write(
      `cinder-backup creates its Swift containers in storage policy ${policy.to}, where it created them in ${policy.from}: Cinder sets a container's policy only when it creates it, so each project that has backups keeps writing them in ${policy.from}, and only projects backing up for the first time after kolla-ansible reconfigure -t cinder get ${policy.to}; to move a project's, delete its backups, then its container, which its next backup makes again\n`,
    );
  if (replaced.externalTls)
    process.stderr.write(
      "Kolla's external endpoints now have TLS (without an external VIP they are on the internal one, and Kolla's prechecks refuse TLS on one side only): put haproxy.pem beside haproxy-internal.pem in /etc/kolla/certificates, then kolla-ansible reconfigure registers the public endpoints as https\n",
    );
  if (replaced.dbDevices.length)
    process.stderr.write(
      `cephadm's spinning OSD specs now take RocksDB devices of one size only (${replaced.dbDevices.map((d) => `${d.deviceClass}: ${d.band ? `${d.band.minGB}G:${d.band.maxGB}G` : "none"}`).join(", ")}), where they took every free solid-state disk, another class's OSD disks too: check ceph osd tree for missing solid-state OSDs and ceph-volume lvm list for RocksDB on them, and redeploy those OSDs after ceph orch apply -i cluster.yaml; OSDs made already keep their layout\n`,
    );
  if (replaced.swiftMoved.length)
    process.stderr.write(
      `Swift's rings place storage nodes elsewhere (${replaced.swiftMoved.map((m) => `${m.node}: ${m.from} -> ${m.to}`).join(", ")}): config/swift/rings.sh builds new rings only, so on the running cluster move their devices in every ring's builder (swift-ring-builder <ring>.builder set_region or set_zone with the node's address, then rebalance) and copy the rings to every Swift node; each rebalance moves at most one replica of a partition per min_part_hours\n`,
    );
  const rings = replaced.swiftRings;
  if (rings?.added.length) {
    const files = rings.added.map((r) => `${r.ring}.ring.gz`);
    process.stderr.write(
      `Swift gains ${rings.added.length === 1 ? "storage policy" : "storage policies"} ${rings.added.map((r) => `${r.policy} (index ${r.index}, ring ${r.ring})`).join(", ")}: on the host that built the rings run config/swift/rings.sh again (it builds the rings whose builders are missing and keeps the others), copy ${files.join(", ")} to /etc/swift on every Swift node, and only then merge the new [storage-policy:<index>] ${rings.added.length === 1 ? "section" : "sections"} of config/swift/swift.conf into every Swift node's swift.conf and restart the proxies: a proxy refuses to start while a policy's ring is missing\n`,
    );
  }
  for (const r of rings?.replicas ?? [])
    process.stderr.write(
      `Swift's ${r.ring} ring goes from ${r.from} to ${r.to} replicas: rings.sh keeps running rings, so on the host that built them run swift-ring-builder ${r.ring}.builder set_replicas ${r.to}, then swift-ring-builder ${r.ring}.builder rebalance, and copy ${r.ring}.ring.gz to every Swift node; each rebalance moves at most one replica of a partition per min_part_hours\n`,
    );
  const devices = replaced.swiftDevices;
  if (devices) {
    const what = [
      ...(devices.added.length ? [`${someOf(devices.added, 5)} join`] : []),
      ...(devices.removed.length ? [`${someOf(devices.removed, 5)} leave`] : []),
      ...(devices.disks
        ? [`each node's disks go from ${devices.disks.before} to ${devices.disks.now}`]
        : []),
    ].join("; ");
    process.stderr.write(
      `Swift's rings change on a running cluster (${what}): config/swift/rings.sh builds new rings only, so run its swift-ring-builder add lines for new devices against the running builders, remove leaving ones (swift-ring-builder <ring>.builder remove <address>/<device>) before their hosts or disks go, rebalance (each rebalance moves at most one replica of a partition per min_part_hours) and copy the rings to every Swift node\n`,
    );
  }
  if (replaced.crush) {
    const { from, to, moves, erasure, rulesFirst, afterwards } = replaced.crush;
    const word = (d: string) => (d === "datacenter" ? "sites (CRUSH datacenters)" : `${d}s`);
    const move = moves.length
      ? `cephadm places only the hosts it adds, so move those it has to where this plan puts them (${moves.join("; ")}: a bucket already there stays, and Ceph moves the data of those that stood elsewhere)`
      : "";
    const rules = from
      ? [
          `run deploy/ceph/pools.sh again: it makes the new rules and moves every replicated pool and Ceph's own onto them (Ceph moves much of the data: let it finish before other changes)`,
          ...(erasure.length
            ? [
                `erasure-coded pools keep the rule they were made with: move them with ${erasure.join("; ")}`,
              ]
            : []),
        ]
      : [];
    const steps = (rulesFirst ? [...rules, move] : [move, ...rules]).filter(Boolean);
    process.stderr.write(
      `${from && to ? `Ceph now keeps the copies of its data in distinct ${word(to)}, where it kept them in distinct ${word(from)}` : "Ceph's OSD hosts stand elsewhere in this plan's CRUSH map"}: ${steps.map((step, n) => (steps.length === 1 ? step : n === 0 ? `first ${step}` : `then ${step}`)).join("; ")}${rulesFirst ? " (the racks stay in their former sites' buckets meanwhile: the new rules find them there, and moved first they would leave the old rules no copies to place)" : ""}${afterwards.length ? `; once Ceph reports HEALTH_OK again, empty the former sites' buckets and remove them (${afterwards.join("; ")}; the changed hierarchy moves data once more), or a rack or host later named like one would stop cephadm adding it` : ""}\n`,
    );
  }
  if (replaced.dbDevicesMoved.length)
    process.stderr.write(
      `the spinning OSDs' RocksDB devices change (${replaced.dbDevicesMoved.map((d) => `${d.deviceClass}: ${d.from} -> ${d.to}`).join(", ")}): cephadm applies db_devices to the OSDs it makes from then on, and those made already keep their RocksDB where it is (ceph-volume lvm list shows where); to move an OSD's, replace it (ceph orch osd rm <id> --replace --zap) one host at a time once the cluster is healthy\n`,
    );
  for (const type of replaced.privateVolumeTypes)
    process.stderr.write(
      `volume type ${type} becomes private: projects that do not list it can create no more volumes of it (their volumes stay)\n`,
    );
  if (replaced.registry) {
    const { from, to } = replaced.registry;
    const kolla = `Kolla's own, ${KOLLA_IMAGES}`;
    process.stderr.write(
      `Kolla's images come from ${to || kolla} now, from ${from || kolla} before: every container's image changes, so the next kolla-ansible deploy, reconfigure or upgrade recreates each from there; ${to ? "copy the running release's images there first (kolla-ansible pull on every host then fetches them)" : "a site without the internet cannot reach it, and from 22.0.0 on Kolla-Ansible's prechecks refuse those test images without --use-test-images"}${replaced.ceph ? "; cephadm keeps the Ceph image and registry it was given (ceph config set global container_image <image> and ceph cephadm registry-login move them)" : ""}\n`,
    );
  }
  for (const v of replaced.vips)
    process.stderr.write(
      `the ${v.name} VIP moves from ${v.from} to ${v.to}: ${v.fqdn === v.to ? `Kolla's endpoints and certificates name the address itself, so the certificate ${v.name === "internal" ? "(haproxy-internal.pem)" : "(haproxy.pem)"} must carry ${v.to} before kolla-ansible reconfigure` : `point ${v.fqdn} at ${v.to} in DNS before kolla-ansible reconfigure (Kolla's endpoints and certificates name it, so they stay)`}, which moves keepalived and the endpoints Kolla registers; Swift's, registered by hand (deploy/README.md), move with openstack endpoint set${v.fqdn === v.to ? "" : " where they name the address"}, and clients that name the address follow it\n`,
    );
  for (const u of replaced.unshared)
    process.stderr.write(
      `provider network ${u.network} stops being shared with every project: Neutron refuses that (InvalidSharedSetting, and the platform stack's apply stops) while a project without a share of its own has ports on it${u.granted.length ? `; ${someOf(u.granted, 5)} ${u.granted.length === 1 ? "holds one" : "hold one each"}` : "; no tenant holds one"}${u.pending.length ? `; ${someOf(u.pending, 5)} ${u.pending.length === 1 ? "gets its" : "get theirs"} only from ${u.pending.length === 1 ? "its" : "their"} stack, applied after the platform stack` : ""}; other projects' ports there must go first (as admin, openstack port list --network ${u.neutronName} lists every project's, and openstack port show <port> -c project_id names its project)\n`,
    );
  if (replaced.legacyGateway)
    process.stderr.write(
      `the legacy bridge's router has no gateway on the external network without a VPN (with one, hosts there could route to the legacy subnets past the declared flows), but Terraform leaves the running one in place (the provider reads it back): clear it with openstack router unset --external-gateway ${replaced.legacyGateway}\n`,
    );
  if (replaced.firewallAdded.length)
    process.stderr.write(
      `the firewall joins the design: applying the tenant stacks puts a firewall group on the routers of ${someOf(replaced.firewallAdded, 5)}, which admits inbound only what its policy names (SSH and ICMP from the tenant's sshCidrs, HTTP and HTTPS from the users, the legacy flows, what it publishes) and drops the rest, so other inbound flows to running instances stop then: add what they need to securityZones before applying, and apply them in a window\n`,
    );
  if (replaced.firewallDropped)
    process.stderr.write(
      `the firewall leaves the design: apply every tenant stack (and each tenant's network stack, with project credentials) before the platform stack this time, as their firewall groups use the platform's policies and Neutron deletes no policy a group uses (FirewallPolicyInUse)${replaced.firewallDropped.fwaasLeaves ? "; and both before the deploy stage drops neutron-fwaas: without it Terraform forgets the groups instead of deleting them, and their rules stay on the routers (with OVN, as ACLs in its database that nothing removes)" : ""}\n`,
    );
  // (tenants dropping the same rules said at once: an upgrade drops the admin rules of many)
  const dropped = new Map<string, { rules: readonly string[]; tenants: string[] }>();
  for (const d of replaced.droppedRules) {
    const key = d.rules.join("\n");
    dropped.set(key, {
      rules: d.rules,
      tenants: [...(dropped.get(key)?.tenants ?? []), d.tenant],
    });
  }
  for (const d of dropped.values())
    process.stderr.write(
      `${d.tenants.length === 1 ? `tenant ${d.tenants[0]}'s router no longer lets` : `the routers of tenants ${someOf(d.tenants, 5)} no longer let`} in what the platform's rules ${d.rules.join(", ")} allow: applying ${d.tenants.length === 1 ? "its stack" : "their stacks"} cuts that traffic to ${d.tenants.length === 1 ? "its" : "their"} instances${d.rules.some((r) => r.startsWith("admin-")) ? ` (a router holds the admin networks' SSH and ICMP only where the tenant's sshCidrs name them, as its base group admits nothing else from there: add the admin networks to ${d.tenants.length === 1 ? "its" : "their"} sshCidrs to keep them)` : ""}\n`,
    );
  if (replaced.withdrawnRules.length)
    process.stderr.write(
      `the platform stack deletes firewall rules the routers of tenants hold (${replaced.withdrawnRules.map((w) => `${w.rule}: ${someOf(w.tenants, 5)}`).join("; ")}): it takes each out of their policies first, so until a tenant's own stack is applied with the rules the design has now, its router drops that traffic; apply those stacks right after the platform stack${pendingRemovals(replaced.withdrawnRules) ? ". Terraform takes rules out of a policy in parallel, and Neutron refuses to change one whose firewall group the L3 agents are still updating (409 FirewallGroupInPendingState): if the platform apply stops so, run it again, it goes on where it stopped" : ""}\n`,
    );
  if (replaced.rekeyedSsh.length)
    process.stderr.write(
      `tenants' SSH and ICMP rules are now made at addresses of the block, not of the source as written (${someOf(
        replaced.rekeyedSsh.map((r) => `${r.tenant}: ${r.written} as ${r.cidr}`),
        5,
      )}): the next apply of their stacks deletes the old rules and creates the same ones again, and Neutron refuses a rule while its twin stands (SecurityGroupRuleExists); if that apply fails so, apply it again\n`,
    );
  if (replaced.metricStore)
    process.stderr.write(
      `Gnocchi's metric store moves from ${replaced.metricStore.from} to ${replaced.metricStore.to} (it follows the design's storage): after kolla-ansible reconfigure -t gnocchi,ceilometer Gnocchi starts an empty store there, and the metrics so far stay in ${replaced.metricStore.from}, which Gnocchi moves nowhere; export what must be kept first\n`,
    );
  if (replaced.valkey) {
    const drain =
      "stop Ceilometer's publishers (its ceilometer_notification containers) and let gnocchi-metricd process what waits (`gnocchi status` shows no measures to process) before kolla-ansible deploy, or those measures stay behind unread";
    process.stderr.write(
      replaced.valkey.change === "joins"
        ? `Valkey joins the controllers for Octavia's jobboard: Kolla-Ansible 20.4.0 or later, and on a cloud whose passwords.yml came from an earlier release, kolla-mergepwd with the new release's passwords.yml first (it adds valkey_master_password)${replaced.valkey.gnocchi ? `; Kolla-Ansible moves Gnocchi's incoming measures into it: ${drain}` : ""}\n`
        : `Valkey leaves the controllers with Octavia's jobboard, and Kolla-Ansible removes no service it no longer deploys: after kolla-ansible deploy, stop and remove the valkey_server and valkey_sentinel containers on the controllers${replaced.valkey.gnocchi ? `; Gnocchi's incoming measures move out of Valkey: ${drain}` : ""}\n`,
    );
  }
  // Neutron's extensions are no containers of their own, and Kolla-Ansible deploys no Swift.
  const kollaServices = replaced.droppedServices.filter((s) => !NOT_KOLLA_CONTAINERS.has(s));
  if (kollaServices.length)
    process.stderr.write(
      `${someOf(kollaServices, 5)} ${kollaServices.length === 1 ? "leaves" : "leave"} the design, and Kolla-Ansible removes no service it no longer deploys: its containers keep running on their hosts, and its catalog entries, users and database stay; after kolla-ansible deploy, stop and remove the containers named after it on each host (docker ps --filter name=<service>), delete its endpoints and service (openstack service delete) and drop its database if its data is not needed\n`,
    );
  const extensions = replaced.droppedServices.filter((s) => s === "fwaas" || s === "vpnaas");
  if (extensions.length)
    process.stderr.write(
      `Neutron's ${extensions.join(" and ")} ${extensions.length === 1 ? "extension leaves" : "extensions leave"} the design: delete what the projects made with ${extensions.length === 1 ? "it" : "them"} (${[
        extensions.includes("fwaas") ? "firewall groups, policies and rules" : "",
        extensions.includes("vpnaas") ? "VPN services and IPsec connections" : "",
      ]
        .filter(Boolean)
        .join(
          "; ",
        )}) before kolla-ansible reconfigure -t neutron stops loading ${extensions.length === 1 ? "it" : "them"}, as Neutron keeps them in its database\n`,
    );
  if (replaced.droppedServices.includes("swift"))
    process.stderr.write(
      "Swift leaves the design: Kolla-Ansible never deployed it, so its proxies and storage servers keep running as installed; stop them on their hosts, and delete its endpoints and service (openstack service delete) once no client needs its objects\n",
    );
  if (replaced.rgwCaMount)
    process.stderr.write(
      `deploy/ceph/cluster.yaml now mounts each gateway host's CA bundle (${RGW_CA_BUNDLE}) into the RADOS Gateways, so they trust Kolla's CA: cephadm redeploys them when it is applied again, and a host without the file starts none (Podman refuses a missing mount). Make the file on every gateway host first (deploy/README.md section 1's lines), then apply it, and add Kolla's CA as its gateway section says\n`,
    );
  if (replaced.octaviaKey)
    process.stderr.write(
      `Octavia's heartbeat key becomes ${replaced.octaviaKey} of /etc/kolla/passwords.yml (Kolla-Ansible left it insecure). If this Octavia runs: its amphorae keep signing with the old key, so once a kolla-ansible deploy or reconfigure applies the new one, the health managers drop their heartbeats and fail every load balancer over to new amphorae, a short outage each. Either set ${replaced.octaviaKey}: 'insecure' there until a maintenance window, or set [health_manager] failover_threshold for the change, reconfigure, and run openstack loadbalancer amphora configure on each amphora (it rereads its key), then remove the threshold\n`,
    );
  if (replaced.octavia)
    process.stderr.write(
      `Octavia's load balancers change from ${replaced.octavia.from} to ${replaced.octavia.to}: after kolla-ansible reconfigure -t octavia, load balancers created from then on are ${replaced.octavia.to}; Octavia keeps each existing one's topology, failovers included, so recreate those that should change\n`,
    );
  for (const q of replaced.quotas)
    process.stderr.write(
      `tenant ${q.tenant}'s ${q.services.join(", ")} quotas go down (${q.lowered.join(", ")}): OpenStack refuses a limit below what the project uses, which fails its stack's apply; check the project's usage first\n`,
    );
  for (const f of replaced.flavors)
    process.stderr.write(
      f.to !== undefined
        ? `flavor ${f.flavor} moves from pool ${f.pool} to ${f.to}: Terraform may create the new one before deleting the old, which Nova refuses (flavor names are unique); apply the platform stack twice, or drop it in one synth and add it in the next${f.private ? "; the tenants granted it lose it until their stacks are applied again (each grant names the old flavor's id)" : ""}\n`
        : `flavor ${f.flavor} of pool ${f.pool} leaves the design: the platform stack deletes it; running instances keep their copy, new ones cannot take it\n`,
    );
  const moved = replaced.stateBackend;
  if (moved)
    process.stderr.write(
      `the stacks' state moves ${moved.from === moved.to ? `to another ${moved.to} backend` : `from the ${moved.from} backend to ${moved.to}`}: in every stack's folder, before any plan, run terraform init -migrate-state (its other choice, -reconfigure, starts from an empty state and would create everything again)${moved.from === "local" ? `; then delete each folder's terraform.tfstate and terraform.tfstate.backup, which still hold the state, sensitive values${replaced.legacyVpn ? " (the legacy VPN's pre-shared key)" : ""} in plain text among it` : ""}\n`,
    );
  // What --destroy-removed accepted, each named: the next apply does it.
  for (const what of replaced.accepted)
    process.stderr.write(`warning: accepted with --destroy-removed: ${what}\n`);
}

/** Where a backup driver kept the backups, in words. */
const backupPlace = (driver: string) =>
  driver === "ceph" ? "in its Ceph pool" : `in ${driver === "swift" ? "Swift" : driver}`;

/**
 * ` --tags nova,neutron` where only services' own overrides changed (config/<service>/... or
 * config/<service>.conf: Kolla's role of that name, haproxy the load balancer's tag), so the
 * reconfigure touches no other service; nothing where globals.yml or the inventory changed.
 */
export function kollaTags(changed: readonly string[]): string {
  const tags = new Set<string>();
  for (const file of changed) {
    const m = /^config\/([a-z0-9-]+?)(?:\.conf)?(?:\/|$)/.exec(file);
    // (global.conf is read by every service)
    if (!m || m[1] === "global") return "";
    tags.add(m[1]);
  }
  return ` --tags ${[...tags].sort().join(",")}`;
}
