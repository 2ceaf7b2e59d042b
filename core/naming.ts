import { createHash } from "crypto";
import { constructIdFor } from "./terraform-names";
/** Names and identifiers derived from spec keys; spec rules and the model share these. */

export const byName = <T extends { name: string }>(a: T, b: T) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** `ctrl-01`, `ctrl-02`…, wide enough for the count. */
export function sequence(prefix: string, count: number): string[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(width, "0")}`);
}

/** Turns a display name into an identifier, or undefined when nothing usable is left. */
export function slug(name: string): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return s && /^[a-z0-9]/.test(s) ? s : undefined;
}

/** A pool's id, unique across zones: `<zone>-<pool>` (aggregate names, host names, flavors' key). */
export const poolId = (zone: string, pool: string) => `${zone}-${pool}`;

/** What names a tenant: its name and its explicit id, if any. */
export interface TenantKeys {
  readonly name: string;
  readonly id?: string;
}

/** A tenant's identifier: its explicit id, else the one derived from its name. */
export function tenantId(t: TenantKeys): string | undefined {
  return t.id ?? slug(t.name);
}

/**
 * The one resolution of a tenant key: a spec names a tenant by its name, its explicit id or the id
 * derived from its name, and every reader (rules, model) goes through here. The tenants are
 * indexed on the first look-up; where a key names several tenants, the first one wins.
 */
export function tenantLookup<T extends TenantKeys>(
  tenants: readonly T[],
): (key: string) => T | undefined {
  let index: Map<string, T> | undefined;
  return (key) => {
    if (!index) {
      index = new Map();
      for (const t of tenants) {
        for (const k of [t.name, tenantId(t)])
          if (k !== undefined && !index.has(k)) index.set(k, t);
      }
    }
    return index.get(key);
  };
}

/**
 * A construct id for free text (container, group or CIDR names): the text itself with only the
 * path separators and `$` escaped (see constructIdFor), so two texts never collide and the
 * Terraform address, derived from the path by core/terraform-names, reads like the text.
 *
 * Give the result a fixed prefix (`container-`, `group-`): a bare id such as `constructor` or
 * `__proto__` is a member of every JavaScript object and cannot name a construct.
 */
export function stableId(text: string): string {
  return constructIdFor(text);
}

/**
 * A construct id for several names together. Joining them with '-' is ambiguous (flow `a-b` and
 * system `c` against flow `a` and system `b-c`), so the parts are joined as a JSON array, which
 * no two different lists of names share.
 */
export function stableIdOf(parts: readonly string[]): string {
  return stableId(JSON.stringify(parts));
}

/** Stacks every design's stack layout names itself: a tenant's stack cannot take these names. */
export const STACKS = {
  /** The platform team's stack. */
  platform: "platform",
  /** The role assignments on whole domains, applied once Keystone reads the domains' directories. */
  domainRoles: "domain-roles",
} as const;

/**
 * Construct ids of the tenant subnet pool and its address scope, which sit beside the Neutron
 * networks (named by the plan): no network may take them.
 */
export const TENANT_SUBNET_POOL_IDS = { scope: "tenant-scope", pool: "tenant-pool" } as const;

/**
 * The Terraform name of the legacy router's interface on the bridge (as the platform stack first
 * named it), fixed so that advice can target it: removing it takes the routes and the VPN
 * connection that depend on it.
 */
export const LEGACY_ROUTER_INTERFACE = "cloud_legacy_bridge_interface";

/** The stack a tenant's network goes into when applied with its project's own credentials. */
export const networkStackName = (tenantId: string) => `network-${tenantId}`;

/** That stack's clouds.yaml entry: an application credential of the tenant's project. */
export const networkCloudName = (cloud: string, tenantId: string) => `${cloud}-${tenantId}`;

/**
 * The PostgreSQL schema a stack keeps its state in with the pg backend: the design's prefix (if
 * any) and the stack name, each stack its own.
 */
export function pgSchemaName(prefix: string | undefined, stack: string): string {
  return `${prefix ? `${prefix}_` : ""}${stack.replace(/-/g, "_")}`;
}

/** Eight hex digits of a text's SHA-256: tells apart names that read alike once escaped. */
export const digestOf = (text: string): string =>
  createHash("sha256").update(text).digest("hex").slice(0, 8);

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

/** An OpenStack resource's name as the services keep it: the naming prefix, then the parts. */
export function openstackName(prefix: string, ...parts: string[]): string {
  return fitColumn([prefix, ...parts].join("-"));
}
