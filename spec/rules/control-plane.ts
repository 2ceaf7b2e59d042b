import { type Spec } from "../schema";
import {
  addressToBigInt,
  contains,
  handedOutRange,
  parseCidr,
  type Cidr,
  subnetGateway,
} from "../../core/net";
import { type Path, Findings } from "./findings";
import { hostAddress, inRange } from "./private/helpers";
import { KOLLA_IMAGES } from "../../core/defaults";

export function controllers(spec: Spec, f: Findings) {
  const n = spec.controlPlane.controllers;
  const path = ["controlPlane", "controllers"];
  if (n === 1)
    f.warn("controllers-single", path, "1 controller is not highly available; use 3 or 5");
  else if (n % 2 === 0)
    f.error(
      "controllers-even",
      path,
      `${n} controllers cannot keep a Galera/RabbitMQ quorum through a split; use an odd count (3 or 5)`,
    );
  else if (n > 5)
    f.warn(
      "controllers-many",
      path,
      `${n} controllers add quorum traffic without more tolerance than 5 needs; 3 or 5 is usual`,
    );
  // Kolla-Ansible fronts the APIs with its own HAProxy and keepalived; nothing here builds an
  // Octavia load balancer for them.
  if (spec.controlPlane.loadBalancer === "octavia")
    f.error(
      "api-octavia-unsupported",
      ["controlPlane", "loadBalancer"],
      "the API endpoints cannot sit behind Octavia: Kolla-Ansible balances them with HAProxy on keepalived VIPs, and Octavia runs inside the cloud it would front; use keepalived",
    );
  // Naming Kolla's own registry changes nothing but hides the test images' precheck note.
  const registry = spec.controlPlane.containerRegistry;
  if (registry && `${registry.address}/${registry.namespace}` === KOLLA_IMAGES)
    f.error(
      "container-registry-kolla",
      ["controlPlane", "containerRegistry"],
      `${KOLLA_IMAGES} is Kolla's own registry, where the hosts pull from without containerRegistry: its images are published for testing, and from 22.0.0 on Kolla-Ansible's prechecks refuse them without --use-test-images; name a registry holding your own copies, or remove containerRegistry`,
    );
  if (spec.controlPlane.networkNodes > 0 && !spec.controlPlane.networkNodeHardware) {
    f.warn(
      "network-node-hardware",
      ["controlPlane", "networkNodeHardware"],
      "network nodes use the controller hardware profile; set networkNodeHardware to size them separately",
    );
  }
}

export function vips(spec: Spec, f: Findings) {
  const nets = spec.network.networks;
  const api =
    nets.find((n) => n.role === "internal-api") ?? nets.find((n) => n.role === "management");
  const check = (address: string, netIndex: number, path: Path, what: string) => {
    const net = nets[netIndex];
    let c: Cidr;
    try {
      c = parseCidr(net.cidr);
    } catch {
      return;
    }
    if (!contains(c, address)) {
      f.error(
        "vip-outside-network",
        path,
        `${what} ${address} is outside network ${net.name} (${net.cidr})`,
      );
      return;
    }
    hostAddress(c, address, path, what, f);
    const gateway = subnetGateway(c, net.role, net.gateway);
    if (gateway !== undefined && addressToBigInt(gateway) === addressToBigInt(address))
      f.error(
        "vip-reserved",
        path,
        net.gateway !== undefined
          ? `${what} ${address} is the gateway of ${net.name}`
          : `${what} ${address} is the default gateway (first host) of ${net.name}; choose another address or set the gateway`,
      );
    const range = handedOutRange(net);
    if (range && inRange(address, range)) {
      f.error(
        "vip-reserved",
        path,
        `${what} ${address} lies inside the ${range.words} of ${net.name}`,
      );
    }
  };
  if (api)
    check(
      spec.controlPlane.vips.internal,
      nets.indexOf(api),
      ["controlPlane", "vips", "internal"],
      "internal VIP",
    );
  // Without an external VIP the users' API calls go to the internal one: from outside its
  // segment only through a gateway there (management has one of its own role).
  if (api && api.role === "internal-api" && !api.gateway && !spec.controlPlane.vips.external)
    f.warn(
      "internal-vip-unrouted",
      ["network", "networks", nets.indexOf(api), "gateway"],
      `without an external VIP users call the APIs and the dashboard on the internal VIP ${spec.controlPlane.vips.internal}, on network ${api.name}, which has no gateway: only hosts on that segment reach it; give network ${api.name} the gateway users are routed through (the controllers then answer by it), or declare an external VIP`,
    );
  const ext = nets.findIndex((n) => n.role === "external");
  if (spec.controlPlane.vips.external && ext >= 0) {
    check(
      spec.controlPlane.vips.external,
      ext,
      ["controlPlane", "vips", "external"],
      "external VIP",
    );
  }
  if (
    spec.controlPlane.vips.external &&
    spec.controlPlane.vips.external === spec.controlPlane.vips.internal
  ) {
    f.error(
      "vip-duplicate",
      ["controlPlane", "vips", "external"],
      "the external and internal VIPs must differ",
    );
  }
}
