import { tfLiteral } from "../../synth/escape";

/** OpenStack resource names: the spec's naming prefix, then the parts, all inert for Terraform. */
export function resourceName(prefix: string, ...parts: string[]): string {
  return tfLiteral([prefix, ...parts].join("-"));
}
