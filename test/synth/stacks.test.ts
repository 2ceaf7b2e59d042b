import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { enterpriseReference } from "../../blueprints/enterprise-reference";
import { loadSpecFile } from "../../model/load";
import { synthesizeTerraform, tfvarsExample } from "../../synth/app";
import { load, variant } from "../support/fixtures";
import { cli } from "../support/cli";
import { tempDir } from "../support/temp";
import { synthesized } from "../support/synth-cache";

const providerSchema = Object.values(
  JSON.parse(fs.readFileSync("providers/openstack/schema.json", "utf8")).provider_schemas as Record<
    string,
    any
  >,
)[0];

/** Nested block names of a resource type, by path. */
function resourceBlocks(type: string): any {
  return providerSchema.resource_schemas[type]?.block ?? {};
}

/** A body as plain data: metadata dropped, every block a list, as hcl2json shows it. */
function canonical(v: any, block: any): any {
  if (Array.isArray(v)) return v.map((x) => canonical(x, block));
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "//") continue;
    if (k === "lifecycle") {
      // A meta-argument block: hcl2json shows it as a list, its references as interpolations.
      const unwrap = (x: any): any =>
        Array.isArray(x) ? x.map((y) => String(y).replace(/^\$\{(.*)\}$/, "$1")) : x;
      const items = (Array.isArray(x) ? x : [x]) as Record<string, any>[];
      out[k] = items.map((item) =>
        Object.fromEntries(Object.entries(item).map(([lk, lv]) => [lk, unwrap(lv)])),
      );
      continue;
    }
    if (k === "depends_on") {
      out[k] = (x as string[]).map((d) => d.replace(/^\$\{(.*)\}$/, "$1"));
      continue;
    }
    const nested = block?.block_types?.[k];
    out[k] = nested
      ? (Array.isArray(x) ? x : [x]).map((y) => canonical(y, nested.block))
      : canonical(x, undefined);
  }
  return out;
}

const model = loadSpecFile("examples/enterprise-reference.yaml").model;

