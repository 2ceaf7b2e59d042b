"""Prints, as JSON, the options each oslo.config namespace defines: {namespace: {group: [name]}}.

The namespaces are the entry points oslo-config-generator reads (nova.conf, neutron.ml2, ...), so
the lists are the services' own option definitions from the installed packages.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore")
from oslo_config import generator  # noqa: E402

# Options neutron registers at run time that no generator namespace lists: [service_providers]
# (read from every file neutron-server is given, fwaas_driver.ini too), the quotas of its
# extensions (rbac_policy, security groups) and the extra routes' max_routes, as
# (module, attribute, group).
PSEUDO = {
    "neutron.service_providers": [
        (
            "neutron.conf.services.provider_configuration",
            "serviceprovider_opts",
            "service_providers",
        )
    ],
    "neutron.extension_quotas": [
        ("neutron.conf.quota", "rbac_quota_opts", "quotas"),
        ("neutron.conf.quota", "security_group_quota_opts", "quotas"),
        ("neutron.conf.db.extraroute_db", "EXTRA_ROUTE_OPTS", "DEFAULT"),
    ],
}


def listings(namespace):
    if namespace in PSEUDO:
        return [
            (
                namespace,
                [
                    (group, getattr(__import__(module, fromlist=[attribute]), attribute))
                    for module, attribute, group in PSEUDO[namespace]
                ],
            )
        ]
    return generator._list_opts([namespace])


# neutron-fwaas has no Debian package: its quota options as firewall_quota_opts in
# neutron_fwaas/extensions/firewall_v2.py registers them, in group QUOTAS.
FWAAS_QUOTAS = ["quota_firewall_group", "quota_firewall_policy", "quota_firewall_rule"]


out = {}
for namespace in sys.argv[1:]:
    groups = {}
    for _ns, listing in listings(namespace):
        for group, opts in listing:
            name = getattr(group, "name", group) or "DEFAULT"
            names = groups.setdefault(name, [])
            for opt in opts:
                names.append(opt.dest)
                names.append(opt.name)
                for d in opt.deprecated_opts:
                    if d.name and (d.group in (None, name)):
                        names.append(d.name.replace("-", "_"))
    if namespace == "neutron.extension_quotas":
        groups.setdefault("quotas", []).extend(FWAAS_QUOTAS)
    out[namespace] = {g: sorted(set(n)) for g, n in groups.items()}
json.dump(out, sys.stdout)
