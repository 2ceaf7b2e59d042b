/** A service's destination ports: one port, or a range from `port` up to `toPort`. */
export interface PortSpan {
  readonly port: number;
  readonly toPort?: number;
}

/** The last port of the span. */
export const lastPort = (s: PortSpan): number => s.toPort ?? s.port;

/** `8080`, or `8000-8100` for a range (how documents and messages write it). */
export const portText = (s: PortSpan): string =>
  lastPort(s) === s.port ? String(s.port) : `${s.port}-${lastPort(s)}`;

/** Whether every port of `inner` is one of `outer`'s. */
export const portsWithin = (inner: PortSpan, outer: PortSpan): boolean =>
  inner.port >= outer.port && lastPort(inner) <= lastPort(outer);

/** Whether the span takes `p`. */
export const portIn = (p: number, s: PortSpan): boolean => p >= s.port && p <= lastPort(s);

/** A FWaaS rule's destination_port: `443`, or `8000:8100` (neutron-lib's port range form). */
export const fwaasPort = (first: number, last?: number): string =>
  last === undefined || last === first ? String(first) : `${first}:${last}`;

/** Whether the spans together take every port of `span`. */
export function portsCovered(span: PortSpan, spans: readonly PortSpan[]): boolean {
  let next = span.port;
  for (const s of [...spans].sort((a, b) => a.port - b.port)) {
    if (s.port > next) break;
    next = Math.max(next, lastPort(s) + 1);
    if (next > lastPort(span)) return true;
  }
  return next > lastPort(span);
}

/**
 * A security group rule's port arguments: none for every port, as Neutron stores 1-65535 (its
 * canonical form), which the provider reads back as 0-0 and would replace on every apply.
 */
export const secgroupPorts = (
  first: number | undefined,
  last: number | undefined,
): { portRangeMin?: number; portRangeMax?: number } =>
  first === undefined || (first <= 1 && (last ?? first) >= 65535)
    ? {}
    : { portRangeMin: first, portRangeMax: last ?? first };
