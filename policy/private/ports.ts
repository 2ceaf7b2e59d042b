import { SENSITIVE_PORTS } from "../../model/security";
import { list } from "./targets";

/** Names for the sensitive ports people recognise in a message. */
const PORT_NAMES: Readonly<Record<number, string>> = {
  22: "SSH",
  23: "telnet",
  3389: "RDP",
  5900: "VNC",
  3306: "MySQL/Galera",
  5432: "PostgreSQL",
  1433: "SQL Server",
  1521: "Oracle",
  27017: "MongoDB",
  6379: "Redis",
  5672: "AMQP",
  15672: "RabbitMQ management",
  11211: "memcached",
  16509: "libvirt",
  623: "IPMI",
  161: "SNMP",
};

/** Protocols that have ports; ICMP, VRRP and GRE rules open none. */
const PORTED = new Set(["any", "tcp", "udp", "sctp", "dccp", "udplite"]);

/** The names of the ported protocols' numbers, which Neutron takes for them. */
const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  "6": "tcp",
  "17": "udp",
  "132": "sctp",
  "33": "dccp",
  "136": "udplite",
};

/**
 * A protocol as Neutron reads it: a number however written (`06`, `+6`) is that number, by its
 * name where it has one here.
 */
export const protocolOf = (value: unknown): string => {
  if (value === undefined || value === null || value === "") return "any";
  const text = String(value).trim().toLowerCase();
  if (!/^[+-]?\d+$/.test(text)) return text;
  const number = String(Number(text));
  return PROTOCOL_NAMES[number] ?? number;
};

/** The ports a rule opens to a remote, by protocol and bounds (undefined: every port). */
export interface PortExposure {
  /** `every tcp port`, `tcp 22 (SSH)`. */
  readonly what: string;
  /** Every port, or the sensitive ones the range covers. */
  readonly ports: "all" | readonly number[];
}

/**
 * What a rule of `protocol` between `min` and `max` opens of the sensitive ports: undefined
 * when it opens none (a protocol without ports, or a range past them all).
 */
export function sensitiveExposure(
  protocol: string,
  min: number | undefined,
  max: number | undefined,
): PortExposure | undefined {
  if (!PORTED.has(protocol)) return undefined;
  const all = min === undefined || max === undefined || (min <= 1 && max >= 65535);
  if (all) return { what: `every ${protocol === "any" ? "" : `${protocol} `}port`, ports: "all" };
  const exposed = [...SENSITIVE_PORTS].filter((p) => p >= min && p <= max).sort((a, c) => a - c);
  if (exposed.length === 0) return undefined;
  const named = exposed.map((p) => (PORT_NAMES[p] ? `${p} (${PORT_NAMES[p]})` : `${p}`));
  return { what: `${protocol} ${list(named)}`, ports: exposed };
}

/** True when `wider` opens every port `narrower` does. */
export function covers(wider: PortExposure, narrower: PortExposure): boolean {
  const open = wider.ports;
  if (open === "all") return true;
  return narrower.ports !== "all" && narrower.ports.every((p) => open.includes(p));
}
