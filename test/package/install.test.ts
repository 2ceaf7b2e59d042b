import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../support/cli";
import { tempDir } from "../support/temp";

// The package as users get it: packed from the built tree, installed outside the repository,
// run from an unrelated folder. Dependencies come from the npm cache when they are there.

const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

function npm(args: readonly string[], cwd: string) {
  const r = spawnSync("npm", [...args], {
    cwd,
    encoding: "utf8",
    env: withoutNpmConfig(),
    shell: process.platform === "win32",
  });
  if (r.status !== 0) {
    throw new Error(`npm ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  }
  return r.stdout;
}

/** `npm test` exports its own configuration; the installs here must not inherit it. */
function withoutNpmConfig(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)),
  ) as NodeJS.ProcessEnv;
}

function runBin(bin: string, args: readonly string[], cwd: string) {
  const r = spawnSync(bin, [...args], {
    cwd,
    encoding: "utf8",
    env: { ...withoutNpmConfig(), NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
  }
).version;

describe("the packed package", () => {
  let work: string;
  let tarball: string;
  let files: string[];

  beforeAll(() => {
    work = tempDir("sw-pack-");
    // `npm test` has just built dist/; packing must not rebuild it under the running tests.
    const packed = JSON.parse(
      npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, packed[0].filename);
    files = packed[0].files.map((f) => f.path);
  });

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  test("holds what the CLI runs on and no sources, tests or build scripts", () => {
    // GIVEN the packed file list
    // THEN the built JavaScript, generated bindings and run-time data are in it
    for (const needed of [
      "bin/stackwright.js",
      "dist/cli/main.js",
      "dist/.gen/providers/openstack/index.js",
      "templates/architecture.md.hbs",
      "examples/enterprise-reference.yaml",
      "providers/openstack/schema.json",
      "stackwright.schema.json",
      "package.json",
    ]) {
      expect(files).toContain(needed);
    }
    // AND nothing only development needs
    const extra = files.filter((f) =>
      /^(test|spec|model|cli|constructs|bench|\.gen|\.ci)\/|\.ts$|^scripts\/(?!prepare\.js$)/.test(
        f,
      ),
    );
    expect(extra).toEqual([]);
  });

  test("installs globally and runs --version, init and synth from an unrelated folder", () => {
    // GIVEN the tarball installed into its own prefix
    const prefix = path.join(work, "global");
    npm(["install", "--global", "--prefix", prefix, ...NPM_FLAGS, tarball], work);
    const bin = path.join(prefix, "bin", "stackwright");
    const folder = fs.mkdtempSync(path.join(work, "design-"));

    // WHEN a user runs it outside the repository
    const version = runBin(bin, ["--version"], folder);
    const init = runBin(bin, ["init", "three-node", "--out", "cloud.yaml"], folder);
    const synth = runBin(bin, ["synth", "cloud.yaml", "--out", "out", "--quiet"], folder);

    // THEN each command works and the spec points at the installed schema
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    const spec = fs.readFileSync(path.join(folder, "cloud.yaml"), "utf8");
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)/.exec(spec)?.[1] as string;
    expect(fs.existsSync(path.resolve(folder, schemaRef))).toBe(true);
    expect(synth.stderr).toBe("");
    expect(synth.code).toBe(0);
    expect(fs.existsSync(path.join(folder, "out", "terraform", "platform", "cdk.tf.json"))).toBe(
      true,
    );
    expect(fs.existsSync(path.join(folder, "out", "docs", "architecture.md"))).toBe(true);
  });

  test("installs into another project and runs from its node_modules/.bin", () => {
    // GIVEN a project that depends on the tarball
    const project = path.join(work, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify({ name: "uses-stackwright", private: true }),
    );
    npm(["install", ...NPM_FLAGS, tarball], project);
    const bin = path.join(project, "node_modules", ".bin", "stackwright");

    // WHEN the project runs it
    const version = runBin(bin, ["--version"], project);
    const validate = runBin(
      bin,
      ["validate", path.join(project, "node_modules", "stackwright", "examples", "trystack.yaml")],
      project,
    );

    // THEN it works
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    expect(validate.code).toBe(0);
  });
});
