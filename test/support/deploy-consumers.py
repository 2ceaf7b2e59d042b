"""Reads deploy/ files the way their consumers do and prints what they found, as JSON.

  configs: Kolla-Ansible renders every override as a Jinja template, then oslo.config reads it
           as INI: prints {file: {section: [option]}} or {file: {"error": message}}.
  ceph:    cephadm's own parser (python3-ceph-common): HostSpec for host documents,
           ServiceSpec.from_json + validate() for the others: prints {file: [error]}.
  swift-rings: runs each swift-ring-builder command of rings.sh with Swift's own ring builder
           (python3-swift) in a scratch folder: prints {"errors": [...], builder: {replicas,
           part_power, devices, and replicaHosts when the variables ask}}; a rebalance may
           exit 1 (a warning), nothing else may fail.

  ceph-commands: checks each `ceph osd ...` line of pools.sh with the ceph CLI's own argument
           parser (ceph_argparse, python3-ceph-common) against the monitor's signatures of
           those commands, copied from Ceph's src/mon/MonCommands.h (octopus; unchanged for
           these arguments since): prints {file: [line that does not parse]}.

Input on stdin: {"kind": ..., "files": {name: content}, "variables": {...}}.
"""
import configparser
import json
import sys

import jinja2
import yaml

request = json.load(sys.stdin)
out = {}
if request["kind"] == "configs":
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    for name, content in request["files"].items():
        try:
            text = env.from_string(content).render(**request["variables"])
            # oslo.config takes a repeated option as more values of a multi-valued one
            # (service_provider), so repeats are allowed; the names are what is checked.
            parser = configparser.ConfigParser(
                interpolation=None, strict=False, delimiters=("=",), comment_prefixes=("#",)
            )
            parser.optionxform = str
            parser.read_string(text)
            found = {}
            if parser.defaults():
                found["DEFAULT"] = sorted(parser.defaults())
            for section in parser.sections():
                found[section] = sorted(k for k in parser[section] if k not in parser.defaults())
            out[name] = found
        except Exception as e:  # reported, so the test names the file
            out[name] = {"error": f"{type(e).__name__}: {e}"}
elif request["kind"] == "ceph":
    from ceph.deployment.hostspec import HostSpec
    from ceph.deployment.service_spec import ServiceSpec

    for name, content in request["files"].items():
        errors = []
        for i, doc in enumerate(d for d in yaml.safe_load_all(content) if d is not None):
            try:
                if doc.get("service_type") == "host":
                    HostSpec.from_json(doc)
                else:
                    ServiceSpec.from_json(doc).validate()
            except Exception as e:
                errors.append(f"document {i}: {type(e).__name__}: {e}")
        out[name] = errors
elif request["kind"] == "swift-rings":
    import contextlib
    import io
    import os
    import re
    import shlex
    import tempfile
    from collections import Counter

    from swift.cli.ringbuilder import main as ring_builder
    from swift.common.ring import RingBuilder

    (script,) = request["files"].values()
    os.chdir(tempfile.mkdtemp(prefix="sw-rings-"))
    errors = []
    for line in (l.strip() for l in script.replace("\\\n", "").splitlines()):
        if not line.startswith("swift-ring-builder "):
            continue
        argv = shlex.split(line.split(" || ")[0])
        said = io.StringIO()
        try:
            with contextlib.redirect_stdout(said):
                ring_builder(argv)
            code = 0
        except SystemExit as e:
            code = e.code or 0
        if code != 0 and not (code == 1 and argv[2] == "rebalance"):
            errors.append(f"{line}: exit {code}: {said.getvalue().strip()}")
    out["errors"] = errors
    for name in sorted(f for f in os.listdir(".") if f.endswith(".builder")):
        b = RingBuilder.load(name)
        keys = ("region", "zone", "ip", "port", "replication_ip", "replication_port", "device")
        out[name] = {
            "replicas": b.replicas,
            "part_power": b.part_power,
            "devices": [{k: d[k] for k in keys} for d in b.devs if d is not None],
        }
        # The most replicas (or fragments) of one partition on one address.
        out[name]["mostPerHost"] = max(
            (
                max(Counter(b.devs[row[p]]["ip"] for row in b._replica2part2dev).values())
                for p in range(b.parts)
            ),
            default=0,
        )
        # Each distinct set of addresses some partition's replicas landed on, when asked.
        if request["variables"].get("replicaHosts"):
            out[name]["replicaHosts"] = sorted(
                {
                    tuple(sorted({b.devs[row[p]]["ip"] for row in b._replica2part2dev}))
                    for p in range(b.parts)
                }
            )
            # The same with each address as often as it holds a piece of the partition.
            out[name]["replicaHostCounts"] = sorted(
                {
                    tuple(sorted(b.devs[row[p]]["ip"] for row in b._replica2part2dev))
                    for p in range(b.parts)
                }
            )
    # Swift's own parse of the storage policies, each loading its object ring as the proxies do
    # (an erasure-coded policy checks that its ring holds exactly its fragments).
    conf = request["variables"].get("swiftConf")
    if conf is not None:
        from swift.common import utils
        from swift.common.storage_policy import parse_storage_policies

        # The rings read the hash path secrets (not part of the design) from swift.conf.
        with open("swift.conf", "w") as f:
            f.write("[swift-hash]\nswift_hash_path_suffix = test\n" + conf)
        utils.SWIFT_CONF_FILE = os.path.abspath("swift.conf")
        parser = configparser.ConfigParser()
        parser.read_string(conf)
        policies = []
        try:
            for policy in parse_storage_policies(parser):
                entry = {"index": int(policy), "name": policy.name, "type": policy.policy_type}
                if policy.policy_type == "erasure_coding":
                    entry.update(ec_type=policy.ec_type, ndata=policy.ec_ndata, nparity=policy.ec_nparity)
                try:
                    policy.load_ring(".")
                    entry["ringReplicas"] = policy.object_ring.replica_count
                except Exception as e:
                    entry["error"] = f"{type(e).__name__}: {e}"
                policies.append(entry)
        except Exception as e:
            policies.append({"error": f"{type(e).__name__}: {e}"})
        out["policies"] = policies
