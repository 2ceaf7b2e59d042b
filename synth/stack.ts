import type { Construct, Node } from "constructs";
import {
  HttpBackend,
  DataTerraformRemoteStateLocal,
  LocalBackend,
  PgBackend,
  S3Backend,
  TerraformDataSource,
  TerraformElement,
  TerraformOutput,
  TerraformRemoteState,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from "cdktf";
import { OpenstackProvider } from "../.gen/providers/openstack/provider";
import type { Model } from "../model/types";
import { terraformName, uniqueTerraformNames } from "../core/terraform-names";
import { tfLiteral } from "../core/terraform-literal";
import { pgSchemaName } from "../core/naming";

/**
 * Terraform core version every stack is written for: 1.10 for the S3 backend's `use_lockfile`
 * (state locking without DynamoDB, which Ceph RGW does not offer). The provider's constraint is
 * cdktf.json's, which the generated binding carries.
 */
export const TERRAFORM_REQUIRED_VERSION = ">= 1.10.0";

export interface CloudStackProps {
  readonly model: Model;
  readonly description: string;
  /** The clouds.yaml entry and region to talk to. @default the model's cloud (the overcloud) */
  readonly cloud?: { readonly cloud: string; readonly region: string };
}

/**
 * A Terraform root module for one team's slice of the cloud. The provider authenticates through
 * the clouds.yaml entry named in the spec (or OS_* variables); no credential is ever written here.
 */
export class CloudStack extends TerraformStack {
  readonly model: Model;
  readonly description: string;
  /** Terraform names of this stack's elements by construct path, computed on first use. */
  private names?: ReadonlyMap<string, PlannedName>;
  /** The names cdktf got, by namespace and construct path. */
  private readonly given = new Map<string, Map<string, string>>();

  constructor(scope: Construct, id: string, props: CloudStackProps) {
    super(scope, id);
    this.model = props.model;
    this.description = props.description;
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    const cloud = props.cloud ?? props.model.cloud;
    new OpenstackProvider(this, "openstack", {
      cloud: tfLiteral(cloud.cloud),
      region: tfLiteral(cloud.region),
    });
    configureBackend(this, id, props.model.output.backend);
  }

  /**
   * Addresses from construct paths, which come from spec keys: `core_banking_network` rather than
   * cdktf's `core-banking_network_36DE86EE`. Unique per resource type (core/terraform-names).
   */
  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    const key = this.pathBelow(node).join("/");
    if (!this.names?.has(key)) this.names = this.allocateNames();
    const planned = this.names.get(key);
    return planned ? this.give(key, planned) : super.allocateLogicalId(tfElement);
  }

  /**
   * The planned name, unless an element named earlier has it: cdktf writes the name an element
   * first gets into every reference to it, so a name once given is kept, and an element added
   * later whose name clashes with it takes the next `_n` that no element of its kind has.
   */
  private give(key: string, { ns, name }: PlannedName): string {
    let given = this.given.get(ns);
    if (!given) this.given.set(ns, (given = new Map()));
    const before = given.get(key);
    if (before !== undefined) return before;
    const taken = new Set(given.values());
    let chosen = name;
    if (taken.has(chosen)) {
      const planned = new Set(
        [...this.names!.values()].filter((p) => p.ns === ns).map((p) => p.name),
      );
      // Construct ids never hold '/' (constructIdFor encodes it), so the key splits back.
      const base = terraformName(key.split("/"));
      for (let n = 2; taken.has(chosen) || planned.has(chosen); n++) chosen = `${base}_${n}`;
    }
    given.set(key, chosen);
    return chosen;
  }

  private pathBelow(node: Node): string[] {
    const scopes = node.scopes;
    return scopes.slice(scopes.indexOf(this) + 1).map((c) => c.node.id);
  }

  private allocateNames(): ReadonlyMap<string, PlannedName> {
    const byNamespace = new Map<string, string[][]>();
    for (const c of this.node.findAll()) {
      if (!TerraformElement.isTerraformElement(c) || c.cdktfStack !== this) continue;
      const ns = namespaceOf(c);
      const paths = byNamespace.get(ns);
      if (paths) paths.push(this.pathBelow(c.node));
      else byNamespace.set(ns, [this.pathBelow(c.node)]);
    }
    const names = new Map<string, PlannedName>();
    for (const [ns, paths] of byNamespace) {
      for (const [key, name] of uniqueTerraformNames(paths)) names.set(key, { ns, name });
    }
    return names;
  }
}

