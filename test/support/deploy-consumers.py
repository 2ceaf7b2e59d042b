"""Reads deploy/ files the way their consumers do and prints what they found, as JSON.

  configs: Kolla-Ansible renders every override as a Jinja template, then oslo.config reads it
           as INI: prints {file: {section: [option]}} or {file: {"error": message}}.
  ceph:    cephadm's own parser (python3-ceph-common): HostSpec for host documents,
           ServiceSpec.from_json + validate() for the others: prints {file: [error]}.

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
json.dump(out, sys.stdout)
