#!/usr/bin/env python3
"""Extract ForceNew attribute paths from terraform-provider-openstack Go sources.

Usage:
    force_new.py REPO_GIT_DIR REF [--schema schema.json] [--out force-new.json]
                 [--details details.json]

Reads the provider's Go code at REF straight from git (no work tree needed),
maps each Terraform resource type to its constructor via provider.go's
ResourcesMap, parses the returned `&schema.Resource{...}` literal with a small
Go tokenizer / composite-literal parser and records:

  * every attribute (top-level or nested inside `Elem: &schema.Resource{...}`)
    marked `ForceNew: true`, as a path list (["attr"], ["block", "attr"], ...);
  * for resources without Update/UpdateContext/UpdateWithoutTimeout, which
    top-level arguments are not marked ForceNew although they are settable
    (terraform-plugin-sdk v2 InternalValidate only demands ForceNew on
    `!ForceNew && !Computed` attributes, so Optional+Computed ones may stay
    unmarked; the real provider then plans an in-place update that fails at
    apply).  They go to the output only with --no-update-implies-force-new.

Shared helpers are followed: an attribute value or `Schema:`/`Elem:` value that
is a call `helper(...)` is resolved to `func helper(...)` in the same package,
whose `return <composite literal>` (or `return v` with `v := <literal>`) is
parsed.  Anything that cannot be resolved statically is reported, never guessed.

Standard library only; output is deterministic (sorted keys and paths).
"""

import argparse
import json
import re
import subprocess
import sys

# --------------------------------------------------------------------------
# git access


def git(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), check=True,
                          stdout=subprocess.PIPE).stdout


def read_package(repo, ref, pkg="openstack"):
    names = git(repo, "ls-tree", "--name-only", ref, pkg + "/").decode().split("\n")
    names = sorted(n for n in names if n.endswith(".go") and not n.endswith("_test.go"))
    # one batch process for all blobs
    req = "".join("%s:%s\n" % (ref, n) for n in names).encode()
    out = subprocess.run(["git", "-C", repo, "cat-file", "--batch"], input=req,
                         check=True, stdout=subprocess.PIPE).stdout
    files, pos = {}, 0
    for n in names:
        nl = out.index(b"\n", pos)
        header = out[pos:nl].decode().split()
        if len(header) < 3 or header[1] != "blob":
            raise SystemExit("cannot read %s:%s" % (ref, n))
        size = int(header[2])
        files[n] = out[nl + 1:nl + 1 + size].decode("utf-8")
        pos = nl + 1 + size + 1
    return files


# --------------------------------------------------------------------------
# tokenizer

