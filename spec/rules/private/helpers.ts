import { type Spec } from "../../schema";
import {
  addressToBigInt,
  formatCidr,
  contains,
  lastHostOffset,
  parseCidr,
  type Cidr,
} from "../../../core/net";
import { type Path, Findings } from "../findings";

/** One key per block, however it is written: `2001:DB8::/32` and `2001:db8::/32` are the same. */
export function cidrKey(text: string): string {
  try {
    // By the block it names: Neutron stores 10.0.0.7/24 as 10.0.0.0/24, one rule with it.
    const c = parseCidr(text);
    return `${c.version}|${c.first}/${c.prefix}`;
  } catch {
    return text.toLowerCase();
  }
}

/** One key per address, however it is written. */
export function addressKey(text: string): string {
  try {
    return `${text.includes(":") ? 6 : 4}|${addressToBigInt(text)}`;
  } catch {
    return text.toLowerCase();
  }
}

/** The volume backend a tenant names, by backend name or by its Cinder volume type. */
export function backendOf(spec: Spec, key: string) {
  return (
    spec.storage.backends.find((b) => b.name === key) ??
    spec.storage.backends.find((b) => b.volumeType === key)
  );
}

export function parsed(text: string, path: Path, f: Findings): Cidr | undefined {
  let c: Cidr;
  try {
    c = parseCidr(text);
  } catch {
    f.error("cidr-invalid", path, `${JSON.stringify(text)} is not a valid CIDR`);
    return undefined;
  }
  if (c.hostBitsSet) {
    f.error(
      "cidr-host-bits",
      path,
      `${text} has host bits set; the network address is ${formatCidr(c)}`,
    );
  }
  return c;
}

export function hostAddress(c: Cidr, address: string, path: Path, what: string, f: Findings) {
  if (!contains(c, address)) {
    f.error("address-outside-network", path, `${what} ${address} is outside ${c.text}`);
    return;
  }
  const offset = addressToBigInt(address) - c.first;
  if (offset === 0n && !(c.version === 4 && c.prefix >= 31))
    f.error("address-not-host", path, `${what} ${address} is the network address of ${c.text}`);
  else if (offset > lastHostOffset(c))
    f.error("address-not-host", path, `${what} ${address} is the broadcast address of ${c.text}`);
}

export const inRange = (a: string, r: { start: string; end: string }) => {
  const v = addressToBigInt(a);
  return v >= addressToBigInt(r.start) && v <= addressToBigInt(r.end);
};

/**
 * The networks a tenant's instances take addresses on: its own, then the provider networks it is
 * given or every project is (shared), by name.
 */
export function tenantNetworkCidrs(
  spec: Spec,
  t: Spec["tenants"][number],
): { readonly name?: string; readonly cidr: string }[] {
  const given = spec.network.networks.filter(
    (n) => n.role === "provider" && (n.shared || t.providerNetworks.includes(n.name)),
  );
  return [
    ...(t.network ? [{ cidr: t.network.cidr }] : []),
    ...given.map((n) => ({ name: n.name, cidr: n.cidr })),
  ];
}
