import type { Model } from "../model/types";

/**
 * `deploy/clouds-entry.py`: copies the admin entry Kolla-Ansible's post-deploy wrote into the
 * clouds.yaml terraform-provider-openstack reads, under the design's cloud name. A file rather
 * than a one-liner: a long command copied from a PDF or a wrapped terminal breaks.
 *
 * gophercloud reads only the first clouds.yaml it finds (OS_CLIENT_CONFIG_FILE, then clouds.yaml,
 * then clouds.yml, in the working folder, the user's, then the site's), so the entry goes there
 * and one in a stack's folder, where Terraform runs, is named as shadowing it; a site file
 * (shared by every user of the host) is copied into the user's own, which is read first, never
 * changed. The file holds the admin's password: its mode is set before its content, and it is
 * replaced whole, through a link where the user's file is one.
 */
export function cloudsEntryScript(model: Model): string {
  // A JSON string is a Python string literal.
  const cloud = JSON.stringify(model.cloud.cloud);
  return `#!/usr/bin/env python3
"""Copy Kolla-Ansible's admin entry into the clouds.yaml Terraform reads, as cloud CLOUD.

Run from the output folder on the deployment host, after kolla-ansible post-deploy:
    python3 deploy/clouds-entry.py
It prints the file it wrote; each file it rewrites is kept beside it (<file>.stackwright-old,
then .stackwright-old.2, ...), and a cloud CLOUD with other settings there is replaced only with
--replace.
"""
import os
import pwd
import sys

import yaml

CLOUD = ${cloud}
KOLLA = "/etc/kolla/clouds.yaml"
SITE = "/etc/openstack"

MAP = "tag:yaml.org,2002:map"
STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"


def read(name):
    """A YAML file's node tree (None when empty). Nodes keep each scalar as the file spells it:
    read as values and dumped again, YAML 1.1 would turn a password 0755 or a region NO into 493
    and false, which gophercloud reads as text."""
    try:
        with open(name, encoding="utf-8-sig") as f:
            text = f.read()
        return yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    except UnicodeDecodeError:
        sys.exit(name + ": not a clouds.yaml (not UTF-8 text)")
    except OSError as e:
        sys.exit(name + ": " + (e.strerror or str(e)) + (" (run kolla-ansible post-deploy first)" if name == KOLLA else ""))
    except yaml.YAMLError as e:
        sys.exit(name + ": not a clouds.yaml (" + " ".join(str(e).split()) + ")")


def find(name, mapping, key):
    """The value node of a key of a mapping node; a key given twice is refused: readers differ
    on which one counts."""
    found = [v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    if len(found) > 1:
        sys.exit(name + ": " + key + " is given twice; keep one")
    return found[0] if found else None


def as_text(node):
    """A node as gophercloud reads it: its scalars as written."""
    return yaml.load(yaml.serialize(node), Loader=yaml.BaseLoader)


kolla = read(KOLLA)
clouds_node = find(KOLLA, kolla, "clouds") if isinstance(kolla, yaml.MappingNode) else None
entry = find(KOLLA, clouds_node, "kolla-admin") if isinstance(clouds_node, yaml.MappingNode) else None
if not isinstance(entry, yaml.MappingNode):
    sys.exit(KOLLA + ": no kolla-admin cloud; run kolla-ansible post-deploy first")
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
root = read(path) if readable else None
if root is None:
    root = yaml.MappingNode(MAP, [])
listed = find(path, root, "clouds") if isinstance(root, yaml.MappingNode) else None
empty = listed is None or (isinstance(listed, yaml.ScalarNode) and listed.tag == NULL)
if not isinstance(root, yaml.MappingNode) or not (empty or isinstance(listed, yaml.MappingNode)):
    sys.exit(path + ": not a clouds.yaml")
if empty:
    clouds = yaml.MappingNode(MAP, [])
    root.value = [(k, clouds if v is listed else v) for k, v in root.value]
    if listed is None:
        root.value.append((yaml.ScalarNode(STR, "clouds"), clouds))
    listed = clouds
# The site file is every user's: its clouds and this one go into the user's own, read first.
# A file that is a link (dotfiles) is written where it leads.
target = os.path.realpath(home if site else path)
# Another cloud of that name is the user's: replaced only when asked.
had = find(path, listed, CLOUD)
same = had is not None and as_text(had) == as_text(entry)
if had is not None and not same and sys.argv[1:] != ["--replace"]:
    sys.exit(path + ": cloud " + CLOUD + " is there already, with other settings; run again with --replace to replace it")


def block(node, seen):
    """Every collection in block style, where each plain scalar can stay plain as written."""
    if id(node) in seen or isinstance(node, yaml.ScalarNode):
        return
    seen.add(id(node))
    node.flow_style = False
    for item in node.value:
        for child in item if isinstance(item, tuple) else (item,):
            block(child, seen)


if had is None:
    listed.value.append((yaml.ScalarNode(STR, CLOUD), entry))
else:
    # (only under its own key: another cloud aliasing it keeps what it read)
    listed.value = [
        (k, entry if isinstance(k, yaml.ScalarNode) and k.value == CLOUD else v)
        for k, v in listed.value
    ]
block(root, set())
data = yaml.serialize(root, Dumper=yaml.SafeDumper).encode()
before = open(target, "rb").read() if os.path.exists(target) else None
# A file that holds the entry already is left as it is.
if not site and same:
    data = before


def write(name, content):
    # The admin's password: only the user may read the file, and a kill leaves the old one.
    new = name + ".stackwright-new"
    try:
        os.unlink(new)
    except FileNotFoundError:
        pass
    fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.fchmod(fd, 0o600)
    os.write(fd, content)
    os.fsync(fd)
    os.close(fd)
    os.replace(new, name)


if before != data:
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # The file is rewritten whole (its comments go): each text it had is kept, in a copy of its
    # own, never over an earlier one.
    if before is not None:
        kept = target + ".stackwright-old"
        n = 1
        while os.path.lexists(kept):
            n += 1
            kept = target + ".stackwright-old." + str(n)
        write(kept, before)
    write(target, data)
    if before is not None:
        print(target + ": rewritten without its comments; the previous file is " + kept, file=sys.stderr)
elif os.stat(target).st_mode & 0o077:
    os.chmod(target, 0o600)
    print(target + ": made readable by you alone; it holds the admin's password", file=sys.stderr)
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
`;
}