TOKEN_RE = re.compile(r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*.*?\*/)
  | (?P<rawstr>`[^`]*`)
  | (?P<str>"(?:\\.|[^"\\\n])*")
  | (?P<rune>'(?:\\.|[^'\\\n])+')
  | (?P<num>\d[\w.]*)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<op>:=|\.\.\.|&&|\|\||==|!=|<=|>=|<-|\+\+|--|[-+*/%&|^<>=!(){}\[\],;:.])
""", re.S | re.X)


class Tok:
    __slots__ = ("kind", "val", "line")

    def __init__(self, kind, val, line):
        self.kind, self.val, self.line = kind, val, line

    def __repr__(self):
        return "%s:%r@%d" % (self.kind, self.val, self.line)


def tokenize(src):
    toks, pos, line = [], 0, 1
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise ValueError("tokenizer stuck at line %d: %r" % (line, src[pos:pos + 20]))
        kind = m.lastgroup
        text = m.group(kind)
        if kind not in ("ws", "lcomment", "bcomment"):
            toks.append(Tok(kind, text, line))
        line += text.count("\n")
        pos = m.end()
    return toks


OPEN = {"(": ")", "[": "]", "{": "}"}


def match_close(toks, i):
    """toks[i] is an opening bracket; return index of its matching close."""
    depth = 0
    for j in range(i, len(toks)):
        v = toks[j].val if toks[j].kind == "op" else None
        if v in OPEN:
            depth += 1
        elif v in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced bracket at line %d" % toks[i].line)


# --------------------------------------------------------------------------
# composite literal model


class Lit:
    """A composite literal: type tokens + ordered (key, value) elements.

    key is a string (identifier or decoded string literal) or None;
    value is a Lit or an Expr."""

    def __init__(self, typ, elems, line):
        self.typ, self.elems, self.line = typ, elems, line

    def get(self, key):
        for k, v in self.elems:
            if k == key:
                return v
        return None

    def has(self, key):
        return any(k == key for k, _ in self.elems)


class Expr:
    def __init__(self, toks):
        self.toks = toks
        self.line = toks[0].line if toks else 0

    def text(self):
        return " ".join(t.val for t in self.toks)

    def is_true(self):
        return len(self.toks) == 1 and self.toks[0].val == "true"

    def call_name(self):
        """`name(...)` or `&name(...)`? -> name (package-local call)."""
        t = self.toks
        if t and t[0].val == "&":
            t = t[1:]
        if (len(t) >= 3 and t[0].kind == "ident" and t[1].val == "("
                and match_close(t, 1) == len(t) - 1):
            return t[0].val
        return None

    def ident(self):
        if len(self.toks) == 1 and self.toks[0].kind == "ident":
            return self.toks[0].val
        return None


def split_top(toks, lo, hi, sep=","):
    """Split toks[lo:hi] on top-level separators."""
    parts, start, i = [], lo, lo
    while i < hi:
        v = toks[i].val if toks[i].kind == "op" else None
        if v in OPEN:
            i = match_close(toks, i) + 1
            continue
        if v == sep:
            parts.append((start, i))
            start = i + 1
        i += 1
    if start < hi:
        parts.append((start, hi))
    return parts


def is_literal_type(toks):
    """Do these tokens look like the type part of a composite literal?"""
    if not toks:
        return True  # elided type inside a map/slice literal
    if toks[0].val == "func" or any(t.val in ("(", ")") for t in toks):
        return False
    return all(t.kind == "ident" or t.val in (".", "*", "[", "]", "&") for t in toks)


def parse_value(toks, lo, hi):
    """Parse toks[lo:hi] as a value: composite literal if it is one, else Expr."""
    if hi > lo and toks[hi - 1].val == "}":
        # find the opening brace of the final {...}
        i = lo
        while i < hi:
            if toks[i].val == "{" and match_close(toks, i) == hi - 1:
                if is_literal_type(toks[lo:i]):
                    return parse_literal(toks, lo, i)
                break
            if toks[i].val in OPEN:
                i = match_close(toks, i) + 1
            else:
                i += 1
    return Expr(toks[lo:hi])


def parse_literal(toks, lo, brace):
    """toks[brace] == '{', toks[lo:brace] are the type tokens."""
    end = match_close(toks, brace)
    elems = []
    for a, b in split_top(toks, brace + 1, end):
        colon = None
        j = a
        while j < b:
            if toks[j].val in OPEN:
                j = match_close(toks, j) + 1
                continue
            if toks[j].val == ":" and toks[j].kind == "op":
                colon = j
                break
            j += 1
        if colon is not None:
            key_toks = toks[a:colon]
            if len(key_toks) == 1 and key_toks[0].kind == "str":
                key = json.loads(key_toks[0].val)
            elif len(key_toks) == 1 and key_toks[0].kind == "rawstr":
                key = key_toks[0].val[1:-1]
            else:
                key = " ".join(t.val for t in key_toks)
            elems.append((key, parse_value(toks, colon + 1, b)))
        else:
            elems.append((None, parse_value(toks, a, b)))
    return Lit([t.val for t in toks[lo:brace]], elems, toks[brace].line)


# --------------------------------------------------------------------------
# function index


class Func:
    def __init__(self, name, fname, toks, body_lo, body_hi):
        self.name, self.file, self.toks = name, fname, toks
        self.body_lo, self.body_hi = body_lo, body_hi  # inside the braces


def index_functions(files):
    """Index top-level func declarations (bracket groups at file level, e.g.
    import lists, struct/var bodies, are skipped so func types inside them are
    never mistaken for declarations)."""
    funcs = {}
    for fname in sorted(files):
        toks = tokenize(files[fname])
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.kind == "op" and t.val in OPEN:
                i = match_close(toks, i) + 1
                continue
            if t.kind == "ident" and t.val == "func":
                j = i + 1
                if toks[j].val == "(":  # method receiver (or a func literal)
                    j = match_close(toks, j) + 1
                if not (toks[j].kind == "ident" and toks[j + 1].val in ("(", "[")):
                    i += 1
                    continue
                name = toks[j].val
                k = j + 1
                if toks[k].val == "[":  # type params
                    k = match_close(toks, k) + 1
                k = match_close(toks, k) + 1  # params
                while toks[k].val != "{":  # results
                    if toks[k].val in ("(", "["):
                        k = match_close(toks, k) + 1
                    else:
                        k += 1
                end = match_close(toks, k)
                key = name if name not in funcs else name + "@" + fname
                funcs[key] = Func(name, fname, toks, k + 1, end)
                i = end + 1
                continue
            i += 1
    return funcs


def returned_literal(fn, notes):
    """Return the composite literal a helper function returns (top-level return)."""
    toks = fn.toks
    i = fn.body_lo
    assigns = {}
    ret = None
    while i < fn.body_hi:
        t = toks[i]
        if t.val in OPEN:
            i = match_close(toks, i) + 1
            continue
        if t.kind == "ident" and i + 1 < fn.body_hi and toks[i + 1].val in (":=", "="):
            # statement `x := value` at function top level; value ends at end of line
            lo = i + 2
            hi = lo
            while hi < fn.body_hi and (toks[hi].line == toks[lo].line or toks[hi - 1].val in OPEN
                                        or toks[hi - 1].val in (",", "&&", "||", "+", ".")):
                if toks[hi].val in OPEN:
                    hi = match_close(toks, hi) + 1
                else:
                    hi += 1
            assigns.setdefault(t.val, parse_value(toks, lo, hi))
            i = hi
            continue
        if t.kind == "ident" and t.val == "return":
            lo = i + 1
            hi = lo
            while hi < fn.body_hi and (toks[hi].line == toks[lo].line):
                if toks[hi].val in OPEN:
                    hi = match_close(toks, hi) + 1
                else:
                    hi += 1
            ret = parse_value(toks, lo, hi)
            break
        i += 1
    if ret is None:
        notes.append("%s (%s): no top-level return found" % (fn.name, fn.file))
        return None
    if isinstance(ret, Expr) and ret.ident() and ret.ident() in assigns:
        val = assigns[ret.ident()]
        # detect post-construction mutation of the returned variable
        body = fn.toks[fn.body_lo:fn.body_hi]
        mut = [tk for a, tk in enumerate(body[:-1])
               if tk.val == ret.ident() and body[a + 1].val == "."]
        if mut:
            notes.append("%s (%s): returned variable %r is mutated after construction "
                         "(line %d); mutations are not modelled"
                         % (fn.name, fn.file, ret.ident(), mut[0].line))
        ret = val
    if isinstance(ret, Expr):
        name = ret.call_name()
        if name:
            return ret  # caller resolves further
        notes.append("%s (%s): returns non-literal %r" % (fn.name, fn.file, ret.text()))
        return None
    return ret


# --------------------------------------------------------------------------
# schema walking


class Walker:
    def __init__(self, funcs):
        self.funcs = funcs
        self.notes = []

    def resolve(self, val, what, ctx):
        """Follow helper calls until a Lit is reached; None if impossible."""
        seen = set()
        while isinstance(val, Expr):
            name = val.call_name()
            if not name or name not in self.funcs or name in seen:
                self.notes.append("%s: %s is not statically resolvable: %s (line %d)"
                                  % (ctx, what, val.text()[:80], val.line))
                return None
            seen.add(name)
            val = returned_literal(self.funcs[name], self.notes)
        return val

    def walk_schema_map(self, lit, prefix, out, ctx, top_attrs=None):
        """lit: map[string]*schema.Schema literal."""
        lit = self.resolve(lit, "Schema map", ctx)
        if lit is None:
            return False
        ok = True
        for key, val in lit.elems:
            if key is None:
                continue
            path = prefix + [key]
            sch = self.resolve(val, "attribute %s" % "/".join(path), ctx)
            if sch is None:
                ok = False
                continue
            fn = sch.get("ForceNew")
            computed = isinstance(sch.get("Computed"), Expr) and sch.get("Computed").is_true()
            optional = isinstance(sch.get("Optional"), Expr) and sch.get("Optional").is_true()
            required = isinstance(sch.get("Required"), Expr) and sch.get("Required").is_true()
            info = {
                "force_new": bool(isinstance(fn, Expr) and fn.is_true()),
                "computed": computed,
                "computed_only": computed and not optional and not required,
                "line": sch.line,
            }
            if isinstance(fn, Expr) and not fn.is_true() and fn.text() != "false":
                self.notes.append("%s: %s has non-literal ForceNew %r"
                                  % (ctx, "/".join(path), fn.text()))
            out["/".join(path)] = dict(info, path=path)
            if top_attrs is not None:
                top_attrs[key] = info
            elem = sch.get("Elem")
            if elem is not None:
                elem = self.resolve(elem, "Elem of %s" % "/".join(path), ctx)
                if elem is None:
                    ok = False
                elif elem.typ and elem.typ[-1] == "Resource":
                    inner = elem.get("Schema")
                    if inner is None:
                        self.notes.append("%s: nested resource %s has no Schema" % (ctx, "/".join(path)))
                        ok = False
                    elif not self.walk_schema_map(inner, path, out, ctx):
                        ok = False
        return ok


# --------------------------------------------------------------------------
# main logic


def resources_map(funcs):
    prov = funcs.get("Provider")
    if prov is None:
        raise SystemExit("func Provider not found")
    toks = prov.toks
    for i in range(prov.body_lo, prov.body_hi):
        if toks[i].val == "ResourcesMap" and toks[i + 1].val == ":":
            j = i + 2
            while toks[j].val != "{":
                j += 1
            lit = parse_literal(toks, i + 2, j)
            res = {}
            for k, v in lit.elems:
                name = v.call_name() if isinstance(v, Expr) else None
                res[k] = name
            return res
    raise SystemExit("ResourcesMap not found in Provider()")


def analyse(repo, ref):
    files = read_package(repo, ref)
    funcs = index_functions(files)
    rmap = resources_map(funcs)
    walker = Walker(funcs)
    results = {}
    for rtype in sorted(rmap):
        ctor = rmap[rtype]
        entry = {"constructor": ctor, "file": None, "parsed": False}
        results[rtype] = entry
        if not ctor or ctor not in funcs:
            entry["error"] = "constructor %r not found" % ctor
            continue
        fn = funcs[ctor]
        entry["file"] = fn.file
        ctx = "%s (%s)" % (rtype, fn.file)
        nbefore = len(walker.notes)
        res = walker.resolve(returned_literal(fn, walker.notes), "resource literal", ctx)
        if res is None:
            entry["error"] = "resource literal not parsable"
            entry["notes"] = walker.notes[nbefore:]
            continue
        has_update = any(res.has(k) for k in ("Update", "UpdateContext", "UpdateWithoutTimeout"))
        attrs, top = {}, {}
        ok = walker.walk_schema_map(res.get("Schema"), [], attrs, ctx, top) \
            if res.get("Schema") is not None else False
        entry["parsed"] = ok
        entry["has_update"] = has_update
        entry["custom_diff"] = res.has("CustomizeDiff")
        force = set()
        for a in attrs.values():
            if a["force_new"]:
                force.add(tuple(a["path"]))
        # No Update function: terraform-plugin-sdk v2 InternalValidate demands
        # ForceNew on every top-level attribute with `!ForceNew && !Computed`
        # (so Optional+Computed ones are exempt).  Such exempt arguments are
        # NOT replace-triggers in the real provider: a change plans an in-place
        # update that then fails at apply ("doesn't support update").
        implied_unmarked, sdk_violations = [], []
        if not has_update:
            for k in sorted(top):
                if not top[k]["computed_only"] and not top[k]["force_new"]:
                    implied_unmarked.append(k)
                    if not top[k]["computed"]:
                        sdk_violations.append(k)
        entry["no_update_args_not_marked"] = implied_unmarked
        entry["no_update_sdk_violations"] = sdk_violations
        entry["force_new"] = [list(p) for p in sorted(force)]
        entry["force_new_with_no_update_args"] = [
            list(p) for p in sorted(force | set((k,) for k in implied_unmarked))]
        entry["attributes"] = sorted(attrs)
        entry["notes"] = walker.notes[nbefore:]
    return results


def schema_paths(block, prefix=()):
    """All attribute paths a Terraform JSON schema block exposes (nested object
    attributes included, since SDKv2 turns computed-only/attr-mode Elem
    resources into list(object) attributes)."""
    paths = set()

    def from_type(t, pre):
        if isinstance(t, list) and len(t) == 2 and t[0] in ("list", "set", "map"):
            from_type(t[1], pre)
        elif isinstance(t, list) and len(t) == 2 and t[0] == "object":
            for k, v in t[1].items():
                paths.add(pre + (k,))
                from_type(v, pre + (k,))

    for k, a in block.get("attributes", {}).items():
        paths.add(prefix + (k,))
        from_type(a.get("type"), prefix + (k,))
    for k, bt in block.get("block_types", {}).items():
        paths.add(prefix + (k,))
        paths |= schema_paths(bt["block"], prefix + (k,))
    return paths


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("repo")
    ap.add_argument("ref")
    ap.add_argument("--schema", help="terraform providers schema -json output")
    ap.add_argument("--out", default="-")
    ap.add_argument("--details", help="write per-resource analysis JSON here")
    ap.add_argument("--no-update-implies-force-new", action="store_true",
                    help="for resources without Update, also list Optional+Computed "
                         "arguments the provider did not mark ForceNew")
    args = ap.parse_args(argv)

    results = analyse(args.repo, args.ref)
    types = sorted(results)
    schema_rs = None
    if args.schema:
        with open(args.schema) as f:
            ps = json.load(f)["provider_schemas"]
        key = [k for k in ps if k.endswith("/openstack")][0]
        schema_rs = ps[key]["resource_schemas"]
        types = sorted(schema_rs)

    out = {}
    for t in types:
        r = results.get(t)
        if r is None or "force_new" not in r:
            continue
        out[t] = r["force_new_with_no_update_args"] if args.no_update_implies_force_new \
            else r["force_new"]
        if schema_rs is not None:
            have = schema_paths(schema_rs[t]["block"])
            r["mismatches"] = [p for p in r["force_new"] if tuple(p) not in have]
            goattrs = set(tuple(a.split("/")) for a in r["attributes"])
            r["in_schema_json_not_go"] = sorted(
                "/".join(p) for p in have
                if p not in goattrs and p[0] not in ("id", "timeouts"))
            r["in_go_not_schema_json"] = sorted(
                "/".join(p) for p in goattrs if p not in have)
    if schema_rs is not None:
        for t in types:
            if t not in results:
                print("warning: %s not in ResourcesMap" % t, file=sys.stderr)

    text = json.dumps(out, indent=2, sort_keys=True) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)
    if args.details:
        det = {t: results[t] for t in sorted(results) if schema_rs is None or t in schema_rs}
        det["_missing_from_resources_map"] = [t for t in types if t not in results]
        with open(args.details, "w") as f:
            json.dump(det, f, indent=2, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
