#!/usr/bin/env python3
"""Copy Kolla-Ansible's admin entry into the clouds.yaml Terraform reads, as cloud CLOUD.

Run from the output folder on the deployment host, after kolla-ansible post-deploy:
    python3 deploy/clouds-entry.py
It prints the file it wrote.
"""
import os
import pwd
import sys

import yaml

CLOUD = "lab-poc"
KOLLA = "/etc/kolla/clouds.yaml"
SITE = "/etc/openstack"

entry = yaml.safe_load(open(KOLLA))["clouds"]["kolla-admin"]
env = os.environ.get("OS_CLIENT_CONFIG_FILE")
mine = os.path.join(pwd.getpwuid(os.getuid()).pw_dir, ".config/openstack")
home = mine + "/clouds.yaml"
# The provider reads only the first file it finds.
found = [env] + [d + "/clouds." + x for x in ("yaml", "yml") for d in (mine, SITE)]
path = next((p for p in found if p and os.path.exists(p)), home)
site = path != env and not path.startswith(mine + "/")
if os.path.exists(path) and not site and not os.access(path, os.R_OK | os.W_OK):
    sys.exit(path + ": not readable and writable")
readable = os.path.exists(path) and os.access(path, os.R_OK)
clouds = (yaml.safe_load(open(path)) if readable else None) or {}
if not (isinstance(clouds, dict) and isinstance(clouds.get("clouds") or {}, dict)):
    sys.exit(path + ": not a clouds.yaml")
# The site file is every user's: its clouds and this one go into the user's own, read first.
# A file that is a link (dotfiles) is written where it leads.
target = os.path.realpath(home if site else path)
clouds["clouds"] = clouds.get("clouds") or {}
clouds["clouds"][CLOUD] = entry
data = yaml.safe_dump(clouds).encode()
os.makedirs(os.path.dirname(target), exist_ok=True)
# The admin's password: only the user may read the file, and a kill leaves the old one.
new = target + ".stackwright-new"
try:
    os.unlink(new)
except FileNotFoundError:
    pass
fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
os.fchmod(fd, 0o600)
os.write(fd, data)
os.fsync(fd)
os.close(fd)
os.replace(new, target)
print(target)
# Terraform runs in each stack's folder, where gophercloud looks first (the variable aside).
stacks = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "terraform")
# (a variable naming no file is passed over, as gophercloud does)
named = env and os.path.exists(env)
for name in sorted(os.listdir(stacks)) if os.path.isdir(stacks) and not named else []:
    # (clouds.yml is looked for only where no clouds.yaml was found)
    for x in ("yaml", "yml") if target.endswith(".yml") else ("yaml",):
        there = os.path.join("terraform", name, "clouds." + x)
        if os.path.exists(os.path.join(stacks, name, "clouds." + x)):
            print(there + ": Terraform in that folder reads it instead; add the cloud there or remove it", file=sys.stderr)
