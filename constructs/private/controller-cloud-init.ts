import { stringify } from "yaml";
import type { Model, NetworkModel, NodeModel } from "../../model/types";
import { chronyConf } from "../../artifacts/chrony";

/**
 * cloud-init for one controller: chrony with the planned time sources, keepalived holding the
 * VIPs (unicast VRRP between the controllers, no shared secret), HAProxy in front of every enabled
 * API. Built as data and serialized by the YAML library, so no user text can break the document.
 */
export function controllerCloudInit(model: Model, node: NodeModel): string {
  const controllers = model.nodes.filter((n) => n.role === "controller");
  const apiVip = model.vips.find((v) => v.name === "internal");
  const extVip = model.vips.find((v) => v.name === "external");
  const apiNet = apiVip ? model.networks.find((n) => n.name === apiVip.network) : undefined;
  const mgmt = model.networks.find((n) => n.role === "management");
  const files: { path: string; permissions: string; content: string }[] = [];

  const sources = model.ntp?.sources.controller ?? [];
  files.push({
    path: "/etc/chrony/chrony.conf",
    permissions: "0644",
    content: chronyConf(sources, mgmt ? [mgmt.cidr] : []),
  });

  const useKeepalived = model.controlPlane.loadBalancer === "keepalived" && controllers.length > 1;
  const index = controllers.findIndex((c) => c.name === node.name);
  const runcmd: string[][] = [];
  if (useKeepalived && apiVip && apiNet) {
    files.push({
      path: "/etc/keepalived/keepalived.conf",
      permissions: "0640",
      content: keepalivedConf(model, node, index, controllers, apiNet),
    });
    // Interface names differ between servers: pick the one that holds each planned subnet.
    for (const net of [
      apiNet,
      ...(extVip ? model.networks.filter((n) => n.name === extVip.network) : []),
    ]) {
      runcmd.push([
        "sh",
        "-c",
        `iface=$(ip -o addr show to ${net.cidr} | awk '{print $2; exit}'); sed -i "s/@IFACE_${net.name}@/$iface/" /etc/keepalived/keepalived.conf`,
      ]);
    }
  }
  // With Octavia in front, the controllers serve their APIs directly.
  if (useKeepalived && apiVip && apiNet) {
    files.push({
      path: "/etc/haproxy/haproxy.cfg",
      permissions: "0644",
      content: haproxyConf(model, controllers, apiNet, apiVip.address, extVip?.address),
    });
    files.push({
      path: "/etc/sysctl.d/60-vip-bind.conf",
      permissions: "0644",
      content: "net.ipv4.ip_nonlocal_bind = 1\n",
    });
  }
  runcmd.push(["sysctl", "--system"]);
  runcmd.push(["systemctl", "restart", "chrony"]);
  if (useKeepalived && apiVip) runcmd.push(["systemctl", "enable", "--now", "keepalived"]);
  if (useKeepalived && apiVip) runcmd.push(["systemctl", "enable", "--now", "haproxy"]);

  const doc = {
    hostname: node.name,
    fqdn: node.name,
    package_update: true,
    packages: ["chrony", ...(useKeepalived && apiVip ? ["keepalived", "haproxy"] : [])],
    write_files: files,
    runcmd,
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

function keepalivedConf(
  model: Model,
  node: NodeModel,
  index: number,
  controllers: readonly NodeModel[],
  apiNet: NetworkModel,
): string {
  const out = ["global_defs {", `  router_id ${node.name}`, "  enable_script_security", "}", ""];
  out.push(
    "vrrp_script chk_haproxy {",
    '  script "/usr/bin/killall -0 haproxy"',
    "  interval 2",
    "  weight -20",
    "}",
    "",
  );
  model.vips.forEach((vip, i) => {
    const net =
      vip.network === apiNet.name ? apiNet : model.networks.find((n) => n.name === vip.network);
    if (!net) return;
    const own = node.addresses[net.name];
    const peers = controllers.filter((c) => c.name !== node.name).map((c) => c.addresses[net.name]);
    out.push(
      `vrrp_instance VI_${vip.name.toUpperCase()} {`,
      "  state BACKUP",
      `  interface @IFACE_${net.name}@`,
      `  virtual_router_id ${51 + i}`,
      `  priority ${150 - index * 10}`,
      "  advert_int 1",
      "  nopreempt",
      ...(own ? [`  unicast_src_ip ${own}`] : []),
      "  unicast_peer {",
      ...peers.filter(Boolean).map((p) => `    ${p}`),
      "  }",
      "  virtual_ipaddress {",
      `    ${vip.address}/${net.cidr.split("/")[1]}`,
      "  }",
      "  track_script {",
      "    chk_haproxy",
      "  }",
      "}",
      "",
    );
  });
  return out.join("\n");
}

function haproxyConf(
  model: Model,
  controllers: readonly NodeModel[],
  apiNet: NetworkModel,
  internalVip: string,
  externalVip: string | undefined,
): string {
  const out = [
    "global",
    "  log /dev/log local0",
    "  maxconn 20000",
    "  daemon",
    "",
    "defaults",
    "  log global",
    "  mode tcp",
    "  option tcplog",
    "  timeout connect 5s",
    "  timeout client 10m",
    "  timeout server 10m",
    "",
  ];
  for (const endpoint of model.endpoints) {
    out.push(`listen ${endpoint.name}`);
    out.push(`  bind ${internalVip}:${endpoint.port}`);
    if (externalVip && endpoint.public) out.push(`  bind ${externalVip}:${endpoint.port}`);
    out.push("  balance source");
    for (const c of controllers) {
      const address = c.addresses[apiNet.name];
      if (address)
        out.push(`  server ${c.name} ${address}:${endpoint.port} check inter 2s fall 3 rise 2`);
    }
    out.push("");
  }
  if (model.controlPlane.database === "galera") {
    // One writer at a time avoids Galera certification conflicts; the others stand by.
    out.push("listen galera", `  bind ${internalVip}:3306`, "  option tcpka");
    controllers.forEach((c, i) => {
      const address = c.addresses[apiNet.name];
      if (address)
        out.push(
          `  server ${c.name} ${address}:3306 check inter 2s fall 3 rise 2${i > 0 ? " backup" : ""}`,
        );
    });
    out.push("");
  }
  return out.join("\n");
}
