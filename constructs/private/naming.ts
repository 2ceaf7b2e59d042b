import { tfLiteral } from "../../core/terraform-literal";
import { openstackName } from "../../core/naming";

/** OpenStack resource names: the spec's naming prefix, then the parts, all inert for Terraform. */
export function resourceName(prefix: string, ...parts: string[]): string {
  return tfLiteral(openstackName(prefix, ...parts));
}
