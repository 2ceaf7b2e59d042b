import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";

import { asUserError } from "../../cli/output";
import { loadDesign } from "../../cli/pipeline";
import { UserError, formatPath, type SpecIssue } from "../../core/errors";
import { loadSpecText } from "../../model/load";
import { loadPriceBook } from "../../proposal/proposal";
import { adDirectory, baseSpec, issuesOf, load, pathOf, variant } from "../support/fixtures";
import { ROOT, cli, tmp } from "../support/cli";

/** The issues of a spec text (or of a file loader); fails the test when it loads. */
function failure(load: () => unknown): SpecIssue[] {
  try {
    load();
  } catch (err) {
    if (err instanceof UserError) return [...err.issues];
    throw err;
  }
  throw new Error("expected a user error");
}

const errorsOf = (issues: readonly SpecIssue[]) =>
  issues.filter((i) => i.severity === "error").map((i) => [i.code, pathOf(i)]);

const tenant = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  network: { cidr: "172.30.0.0/24" },
  ...extra,
});

describe("credentials in URLs (item 4)", () => {
  const SECRET = "s3cr3t-value";
  test.each([
    [
      "an http backend with userinfo",
      (s: any) =>
        (s.output = {
          backend: { type: "http", address: `https://u:${SECRET}@tf.example.com/state` },
        }),
      "output.backend.address",
    ],
    [
      "an http backend with ?token=",
      (s: any) =>
        (s.output = {
          backend: { type: "http", address: `https://tf.example.com/state?token=${SECRET}` },
        }),
      "output.backend.address",
    ],
    [
      "an s3 endpoint with userinfo",
      (s: any) =>
        (s.output = {
          backend: {
            type: "s3",
            bucket: "tfstate",
            endpoint: `https://AKIA:${SECRET}@s3.example.com`,
          },
        }),
      "output.backend.endpoint",
    ],
    [
      "a presigned s3 endpoint",
      (s: any) =>
        (s.output = {
          backend: {
            type: "s3",
            bucket: "tfstate",
            endpoint: `https://s3.example.com/?X-Amz-Signature=${SECRET}&X-Amz-Credential=x`,
          },
        }),
      "output.backend.endpoint",
    ],
    [
      "an LDAP URL with userinfo",
      (s: any) =>
        (s.identity = {
          domains: [
            {
              name: "corp",
              ldap: {
                url: `ldaps://cn=admin:${SECRET}@ad.example.com`,
                userTreeDn: "ou=Users,dc=example,dc=com",
                groupTreeDn: "ou=Groups,dc=example,dc=com",
              },
            },
          ],
        }),
      "identity.domains[0].ldap.url",
    ],
    // URL parsers take quotes, backticks and angle brackets: a credential after one still counts.
    [
      "an http backend with ?token= after a quote",
      (s: any) =>
        (s.output = {
          backend: { type: "http", address: `https://tf.example.com/a'?token=${SECRET}` },
        }),
      "output.backend.address",
    ],
    [
      "an http backend with userinfo holding a double quote",
      (s: any) =>
        (s.output = {
          backend: { type: "http", address: `https://us"er:${SECRET}@tf.example.com/x` },
        }),
      "output.backend.address",
    ],
    [
      "an LDAP URL with userinfo holding a backtick",
      (s: any) =>
        (s.identity = {
          domains: [
            {
              name: "corp",
              ldap: {
                url: `ldaps://svc\`x:${SECRET}@ad.example.com`,
                userTreeDn: "ou=Users,dc=example,dc=com",
                groupTreeDn: "ou=Groups,dc=example,dc=com",
              },
            },
          ],
        }),
      "identity.domains[0].ldap.url",
    ],
    [
      "free text quoting a link, then a signed one after it",
      (s: any) =>
        (s.metadata.project = `"https://a.example.com","https://u:${SECRET}@b.example.com"`),
      "metadata.project",
    ],
    [
      "an http backend written https:/ with userinfo, which URL parsers complete",
      (s: any) =>
        (s.output = {
          backend: { type: "http", address: `https:/ops:${SECRET}@tf.example.com/x` },
        }),
      "output.backend.address",
    ],
    [
      "an S3 endpoint written https:\\ with userinfo",
      (s: any) =>
        (s.output = {
          backend: {
            type: "s3",
            bucket: "tfstate",
            endpoint: `https:\\\\AKIA:${SECRET}@rgw.example.com`,
          },
        }),
      "output.backend.endpoint",
    ],
    [
      "free text with a scheme but no slashes before userinfo",
      (s: any) => (s.metadata.project = `state at https:ops:${SECRET}@tf.example.com`),
      "metadata.project",
    ],
    [
      "free text holding a scheme-relative link with userinfo, which clients complete",
      (s: any) => (s.metadata.description = `see //alice:${SECRET}@example.com/x`),
      "metadata.description",
    ],
    [
      "free text holding a signed link",
      (s: any) => (s.metadata.project = `see https://wiki.example.com/x?access_token=${SECRET}`),
      "metadata.project",
    ],
  ])("fails for %s, naming the path, never the value", (_what, edit, where) => {
    const issues = issuesOf(variant(edit));
    expect(errorsOf(issues)).toContainEqual(["url-credentials", where]);
    expect(JSON.stringify(issues)).not.toContain(SECRET);
    const issue = issues.find((i) => i.code === "url-credentials")!;
    expect(issue.location).toMatchObject({ file: "spec.json", line: expect.any(Number) });
  });

  test.each(["pw", "passcode", "otp", "db_pass", "pass-phrase", "temp_url_sig", "hmac"])(
    "fails for an http backend with ?%s=, never echoing the value",
    (param) => {
      const issues = issuesOf(
        variant(
          (s) =>
            (s.output = {
              backend: {
                type: "http",
                address: `https://state.example.com/tf?lock=1&${param}=${SECRET}`,
              },
            }),
        ),
      );
      expect(errorsOf(issues)).toContainEqual(["url-credentials", "output.backend.address"]);
      expect(JSON.stringify(issues)).not.toContain(SECRET);
    },
  );

  test.each(["token", "api_key", "X-Amz-Signature"])(
    "fails for an http backend with a ;%s= path parameter, never echoing the value",
    (param) => {
      const issues = issuesOf(
        variant(
          (s) =>
            (s.output = {
              backend: { type: "http", address: `https://state.example.net/tf;${param}=${SECRET}` },
            }),
        ),
      );
      expect(errorsOf(issues)).toContainEqual(["url-credentials", "output.backend.address"]);
      expect(issues.find((i) => i.code === "url-credentials")!.message).toContain(
        "a credential-like path parameter",
      );
      expect(JSON.stringify(issues)).not.toContain(SECRET);
      // (a path parameter of no credential is a path)
      expect(() =>
        load(
          variant(
            (s) =>
              (s.output = {
                backend: { type: "http", address: "https://state.example.net/tf;v=2/state" },
              }),
          ),
        ),
      ).not.toThrow();
    },
  );

  test.each([
    ["a tab inside the userinfo, which URL parsers drop", `https://op\ts:${SECRET}@tf.example.com`],
    ["a newline inside the userinfo", `https://op\ns:${SECRET}@tf.example.com`],
    ["no scheme at all, only userinfo and host", `AKIA:${SECRET}@rgw.example.com`],
    ["a backslash for the slashes", `https:\\\\rgw.example.com`],
  ])("a backend URL with %s is refused, never echoing it", (_what, url) => {
    for (const backend of [
      { type: "http", address: url },
      { type: "s3", bucket: "tfstate", endpoint: url },
    ]) {
      const issues = issuesOf(variant((s) => (s.output = { backend })));
      const at = backend.type === "http" ? "output.backend.address" : "output.backend.endpoint";
      expect(issues.filter((i) => formatPath(i.path) === at && i.severity === "error")).not.toEqual(
        [],
      );
      expect(JSON.stringify(issues)).not.toContain(SECRET);
    }
  });

  test.each([
    ["an LDAP URL", "identity.domains[0].ldap.url"],
    ["an S3 endpoint", "output.backend.endpoint"],
    ["an http backend", "output.backend.address"],
  ])(
    "%s holding a control character is refused: Keystone and Terraform take it as is",
    (_what, at) => {
      for (const c of ["\x01", "\x7f", "\x85"]) {
        const issues = issuesOf(
          variant((s) => {
            if (at.startsWith("identity"))
              s.identity = {
                domains: [
                  {
                    name: "corp",
                    ldap: {
                      url: `ldaps://ad.example.com${c}`,
                      userTreeDn: "ou=Users,dc=example,dc=com",
                      groupTreeDn: "ou=Groups,dc=example,dc=com",
                    },
                  },
                ],
              };
            else if (at.endsWith("endpoint"))
              s.output = {
                backend: {
                  type: "s3",
                  bucket: "tfstate",
                  endpoint: `https://rgw.example.com/${c}`,
                },
              };
            else s.output = { backend: { type: "http", address: `https://tf.example.com/${c}` } };
          }),
        );
        expect(issues.filter((i) => i.severity === "error").map(pathOf)).toContain(at);
      }
    },
  );

  test("an S3 endpoint with a query string is refused: S3 takes none", () => {
    const issues = issuesOf(
      variant(
        (s) =>
          (s.output = {
            backend: { type: "s3", bucket: "tfstate", endpoint: "https://rgw.example.com/?x=1" },
          }),
      ),
    );
    expect(issues.find((i) => pathOf(i) === "output.backend.endpoint")?.message).toContain(
      "must not hold a query string or fragment",
    );
  });

  test("a package proxy or mirror holding what a URL may not is refused: apt quotes none of it", () => {
    const refused = (undercloud: Record<string, string>) =>
      issuesOf(variant((s) => (s.cloud.undercloud = { cloud: "under", ...undercloud })))
        .filter((i) => pathOf(i).startsWith("cloud.undercloud"))
        .map((i) => [pathOf(i), i.message]);
    const rule =
      "must hold only the characters of a URL (RFC 3986): letters, digits and -._~:/?#[]@!$&'()*+,;=, any other percent-encoded (%22 for a quote) and a host of other scripts in its xn-- form";
    // GIVEN a quote in the proxy (it would end apt's quoted Acquire::http::Proxy), a brace and a
    // host of another script in the mirror, a stray percent sign
    expect(refused({ packageProxy: 'http://proxy.example:3128/a"b' })).toEqual([
      ["cloud.undercloud.packageProxy", rule],
    ]);
    expect(refused({ packageMirror: "http://mirror.example/{ubuntu}" })).toEqual([
      ["cloud.undercloud.packageMirror", rule],
    ]);
    expect(refused({ packageMirror: "http://spiegel.bücher.example/ubuntu" })).toEqual([
      ["cloud.undercloud.packageMirror", rule],
    ]);
    expect(refused({ packageMirror: "http://mirror.example/50%off" })).toEqual([
      ["cloud.undercloud.packageMirror", rule],
    ]);
    // THEN encoded, in xn-- form, or with the sub-delimiters a path may hold, they are taken
    expect(() =>
      load(
        variant(
          (s) =>
            (s.cloud.undercloud = {
              cloud: "under",
              packageProxy: "http://proxy.example:3128/a%22b",
              packageMirror: "http://xn--spiegel-bcher-3ob.example/ubuntu/~arch;v=1",
            }),
        ),
      ),
    ).not.toThrow();
  });

  test("links whose parameters only look like credentials pass", () => {
    const spec = variant(
      (s) =>
        (s.metadata.project =
          "see https://wiki.example.com/display/OPS?code=ACME-RETAIL&bypass_cache=1&compass=n"),
    );
    expect(() => load(spec)).not.toThrow();
  });

  test("URLs without credentials pass", () => {
    expect(() =>
      loadSpecText(
        stringify(
          variant(
            (s) =>
              (s.output = {
                backend: { type: "http", address: "https://tf.example.com/state?project=a&lock=1" },
              }),
          ),
        ),
      ),
    ).not.toThrow();
  });

  test("synth refuses, exit 2, writing nothing and never echoing the secret", async () => {
    const dir = tmp();
    const spec = path.join(dir, "spec.yaml");
    fs.writeFileSync(
      spec,
      stringify(
        variant(
          (s) =>
            (s.output = {
              backend: { type: "http", address: "https://ops:hunter2@tf.example.com" },
            }),
        ),
      ),
    );
    const r = await cli(["synth", spec, "--out", path.join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /spec\.yaml:\d+:\d+ {2}output\.backend\.address: .+\[url-credentials\]/,
    );
    expect(r.stderr).not.toContain("hunter2");
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  test("fails for a price book holding a URL with credentials", () => {
    const dir = tmp();
    const book = path.join(dir, "book.yaml");
    fs.writeFileSync(
      book,
      fs
        .readFileSync(path.join(ROOT, "examples/price-books/standard.yaml"), "utf8")
        .replace(/^name: .*$/m, 'name: "Quote https://erp.example.com/q?sig=abc"'),
    );
    const issues = failure(() => loadPriceBook(book));
    expect(errorsOf(issues)).toEqual([["url-credentials", "name"]]);
    expect(issues[0].location).toMatchObject({ file: book, line: expect.any(Number) });
    // (in the price book's words: no design or Terraform is in it)
    expect(issues[0].message).toBe(
      "the URL carries a credential-like query parameter (sig); remove it: a price book is shared and printed, so no credential belongs in it",
    );
  });
});

describe("parsing (item 5)", () => {
  const text = (edit: (s: any) => void = () => undefined) => stringify(variant(edit));

  test("20,000 keys with a duplicate at the end: found, with its line", () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: ${i}`).join("\n");
    const issues = failure(() => loadSpecText(`${text()}extra:\n${keys}\n  k0: again\n`, "s.yaml"));
    expect(issues.map((i) => [i.code, i.location?.line])).toEqual([
      ["yaml-syntax", 20_002 + text().split("\n").length - 1],
    ]);
    expect(issues[0].message).toContain('duplicate key "k0"');
  });

  test("fails beyond the entry limit, naming the file", () => {
    const many = `a:\n${"  - 1\n".repeat(100_001)}`;
    const issues = failure(() => loadSpecText(many, "big.yaml"));
    expect(issues.map((i) => [i.code, i.location?.file])).toEqual([["yaml-too-large", "big.yaml"]]);
  });

  test("fails on deep nesting with a clear code, never a stack overflow", () => {
    for (const depth of [80, 5_000, 30_000]) {
      const nested = `a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
      const issues = failure(() => loadSpecText(nested, "deep.yaml"));
      expect(issues.map((i) => i.code)).toEqual(["yaml-too-deep"]);
      expect(issues[0].message).toBe("the spec nests deeper than 64 levels, the limit for a spec");
      expect(issues[0].location?.file).toBe("deep.yaml");
    }
    let block = "";
    for (let i = 0; i < 70; i++) block += `${"  ".repeat(i)}a${i}:\n`;
    const issues = failure(() => loadSpecText(`${block}${"  ".repeat(70)}x: 1\n`, "deep.yaml"));
    expect(issues.map((i) => i.code)).toEqual(["yaml-too-deep"]);
    expect(issues[0].location?.line).toBeGreaterThan(60);
  });

  test("old Mac line endings (CR only) load like LF, with lines counted", () => {
    const lf = text();
    expect(loadSpecText(lf.replace(/\n/g, "\r"), "mac.yaml").spec).toEqual(loadSpecText(lf).spec);
    const bad = lf.replace("hosts: 4", "hosts: 0").replace(/\n/g, "\r");
    const [issue] = failure(() => loadSpecText(bad, "mac.yaml"));
    expect(issue.location?.line).toBe(lf.split("\n").findIndex((l) => l.includes("hosts: 4")) + 1);
  });

  test("an alias used before its anchor is reported at the alias", () => {
    const issues = failure(() =>
      loadSpecText("version: 1\nmetadata: *m\nother: &m {}\n", "a.yaml"),
    );
    expect(issues.map((i) => [i.code, i.location?.line, i.location?.column])).toEqual([
      ["yaml-alias", 2, 11],
    ]);
    expect(issues[0].message).toContain("used before its anchor &m");
    // AND an alias of an anchor that is nowhere says so, at the spec path it stands on
    const none = failure(() => loadSpecText("version: 1\nmetadata: *mistyped\n", "b.yaml"));
    expect(none.map((i) => [i.code, i.path.join("."), i.message])).toEqual([
      ["yaml-alias", "metadata", "the alias *mistyped names no anchor: no &mistyped in the spec"],
    ]);
  });
});

describe("cdktf token markers (item 6)", () => {
  test.each([
    [
      "${TfToken[TOKEN.1]}",
      (s: any, v: string) => (s.tenants = [tenant(v, { id: "t1" })]),
      "tenants[0].name",
    ],
    ["#{TfToken[TOKEN.1]}", (s: any, v: string) => (s.metadata.customer = v), "metadata.customer"],
    [
      "&{TfToken[TOKEN.7]}",
      (s: any, v: string) => (s.tenants = [tenant("t", { description: v })]),
      "tenants[0].description",
    ],
    ["x ${Token[TOKEN.2]} y", (s: any, v: string) => (s.metadata.project = v), "metadata.project"],
  ])("fails for %s in user text, naming the path", (marker, edit, where) => {
    const issues = issuesOf(variant((s) => edit(s, marker)));
    expect(errorsOf(issues)).toEqual([["cdktf-token", where]]);
  });

  test("a number token's value is refused by the field's range, not resolved", () => {
    const issues = issuesOf(
      variant(
        (s) => (s.tenants = [tenant("t", { quota: { instances: -1.8881545897087626e289 } })]),
      ),
    );
    expect(errorsOf(issues)[0][1]).toBe("tenants[0].quota.instances");
  });

  test.each([["Lab tenant -8.2e298"], ["x-8.371e298y"], ["(-8.11e+298)"]])(
    "fails for number text cdktf reads as a number token: %s",
    (text) => {
      const issues = issuesOf(variant((s) => (s.tenants = [tenant("t", { description: text })])));
      expect(errorsOf(issues)).toEqual([["cdktf-token", "tenants[0].description"]]);
    },
  );

  // (-1.9e289 is a list token's marker, which cdktf never looks for in strings)
  test.each([["-8.0e298"], ["release 1.2e3"], ["e-mail"], ["-1.9e289"]])(
    "number text outside the token range is fine: %s",
    (text) => {
      const spec = variant((s) => (s.tenants = [tenant("t", { description: text })]));
      expect(load(spec).model.tenants[0].description).toBe(text);
    },
  );

  test("a lone UTF-16 surrogate is refused, naming the path", () => {
    // Built at run time: the test transpiler turns a lone surrogate in a literal into U+FFFD.
    const lone = `Reg${String.fromCharCode(0xd800)}ion`;
    const issues = issuesOf(variant((s) => (s.metadata.project = lone)));
    expect(errorsOf(issues)).toEqual([["invalid-unicode", "metadata.project"]]);
    // A pair is a character; in text only the documents show, one beyond U+FFFF is welcome.
    expect(load(variant((s) => (s.metadata.project = "Cloud \u{1F600}"))).model).toBeDefined();
    const site = variant((s) => {
      s.sites = [{ name: "dc1", region: "\u{20BB7}野", description: "Plant \u{1F3ED}" }];
      s.zones.forEach((z: { site?: string }) => (z.site = "dc1"));
    });
    expect(load(site).model.sites[0].description).toBe("Plant \u{1F3ED}");
  });

  test("synth of a number-token description exits 2, never 1", async () => {
    const dir = tmp();
    const spec = path.join(dir, "spec.json");
    fs.writeFileSync(
      spec,
      JSON.stringify(
        variant((s) => (s.tenants = [tenant("t", { description: "Lab tenant -8.2e298" })])),
      ),
    );
    const r = await cli(["synth", spec, "--out", path.join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("[cdktf-token]");
  });

  test("synth of a token-named tenant exits 2, never 1", async () => {
    const dir = tmp();
    const spec = path.join(dir, "spec.yaml");
    fs.writeFileSync(
      spec,
      stringify(variant((s) => (s.tenants = [tenant("#{TfToken[TOKEN.1]}", { id: "t1" })]))),
    );
    const r = await cli(["synth", spec, "--out", path.join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("[cdktf-token]");
  });
});

describe("LDAP names and DNs", () => {
  // A DN copied with its INI quotes ("CN=svc,...") is no DN: oslo.config strips one pair, so
  // what Keystone binds with would depend on how often the file is read.
  const ldap = (edit: Record<string, string | boolean>) =>
    variant((s) => {
      s.identity = {
        domains: [
          {
            name: "corp",
            ldap: { ...adDirectory, ...edit },
          },
        ],
      };
    });
  test.each([
    ["bindDn", '"CN=svc,OU=Service,DC=example,DC=com"'],
    ["userTreeDn", "'OU=Users,DC=example,DC=com'"],
    ["groupTreeDn", "Groups"],
    ["groupObjectClass", '"'],
    ["userIdAttribute", "sAMAccount Name"],
    // (an OID names the class, but the model tells a posixGroup by its name)
    ["groupObjectClass", "1.3.6.1.1.1.2.2"],
  ])("%s %s is refused, naming the path", (field, value) => {
    expect(errorsOf(issuesOf(ldap({ [field]: value })))[0]).toEqual([
      "schema-invalid-format",
      `identity.domains[0].ldap.${field}`,
    ]);
  });

  test("DNs and descriptors load", () => {
    const spec = ldap({
      bindDn: "cn=svc\\,ops,ou=Service,dc=example,dc=com",
      activeDirectory: false,
      groupObjectClass: "groupOfNames",
      userIdAttribute: "uid",
    });
    expect(load(spec).model.identity.domains[0].ldap?.groupObjectClass).toBe("groupOfNames");
  });
});

describe("the key __proto__", () => {
  test.each([
    ["JSON", "spec.json", (text: string) => text],
    ["YAML", "spec.yaml", (text: string) => stringify(JSON.parse(text))],
  ])("is refused in %s, where a map built from the spec would drop it", (_, file, write) => {
    // GIVEN a backend whose volume type is __proto__, and a tenant quota keyed by it
    const text = JSON.stringify(
      variant((s) => {
        s.storage = { backends: [{ name: "lvm", kind: "lvm", volumeType: "PROTO" }] };
        s.tenants = [tenant("t", { quota: { perVolumeType: { PROTO: { volumes: 5 } } } })];
      }),
    ).replaceAll('"PROTO"', '"__proto__"');
    // THEN the key is refused at its path (the volume type, a value, is not a key)
    const issues = failure(() => loadSpecText(write(text), file));
    expect(errorsOf(issues)).toEqual([
      ["reserved-key", "tenants[0].quota.perVolumeType.__proto__"],
    ]);
  });
});

describe("SSH public keys", () => {
  // Nova loads each key with cryptography's load_ssh_public_key and refuses the key pair (HTTP
  // 400) when the data is not the key its type names: a truncated paste, another key's type.
  const ED25519 =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ5Xc0vTq7Yb2l8lP3b2k5m6n7o8p9q0r1s2t3u4v5";
  const P256 =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNbGLpnC9P5b7yNb9DmLmOAuIkq3qIy8ksQORhr1bin8C/yvv3YLkcltWIxMyvV+vWqMPxSzD6X4hi1r2t3IGpE= user@host";
  const RSA =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDBxrYmFRA0E88fE7LmbymYdXNVXAJ5Xr58BQvML7DIbxhpcezKVdvj+Kpg0z0C7vKNoBuTjhqTtcwQ55jzgiNKVnaXuSOvCyLLtn5CRi2Xp2Sf6yYutc5TC+77m54lwABy7kn9Bx4mdd3nSJDUbOdERNu/oMsBzxHZH8n5fZS8ow== ops@example";
  // The same modulus without the zero byte before its high bit: a negative number to cryptography.
  const RSA_NEGATIVE =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgMHGtiYVEDQTzx8TsuZvKZh1c1VcAnlevnwFC8wvsMhvGGlx7MpV2+P4qmDTPQLu8o2gG5OOGpO1zBDnmPOCI0pWdpe5I68LIsu2fkJGLZenZJ/rJi61zlML7vubniXAAHLuSf0HHiZ13edIkNRs50RE27+gywHPEdkfyfl9lLyj ops@example";
  const keyIssues = (publicKey: string) =>
    issuesOf(
      variant((s) => (s.tenants = [{ name: "t1", keyPairs: [{ name: "k", publicKey }] }])),
    ).filter((i) => i.severity === "error");

  test.each([
    ["an RSA key's data under ssh-ed25519", "ssh-ed25519 AAAAB3NzaC1yc2E=", "holds a ssh-rsa key"],
    ["a truncated key", ED25519.slice(0, -3), "not valid base64"],
    ["a key cut at a padding boundary", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJqJ", "cut short"],
    ["a point off the curve", P256.replace("NbGLpnC9", "NbGLpnC8"), "not a valid public key"],
    ["an RSA modulus written as a negative number", RSA_NEGATIVE, "negative"],
    ["a key with the line break of a YAML | block", `${ED25519}\n`, "remove the line break"],
    [
      "a private key",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\n",
      "expected an OpenSSH public key",
    ],
  ])("fails for %s, naming the path", (_what, publicKey, why) => {
    const issues = keyIssues(publicKey);
    expect(issues.map(pathOf)).toEqual(["tenants[0].keyPairs[0].publicKey"]);
    expect(issues[0].message).toContain(why);
  });

  test.each([ED25519, P256, RSA])("accepts %s", (publicKey) => {
    const spec = variant(
      (s) => (s.tenants = [{ name: "t1", keyPairs: [{ name: "k", publicKey }] }]),
    );
    expect(load(spec).model.tenants[0].keyPairs).toEqual([{ name: "k", publicKey }]);
  });
});

describe("S3 state bucket names", () => {
  // The bucket must already exist; S3 and Ceph RGW create only names of S3's rules, so any other
  // name fails at `terraform init`, after every stack was written.
  test.each([
    "tf",
    "TFState",
    "tf_state",
    "-tfstate",
    "tfstate-",
    "tf..state",
    "tf-.state",
    "tf.-state",
    "192.168.10.5",
    "xn--tfstate",
    "tfstate-s3alias",
    "a".repeat(64),
    "tf${b}",
  ])("fails for %s, naming the path", (bucket) => {
    const backend = { type: "s3", bucket, endpoint: "https://s3.example.com" };
    const issues = issuesOf(variant((s) => (s.output = { backend })));
    expect(issues.filter((i) => i.severity === "error").map(pathOf)).toEqual([
      "output.backend.bucket",
    ]);
    expect(issues[0].message).toContain("expected an S3 bucket name");
  });

  test.each(["/tfstate", "team//cloud"])("fails for the key prefix %s", (key) => {
    const backend = { type: "s3", bucket: "tfstate", endpoint: "https://s3.example.com", key };
    const issues = issuesOf(variant((s) => (s.output = { backend })));
    expect(issues.map((i) => [pathOf(i), i.message])).toEqual([
      [
        "output.backend.key",
        "must not start with '/' nor hold '//': Terraform's S3 backend refuses such a key",
      ],
    ]);
  });

  test.each(["tfstate", "tf-state.north-1", "123", "a".repeat(63)])("accepts %s", (bucket) => {
    const backend = { type: "s3", bucket, endpoint: "https://s3.example.com" };
    expect(load(variant((s) => (s.output = { backend }))).model.output.backend).toMatchObject({
      bucket,
    });
  });
});

describe("template sequences in backend settings", () => {
  // Terraform reads the backend block as written, a remote-state source's settings as templates:
  // no escaping makes both name the same state, so the spec refuses them.
  test.each([
    [
      "key",
      { type: "s3", bucket: "tfstate", endpoint: "https://s3.example.com", key: "team ${x}" },
    ],
    [
      "region",
      { type: "s3", bucket: "tfstate", endpoint: "https://s3.example.com", region: "eu %{r}" },
    ],
    ["endpoint", { type: "s3", bucket: "tfstate", endpoint: "https://s3.example.com/a${b}" }],
    ["address", { type: "http", address: "https://tf.example.com/?a=%{b}" }],
  ])("fails for ${ or %%{ in the %s, naming the path", (field, backend) => {
    const issues = issuesOf(variant((s) => (s.output = { backend })));
    expect(issues.filter((i) => i.severity === "error").map(pathOf)).toEqual([
      `output.backend.${field}`,
    ]);
    expect(issues[0].message).toContain("must not contain ${ or %{");
  });

  test("a lone $ or % is fine", () => {
    const backend = {
      type: "s3",
      bucket: "tfstate",
      endpoint: "https://s3.example.com",
      key: "a$b%c",
    };
    expect(load(variant((s) => (s.output = { backend }))).model.output.backend).toMatchObject({
      key: "a$b%c",
    });
  });
});

describe("address ranges carrying IPv4 (item 7)", () => {
  test.each([
    ["::ffff:0:0/96"],
    ["::/96"],
    ["64:ff9b::/96"],
    ["64:ff9b:1::/48"],
    ["2002::/16"],
    ["::ffff:a00:0/100"],
    ["2002:a00::/23"],
  ])("fails when %s is an SSH or admin source", (cidr) => {
    const issues = issuesOf(
      variant((s) => {
        s.tenants = [tenant("t", { sshCidrs: [cidr] })];
        s.securityZones.adminCidrs = ["10.9.100.0/24", cidr];
      }),
    );
    expect(errorsOf(issues)).toEqual(
      expect.arrayContaining([
        ["admin-cidr-open", "securityZones.adminCidrs[1]"],
        ["ssh-cidr-open", "tenants[0].sshCidrs[0]"],
      ]),
    );
  });

  test("an IPv6 range written with an IPv4 part is refused as the JSON Schema refuses it", () => {
    const issues = issuesOf(
      variant((s) => (s.tenants = [tenant("t", { sshCidrs: ["::ffff:10.0.0.0/100"] })])),
    );
    expect(issues.map((i) => [i.code, formatPath(i.path), i.message])).toEqual([
      [
        "schema-invalid-union",
        "tenants[0].sshCidrs[0]",
        "an IPv6 text may not hold an IPv4 part here: write an IPv4 address as IPv4, or the IPv6 one in hex (::ffff:a00:1 for ::ffff:10.0.0.1)",
      ],
    ]);
  });

  test("an NTP server written as IPv6 with an IPv4 part is told how to write it", () => {
    const issues = issuesOf(
      variant(
        (s) => (s.ntp = { servers: ["10.1.0.123", "::ffff:10.1.1.123", "pool.ntp.org:123"] }),
      ),
    );
    expect(issues.map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        "ntp.servers[1]",
        "an IPv6 text may not hold an IPv4 part here: write an IPv4 address as IPv4, or the IPv6 one in hex (::ffff:a00:1 for ::ffff:10.0.0.1)",
      ],
      // (a host with a port holds a colon and a dot too: it is told of the port)
      [
        "ntp.servers[2]",
        "expected a host name or an IPv4 or IPv6 address, without a port: chrony asks NTP's port 123",
      ],
    ]);
  });

  test("narrow ranges through the same prefixes pass", () => {
    const issues = issuesOf(
      variant((s) => {
        s.tenants = [
          tenant("t", {
            sshCidrs: ["::ffff:a09:6400/120", "2002:a09:6400::/40", "64:ff9b::a09:6400/120"],
          }),
        ];
        s.zones[0].pools[0].hosts = 0;
      }),
    );
    expect(issues.filter((i) => /cidr-open/.test(i.code))).toEqual([]);
  });
});

describe("near-duplicate names (item 8)", () => {
  test.each([
    ["case", "Retail", "retail"],
    ["full-width forms", "ｒｅｔａｉｌ", "retail"],
    ["compatibility ligatures", "ﬁnance", "finance"],
    // Kolla's MariaDB compares with utf8_general_ci: blind to accents, ß is one s
    ["ß and s", "Straße", "STRASE"],
    ["composed and decomposed accents", "caf\u00e9", "cafe\u0301"],
    ["an accent", "Café", "Cafe"],
    ["an umlaut", "Ünited", "United"],
  ])("fails for tenant names differing only by %s", (_what, a, b) => {
    const issues = issuesOf(
      variant((s) => (s.tenants = [tenant(a, { id: "a" }), tenant(b, { id: "b" })])),
    );
    expect(errorsOf(issues)).toContainEqual(["duplicate-name", "tenants[1].name"]);
  });

  test("Keystone groups and volume types differing only by an accent are refused too", () => {
    const groups = issuesOf(
      variant((s) => {
        s.tenants = [
          tenant("A", { id: "a", groups: [{ name: "Öps", role: "member" }] }),
          tenant("B", { id: "b", groups: [{ name: "Ops", role: "member" }] }),
        ];
      }),
    );
    expect(groups.filter((i) => i.severity === "error").map((i) => i.code)).toContain(
      "duplicate-name",
    );
    const types = issuesOf(
      variant((s) => {
        s.storage = {
          backends: [
            { name: "fast", kind: "lvm", volumeType: "Rápido" },
            { name: "slow", kind: "lvm", volumeType: "Rapido" },
          ],
        };
      }),
    );
    expect(errorsOf(types).map(([code]) => code)).toContain("duplicate-name");
  });

  test("names the database tells apart stay apart: ß is not ss, kana keep their marks", () => {
    for (const [a, b] of [
      ["Straße", "STRASSE"],
      ["がっこう", "かっこう"],
      // (utf8_general_ci sorts Й, Ĳ and Ǆ as themselves)
      ["Йошкар", "Иошкар"],
      ["Ĳssel", "IJssel"],
      ["Ǆemal", "DŽemal"],
    ]) {
      const spec = variant(
        (s) =>
          (s.tenants = [
            tenant(a, { id: "a" }),
            tenant(b, { id: "b", network: { cidr: "172.30.1.0/24" } }),
          ]),
      );
      expect(() => load(spec)).not.toThrow();
    }
  });

  test.each([
    ["a zero-width space", "re\u200btail", "invisible-character"],
    ["a bidi override", "retail\u202e", "invisible-character"],
    ["a byte-order mark", "\ufeffretail", "invisible-character"],
    ["a leading space", " retail", "surrounding-space"],
    ["a trailing no-break space", "retail\u00a0", "surrounding-space"],
    [
      "an emoji, which Keystone's utf8mb3 tables do not store",
      "Retail \u{1F6D2}",
      "unicode-4-byte",
    ],
    ["a CJK character beyond U+FFFF", "\u{20BB7}野家", "unicode-4-byte"],
  ])("fails for a name holding %s", (_what, name, code) => {
    const issues = issuesOf(variant((s) => (s.tenants = [tenant(name, { id: "t1" })])));
    expect(errorsOf(issues)).toEqual([[code, "tenants[0].name"]]);
  });
});

describe("messages (item 9)", () => {
  test("an unknown blueprint is reported at its line", () => {
    const dir = tmp();
    const file = path.join(dir, "spec.yaml");
    const text = stringify({ ...baseSpec(), blueprint: "nope" });
    fs.writeFileSync(file, text);
    const [issue] = failure(() => loadDesign(file));
    expect(issue.code).toBe("unknown-blueprint");
    expect(pathOf(issue)).toBe("blueprint");
    const line = text.split("\n").indexOf("blueprint: nope") + 1;
    expect(issue.location).toEqual({ file, line, column: 12 });
  });

  test("file-system errors name their code once", () => {
    const err = Object.assign(new Error("ENOSPC: no space left on device, write"), {
      code: "ENOSPC",
    });
    expect((asUserError(err, "--out x") as Error).message).toBe(
      "--out x: cannot write there (ENOSPC: no space left on device)",
    );
  });

  test("file-system errors name the file they concern, a file-size limit included", () => {
    // GIVEN the error a write past `ulimit -f` gives, naming its file
    const err = Object.assign(new Error("EFBIG: file too large, write"), {
      code: "EFBIG",
      path: "out/docs/.architecture.html.stackwright-tmp-1-0badcafe",
    });
    // THEN it is the user's to fix (exit 2), and names the file, not its temporary copy
    const user = asUserError(err, "--out out");
    expect(user).toBeInstanceOf(UserError);
    expect((user as Error).message).toBe(
      "--out out: cannot write out/docs/architecture.html (EFBIG: file too large)",
    );
  });

  describe("price books", () => {
    const standard = () =>
      fs.readFileSync(path.join(ROOT, "examples/price-books/standard.yaml"), "utf8");
    const bookIssues = (text: string) => {
      const file = path.join(tmp(), "book.yaml");
      fs.writeFileSync(file, text);
      return failure(() => loadPriceBook(file));
    };

    test("fails on a duplicated hardware profile, naming the second", () => {
      const issues = bookIssues(
        `${standard()}\nhardware:\n  - { profile: a, unitPrice: 1 }\n  - { profile: a, unitPrice: 2 }\n`,
      );
      expect(errorsOf(issues)).toEqual([["schema-custom", "hardware[1].profile"]]);
      expect(issues[0].location?.line).toEqual(expect.any(Number));
    });

    test("fails on an impossible date", () => {
      const issues = bookIssues(
        standard().replace('validUntil: "2027-12-31"', "validUntil: 2026-13-45"),
      );
      expect(errorsOf(issues)).toEqual([["schema-custom", "validUntil"]]);
      expect(issues[0].location?.line).toBe(6);
    });

    test("fails on a negative price", () => {
      const issues = bookIssues(standard().replace("unitPrice: 9200", "unitPrice: -5"));
      expect(errorsOf(issues)).toEqual([["schema-too-small", "switches[0].unitPrice"]]);
    });
  });
});

test("a state backend's URL on port 0, which no client connects to, is refused like a mirror's", () => {
  const backend = (b: Record<string, unknown>) =>
    issuesOf(variant((s: any) => (s.output = { backend: b }))).map((i) => [pathOf(i), i.message]);
  expect(backend({ type: "http", address: "https://state.example.net:0/tf" })).toEqual([
    ["output.backend.address", "the port must be from 1 to 65535"],
  ]);
  expect(
    backend({ type: "s3", bucket: "tf-state", endpoint: "https://rgw.example.net:0" }),
  ).toEqual([["output.backend.endpoint", "the port must be from 1 to 65535"]]);
  // AND a port past 65535 is said as such too (the URL parser refuses it as it refuses any URL)
  expect(backend({ type: "http", address: "https://state.example.net:65536/tf" })).toEqual([
    ["output.backend.address", "the port must be from 1 to 65535"],
  ]);
  expect(
    issuesOf(
      variant((s) => (s.cloud.undercloud = { cloud: "u", packageProxy: "http://[fd00::1]:70000" })),
    ).map((i) => [pathOf(i), i.message]),
  ).toEqual([["cloud.undercloud.packageProxy", "the port must be from 1 to 65535"]]);
  // AND a URL wrong several ways gets one error
  expect(backend({ type: "http", address: "http://a b" })).toHaveLength(1);
});
