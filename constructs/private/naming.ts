import { tfLiteral } from "../../core/terraform-literal";
import { digestOf } from "../../core/naming";

/** Neutron, Nova and Cinder keep names and descriptions in 255-character columns. */
const TEXT_COLUMN = 255;

/**
 * The text, or, past that column's width, its start and the digest of the whole, so two long
 * texts sharing a start still differ (characters, as the services count them).
 */
export function fitColumn(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= TEXT_COLUMN) return text;
  return `${chars.slice(0, TEXT_COLUMN - 9).join("")}-${digestOf(text)}`;
}

/** OpenStack resource names: the spec's naming prefix, then the parts, all inert for Terraform. */
export function resourceName(prefix: string, ...parts: string[]): string {
  return tfLiteral(fitColumn([prefix, ...parts].join("-")));
}
