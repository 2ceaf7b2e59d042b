import type { Model } from "../model/types";
import type { SynthesizedStack } from "./app";
import { markdownCode, markdownLiteral } from "../core/markdown";

/** Text that may carry the design's names, as one line of literal Markdown (no HTML, no links). */
const cell = (text: string) => markdownLiteral(text.replace(/\s*\n\s*/g, " "));
const code = markdownCode;

/**
 * `README.md` of one stack folder: what the stack holds, the cloud entry it authenticates with,
 * its inputs and outputs, and what must be applied or installed before it.
 */
export function stackReadme(stack: SynthesizedStack, model: Model): string {
  const lines: string[] = [`# Stack ${stack.name}`, ""];
  if (stack.description) lines.push(cell(stack.description), "");

  lines.push("## Cloud", "");
  const undercloud = model.undercloud !== undefined && stack.cloud === model.undercloud.cloud;
  const projectScoped = !undercloud && stack.cloud !== model.cloud.cloud;
  const stage = model.lifecycle.findIndex((st) => st.id === "tenant-networks") + 1;
  lines.push(
    `The provider authenticates with the ${code(stack.cloud)} entry of \`clouds.yaml\` (or ` +
      "`OS_*` variables) in region " +
      `${code(undercloud && model.undercloud ? model.undercloud.region : model.cloud.region)}; no credential is written here. ` +
      (undercloud
        ? "That entry is the undercloud (Nova with Ironic), with rights to create servers there."
        : projectScoped
          ? `That entry holds an application credential of the tenant's own project (\`auth_type: v3applicationcredential\`), created by a member of the project once its onboarding stack is applied (RUNBOOK.md, stage ${stage}, says how): these resources need no cloud-admin rights, and the key pairs belong to that member.`
          : stack.name === "platform" || stack.readsFrom.length === 0
            ? "It needs cloud-admin credentials."
            : "Onboarding a project (project, quotas, role assignments, flavor and volume-type access) needs cloud-admin credentials."),
    "",
  );

  lines.push("## Apply before this stack", "");
  const before: string[] = stack.readsFrom.map(
    (s) => `Stack ${code(s)}: this one reads its outputs through \`terraform_remote_state\`.`,
  );
  // The directories whose groups this stack's grants name: its tenants', or the domain grants'.
  const stackOf = new Map(model.tenants.map((t) => [t.id, t.stack]));
  const looked = new Set(
    model.identity.assignments
      .filter((a) =>
        a.tenant !== undefined
          ? stackOf.get(a.tenant) === stack.name
          : model.identity.domainRoleStack === stack.name,
      )
      .map((a) => a.groupDomain),
  );
  const ldap = model.identity.domains.filter(
    (d) => d.ldap && (looked.size === 0 || looked.has(d.name)),
  );
  if (stack.readsGroups)
    for (const d of ldap)
      before.push(
        `The Keystone configuration of domain ${code(d.name)} (\`deploy/kolla/config/keystone/domains/keystone.${d.name}.conf\`, ` +
          "which Kolla-Ansible deploys), and Keystone restarted after the platform stack made the " +
          "domain (RUNBOOK.md, platform stage): until then the directory groups this stack looks " +
          "up do not exist and the lookups fail.",
      );
  if (before.length === 0) before.push("Nothing: apply this stack first.");
  lines.push(...before.map((b) => `- ${b}`), "");

  lines.push("## Inputs", "");
  if (stack.variables.length === 0)
    lines.push("None: the stack needs no input variables (see `terraform.tfvars.example`).", "");
  else {
    lines.push("| Variable | Type | Sensitive | Description |", "| --- | --- | --- | --- |");
    for (const v of stack.variables)
      lines.push(
        `| ${code(v.name)} | ${code(v.type)} | ${v.sensitive ? "yes: set TF_VAR_" + v.name + " from the secret store" : "no"} | ${cell(v.description)} |`,
      );
    lines.push("");
  }

  lines.push("## Outputs", "");
  if (stack.outputs.length === 0) lines.push("None.", "");
  else {
    lines.push("| Output | Description |", "| --- | --- |");
    for (const o of stack.outputs) lines.push(`| ${code(o.name)} | ${cell(o.description)} |`);
    lines.push("");
  }

  const notes: string[] = [];
  // The provider records a server before Ironic deploys it: a failed deploy is tainted, and
  // the next apply deletes it and deploys again.
  if (undercloud)
    notes.push(
      "A server whose deployment fails (ERROR in Nova, or the create timeout) stays in the state as tainted, and the next `terraform apply` would delete it and deploy it again at once: but Nova finishes a delete while Ironic still cleans the node, which takes no deploy until it is `available` again, so a server pinned to it (`hosts[].baremetalNode`) finds no host and fails again, and one not pinned lands on another free node. Find the cause first on the undercloud (`openstack server show <host> -c fault`, `openstack baremetal node show <node> -c provision_state -c last_error`), then delete the server alone (`terraform apply -destroy -target=<its server>`; `terraform state list` names it), wait until `openstack baremetal node show <node> -f value -c provision_state` says `available` and a minute more (Nova's resource tracker sees the node again), and apply. A node left in `clean failed` is made available first (`openstack baremetal node manage <node>`, then `openstack baremetal node provide <node>`).",
    );
  if (stack.name === "platform")
    for (const c of model.storage.swift?.containers ?? []) {
      if (c.purpose === "images")
        notes.push(
          `Swift containers ${code(c.name + "_<image id>")}: Glance's multi-tenant store (\`swift_store_multi_tenant\`) writes each image to a container of its own in the account of the image's project, created on upload (\`swift_store_create_container_on_put\`), so none is created here.`,
        );
      if (c.purpose === "backups")
        notes.push(
          `Swift container ${code(c.name)} lives in each tenant's account: cinder-backup (\`backup_swift_auth = per_user\`) creates it there on a project's first backup, so it is not created here.`,
        );
    }
  if (stack.content.includes("volume_type_quota"))
    notes.push(
      "Per-volume-type quotas: provider 3.4 reads back every per-type key Cinder returns, so `volume_type_quota` is ignored after create; a change of the declared quotas replaces the quota set (`replace_triggered_by` a `terraform_data` holding them).",
    );
  // Applied as cloud admin, this stack would make the tenants' server groups in the admin project.
  for (const t of model.tenants.filter(
    (t) => t.stack === stack.name && !t.networkStack && t.serverGroups.length > 0,
  ))
    notes.push(
      `Server groups of tenant ${code(t.id)}: Nova makes a group in the project of the credentials and shows a non-admin only its own project's groups, so this stack, applied as cloud admin, does not make them. A member of the project creates them once: ` +
        t.serverGroups
          .map(
            (g) =>
              `\`openstack${g.maxServersPerHost !== undefined ? " --os-compute-api-version 2.64" : ""} server group create --policy ${g.policy}${g.maxServersPerHost !== undefined ? ` --rule max_server_per_host=${g.maxServersPerHost}` : ""} ${g.novaName}\``,
          )
          .join(", ") +
        " (with `output.tenantStacks.networkCredentials: project` its network stack makes them).",
    );
  if (notes.length) lines.push("## Notes", "", ...notes.map((n) => `- ${n}`), "");

  lines.push("## Apply", "");
  // Apply shows its plan and asks before it changes anything; a saved plan file would hold the
  // sensitive variables' values in this folder.
  lines.push("```sh", "terraform init", "terraform apply", "```");
  return `${lines.join("\n")}\n`;
}
