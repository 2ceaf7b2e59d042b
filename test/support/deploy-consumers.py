"""Reads deploy/ files the way their consumers do and prints what they found, as JSON.

  configs: Kolla-Ansible renders every override as a Jinja template, then oslo.config reads it
           as INI: prints {file: {section: [option]}} or {file: {"error": message}}.
  ceph:    cephadm's own parser (python3-ceph-common): HostSpec for host documents,
           ServiceSpec.from_json + validate() for the others: prints {file: [error]}.
  swift-rings: runs each swift-ring-builder command of rings.sh with Swift's own ring builder
           (python3-swift) in a scratch folder: prints {"errors": [...], builder: {replicas,
           part_power, devices, and replicaHosts when the variables ask}}; a rebalance may
           exit 1 (a warning), nothing else may fail.

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
    import shlex
    import tempfile

    from swift.cli.ringbuilder import main as ring_builder
    from swift.common.ring import RingBuilder

    (script,) = request["files"].values()
    os.chdir(tempfile.mkdtemp(prefix="sw-rings-"))
    errors = []
    for line in script.replace("\\\n", "").splitlines():
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
        # Each distinct set of addresses some partition's replicas landed on, when asked.
        if request["variables"].get("replicaHosts"):
            out[name]["replicaHosts"] = sorted(
                {
                    tuple(sorted({b.devs[row[p]]["ip"] for row in b._replica2part2dev}))
                    for p in range(b.parts)
                }
            )
json.dump(out, sys.stdout)