describe("stacks", () => {
  test("splits the platform from one stack per tenant, wired through remote state", async () => {
    const stacks = await synthesized(enterpriseReference, model, "json");
    expect(stacks.map((s) => s.name)).toEqual([
      "baremetal",
      "platform",
      "tenant-core-banking",
      "tenant-retail-banking",
    ]);
    const platform = JSON.parse(stacks[1].content);
    expect(platform.resource.openstack_identity_project_v3 ?? {}).not.toEqual(
      expect.objectContaining({ name: "Retail Banking" }),
    );
    expect(platform.output.external_network_id.description).toMatch(/external network/);
    const tenant = JSON.parse(stacks[3].content);
    // The platform's state is Terraform's default file in its own folder (a backend path spelt
    // otherwise is emptied by a terraform init without .terraform: Terraform compares the path
    // texts); a sibling reads it, and its workspaces' states, from there.
    expect(platform.terraform.backend.local).toEqual({ path: "terraform.tfstate" });
    expect(tenant.data.terraform_remote_state.platform).toEqual({
      backend: "local",
      config: {
        path: "../platform/terraform.tfstate",
        workspace_dir: "../platform/terraform.tfstate.d",
      },
      workspace: "${terraform.workspace}",
    });
    const router = Object.values(tenant.resource.openstack_networking_router_v2)[0] as {
      external_network_id: string;
    };
    expect(router.external_network_id).toBe(
      "${data.terraform_remote_state.platform.outputs.external_network_id}",
    );
    expect(tenant.output.retail_banking_project_id.description).toBe(
      "Keystone project id of tenant retail-banking",
    );
  });

  test("gives every stack its own state even with a shared key prefix or schema", async () => {
    const keys = async (backend: Record<string, unknown>) => {
      const m = load(
        variant((s) => ((s.output = { backend }), (s.tenants = [{ name: "a" }]))),
      ).model;
      return (await synthesizeTerraform(enterpriseReference, m, "json")).map(
        (st) => JSON.parse(st.content).terraform.backend,
      );
    };
    const s3 = await keys({
      type: "s3",
      bucket: "tfstate",
      endpoint: "https://rgw.example.com",
      key: "state/",
    });
    expect(s3.map((b) => b.s3.key)).toEqual([
      "state/platform/terraform.tfstate",
      "state/tenant-a/terraform.tfstate",
    ]);
    const pg = await keys({ type: "pg", schemaName: "sw" });
    expect(pg.map((b) => b.pg.schema_name)).toEqual(["sw_platform", "sw_tenant_a"]);
    const http = await keys({ type: "http", address: "https://state.example.com/tf?project=1" });
    expect(http.map((b) => b.http.address)).toEqual([
      "https://state.example.com/tf/platform?project=1",
      "https://state.example.com/tf/tenant-a?project=1",
    ]);
  });

  test("puts all tenants in one stack when the spec asks", async () => {
    const single = load(
      variant((s) => {
        s.output = { tenantStacks: "single" };
        s.tenants = [{ name: "a" }, { name: "b" }];
      }),
    ).model;
    const stacks = await synthesizeTerraform(enterpriseReference, single, "json");
    expect(stacks.map((s) => s.name)).toEqual(["platform", "tenants"]);
    expect(
      Object.keys(JSON.parse(stacks[1].content).resource.openstack_identity_project_v3),
    ).toHaveLength(2);
  });

  test.each([
    [{ type: "local" }, { local: { path: "terraform.tfstate" } }],
    [
      { type: "s3", bucket: "tfstate", endpoint: "https://rgw.example.com" },
      {
        s3: {
          bucket: "tfstate",
          key: "platform/terraform.tfstate",
          region: "us-east-1",
          endpoints: { s3: "https://rgw.example.com" },
          use_path_style: true,
          skip_credentials_validation: true,
          skip_region_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_s3_checksum: true,
          use_lockfile: true,
        },
      },
    ],
    [
      { type: "http", address: "https://state.example.com/tf/" },
      {
        http: {
          address: "https://state.example.com/tf/platform",
          lock_address: "https://state.example.com/tf/platform/lock",
          unlock_address: "https://state.example.com/tf/platform/lock",
        },
      },
    ],
    [{ type: "pg" }, { pg: { schema_name: "platform" } }],
  ])("writes the %j backend without credentials", async (backend, expected) => {
    const m = load(variant((s) => (s.output = { backend }))).model;
    const [platform] = await synthesizeTerraform(enterpriseReference, m, "json");
    expect(JSON.parse(platform.content).terraform.backend).toEqual(expected);
  });

  test("HCL output parses back to exactly the JSON configuration", async () => {
    const json = await synthesized(enterpriseReference, model, "json");
    const hcl = await synthesized(enterpriseReference, model, "hcl");
    for (const [i, stack] of hcl.entries()) {
      expect(stack.file).toBe(`terraform/${stack.name}/cdk.tf`);
      const parsed = (await parseHcl("cdk.tf", stack.content)) as Record<string, any>;
      const fromJson = JSON.parse(json[i].content);
      expect(parsed.terraform[0].required_version).toBe(">= 1.10.0");
      for (const [type, items] of Object.entries(
        fromJson.resource as Record<string, Record<string, any>>,
      )) {
        for (const [name, body] of Object.entries(items)) {
          expect(canonical(parsed.resource[type][name][0], resourceBlocks(type))).toEqual(
            canonical(body, resourceBlocks(type)),
          );
        }
      }
      expect(Object.keys(parsed.output ?? {}).sort()).toEqual(
        Object.keys(fromJson.output ?? {}).sort(),
      );
    }
  });

  test("Terraform itself reads the HCL as formatted configuration", async () => {
    const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
    if (terraform.status !== 0) return; // Terraform is optional on this machine.
    const dir = tempDir("sw-tf-");
    for (const stack of await synthesized(enterpriseReference, model, "hcl")) {
      const file = path.join(dir, `${stack.name}.tf`);
      fs.writeFileSync(file, stack.content);
      const r = spawnSync("terraform", ["fmt", "-check", "-diff", file], { encoding: "utf8" });
      expect(r.stdout).toBe("");
      expect(r.status).toBe(0);
    }
  });

  test("HCL keeps hostile user text as literal text", async () => {
    const nasty = 'x ${y}" == "" ? "" : file("/etc/hostname") # C:\\temp \\u0041 \\';
    const m = load(
      variant((s) => (s.tenants = [{ name: "t", id: "t", description: nasty }])),
    ).model;
    const [, tenant] = await synthesizeTerraform(enterpriseReference, m, "hcl");
    const parsed = (await parseHcl("cdk.tf", tenant.content)) as Record<string, any>;
    const project = Object.values(
      parsed.resource.openstack_identity_project_v3 as Record<string, any[]>,
    )[0][0];
    // hcl2json shows the template as written: the escape $${ stays, the rest is the literal text.
    expect(project.description).toBe(nasty.replace("${", () => "$${"));
    expect(tenant.content).not.toContain('file("/etc/hostname") #"');
  });

  test("tfvars examples list required variables and mark secrets", () => {
    const text = tfvarsExample({
      name: "platform",
      file: "terraform/platform/cdk.tf.json",
      content: "{}",
      variables: [
        {
          name: "vpn_psk",
          type: "string",
          description: "pre-shared key of the legacy VPN",
          sensitive: true,
        },
      ],
    });
    expect(text).toContain(
      "# pre-shared key of the legacy VPN\n# type: string (sensitive: never in terraform.tfvars or any file of this folder)\n# export TF_VAR_vpn_psk=...",
    );
    // (a secret is never offered a place in terraform.tfvars, which lies in the shared folder)
    expect(text).not.toContain("vpn_psk =");
    expect(text).toContain("set those as TF_VAR_<name> in the environment, from the secret store");
    // AND a plain variable is written as terraform.tfvars takes it
    expect(
      tfvarsExample({
        name: "p",
        file: "f",
        content: "",
        variables: [{ name: "region", type: "string", description: "", sensitive: false }],
      }),
    ).toContain('# region = ""');
    expect(tfvarsExample({ name: "x", file: "f", content: "", variables: [] })).toContain(
      "needs no input variables",
    );
  });
});

test("no credential appears in any output file", async () => {
  const out = path.join(tempDir("sw-secret-"), "out");
  const r = await cli(["synth", "examples/enterprise-reference.yaml", "--out", out]);
  expect(r.code).toBe(0);
  // Secret-bearing arguments may only take a (sensitive) variable, never a literal.
  const secretArgument =
    /"(password|token|application_credential_secret|secret_key|access_key|psk|conn_str)"\s*:\s*"([^"]*)"/g;
  const walk = (d: string): string[] =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  const files = walk(out);
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(secretArgument)) expect(m[2]).toMatch(/^\$\{var\.[a-z_]+\}$/);
    expect(text).not.toMatch(/BEGIN (RSA |OPENSSH )?PRIVATE KEY/);
  }
});