elif request["kind"] == "ceph-commands":
    import re
    import shlex

    import ceph_argparse

    # Ceph's src/mon/MonCommands.h: the commands pools.sh runs, as the monitor declares them.
    SIGNATURES = [
        "osd pool create name=pool,type=CephPoolname name=pg_num,type=CephInt,range=0,req=false"
        " name=pgp_num,type=CephInt,range=0,req=false"
        " name=pool_type,type=CephChoices,strings=replicated|erasure,req=false"
        " name=erasure_code_profile,type=CephString,req=false,goodchars=[A-Za-z0-9-_.]"
        " name=rule,type=CephString,req=false"
        " name=expected_num_objects,type=CephInt,range=0,req=false"
        " name=size,type=CephInt,range=0,req=false name=pg_num_min,type=CephInt,range=0,req=false"
        " name=autoscale_mode,type=CephChoices,strings=on|off|warn,req=false"
        " name=target_size_bytes,type=CephInt,range=0,req=false"
        " name=target_size_ratio,type=CephFloat,range=0|1,req=false",
        "osd pool set name=pool,type=CephPoolname"
        " name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|crush_rule"
        "|allow_ec_overwrites|pg_autoscale_mode|pg_num_min|target_size_bytes|target_size_ratio"
        " name=val,type=CephString name=yes_i_really_mean_it,type=CephBool,req=false",
        "osd pool application enable name=pool,type=CephPoolname"
        " name=app,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=yes_i_really_mean_it,type=CephBool,req=false",
        "osd crush rule create-replicated name=name,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=root,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=type,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=class,type=CephString,goodchars=[A-Za-z0-9-_.],req=false",
        "osd erasure-code-profile set name=name,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=profile,type=CephString,n=N,req=false name=force,type=CephBool,req=false",
        "osd set-nearfull-ratio name=ratio,type=CephFloat,range=0.0|1.0",
        "config set name=who,type=CephString name=name,type=CephString"
        " name=value,type=CephString name=force,type=CephBool,req=false",
        "osd pool ls name=detail,type=CephChoices,strings=detail,req=false",
        "osd crush move name=name,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=args,type=CephString,n=N,goodchars=[A-Za-z0-9-_.=]",
        "osd crush rm name=name,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=ancestor,type=CephString,req=false,goodchars=[A-Za-z0-9-_.]",
        "osd crush rule create-erasure name=name,type=CephString,goodchars=[A-Za-z0-9-_.]"
        " name=profile,type=CephString,req=false,goodchars=[A-Za-z0-9-_.=]",
    ]

    def signature(text):
        words, args = [], []
        for part in text.split():
            if part.startswith("name="):
                args.append(dict(kv.split("=", 1) for kv in part.split(",")))
            else:
                words.append(part)
        return ceph_argparse.parse_funcsig(words + args)

    sigs = {
        f"cmd{i:03}": {"sig": signature(t), "help": "", "module": "osd", "perm": "rw"}
        for i, t in enumerate(SIGNATURES)
    }
    import contextlib, io

    for name, content in request["files"].items():
        bad = []
        for line in content.splitlines():
            # Every `ceph osd` or `ceph config` command of the line, in a shell `if` or pipe too.
            for command in re.findall(r"(?:^|[\s;|])ceph ((?:osd|config) [^;|]*)", line):
                with contextlib.redirect_stderr(io.StringIO()):
                    parsed = ceph_argparse.validate_command(sigs, shlex.split(command))
                if not parsed:
                    bad.append(line)
        out[name] = bad
json.dump(out, sys.stdout)