/** An element's name as the whole set of its stack's elements gives it, and its namespace. */
interface PlannedName {
  readonly ns: string;
  readonly name: string;
}

/** Elements whose names must differ: one resource or data source type, outputs, variables. */
function namespaceOf(e: TerraformElement): string {
  if (e instanceof TerraformRemoteState) return "data.terraform_remote_state";
  if (TerraformDataSource.isTerraformDataSource(e)) return `data.${e.terraformResourceType}`;
  if (TerraformResource.isTerraformResource(e)) return e.terraformResourceType;
  if (TerraformOutput.isTerraformOutput(e)) return "output";
  if (e instanceof TerraformVariable) return "variable";
  return `other.${e.constructor.name}`;
}

/**
 * Local state in the stack's folder under Terraform's own default name: `terraform init` without
 * `.terraform` moves a default-named state into a differently spelt backend path and then empties
 * the "old" file, which is the same one (Terraform compares the path texts). Sibling stacks read
 * it, and their workspaces' states, relative to their own folder.
 */
class StackLocalBackend extends LocalBackend {
  constructor(
    stack: TerraformStack,
    private readonly stackName: string,
  ) {
    super(stack, { path: "terraform.tfstate" });
  }

  override getRemoteStateDataSource(scope: Construct, name: string, _fromStack: string) {
    return new DataTerraformRemoteStateLocal(scope, name, {
      path: `../${this.stackName}/terraform.tfstate`,
      workspaceDir: `../${this.stackName}/terraform.tfstate.d`,
      workspace: "${terraform.workspace}",
    });
  }
}

function configureBackend(
  stack: TerraformStack,
  stackName: string,
  backend: Model["output"]["backend"],
) {
  switch (backend.type) {
    case "local":
      new StackLocalBackend(stack, stackName);
      break;
    case "s3":
      // S3-compatible stores such as Ceph RGW: path-style addressing, no AWS account checks.
      // Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY at init time.
      new S3Backend(stack, {
        bucket: tfLiteral(backend.bucket),
        // `key` is a prefix: every stack has its own state object.
        key: tfLiteral(
          `${backend.key ? `${backend.key.replace(/\/+$/, "")}/` : ""}${stackName}/terraform.tfstate`,
        ),
        region: tfLiteral(backend.region),
        endpoints: { s3: tfLiteral(backend.endpoint) },
        usePathStyle: true,
        skipCredentialsValidation: true,
        skipRegionValidation: true,
        skipRequestingAccountId: true,
        skipMetadataApiCheck: true,
        skipS3Checksum: true,
      });
      // State locking through a lock object beside the state (Terraform >= 1.10); cdktf 0.21's
      // S3Backend has no property for it yet.
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
      break;
    case "http": {
      // Credentials from TF_HTTP_USERNAME / TF_HTTP_PASSWORD; the stack name goes into the path.
      const url = new URL(backend.address);
      url.pathname = `${url.pathname.replace(/\/+$/, "")}/${stackName}`;
      const lock = new URL(url.toString());
      lock.pathname = `${url.pathname}/lock`;
      new HttpBackend(stack, {
        address: tfLiteral(url.toString()),
        lockAddress: tfLiteral(lock.toString()),
        unlockAddress: tfLiteral(lock.toString()),
      });
      break;
    }
    case "pg":
      // conn_str is left out on purpose: Terraform then reads PG_CONN_STR, which holds the password.
      new PgBackend(stack, {
        connStr: undefined as unknown as string,
        // `schemaName` is a prefix: every stack has its own schema.
        schemaName: pgSchemaName(backend.schemaName, stackName),
      });
      break;
  }
}
