import { Lazy, type TerraformResource } from "cdktf";

/**
 * A resource as an entry of `lifecycle.replace_triggered_by`: its bare address
 * (`terraform_data.x`). Terraform reads these entries of a JSON configuration as references, not
 * as templates, so the `${terraform_data.x}` cdktf writes for a resource given directly is an
 * "invalid character" to it. Lazy, because an address is final only once the stack is built.
 */
export function triggerAddress(resource: TerraformResource): string {
  return Lazy.stringValue({
    produce: () => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
  });
}
