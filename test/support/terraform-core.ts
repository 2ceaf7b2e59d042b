import * as fs from "fs";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import type { StackVariable, SynthesizedStack } from "../../synth/app";
import {
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PROTOCOL_VERSION,
} from "./terraform-provider/handshake";
import { tempDir } from "./temp";

/**
 * Real Terraform core on generated stacks, offline: the test stand-in for
 * terraform-provider-openstack (terraform-provider/) is installed from a filesystem mirror named in
 * a CLI configuration of a scratch folder, so plain `terraform init` finds it.
 */

/** The provider release the stand-in presents; the stacks' constraint (`~> 3.4`) must accept it. */
export const PROVIDER_VERSION = "3.4.0";
const PROVIDER_ADDRESS = "registry.terraform.io/terraform-provider-openstack/openstack";
const LAUNCHER = path.join(__dirname, "terraform-provider", "terraform-provider-openstack");

/** Terraform's version, or undefined when no `terraform` is on the PATH. */
export function terraformVersion(): string | undefined {
  const r = spawnSync("terraform", ["version", "-json"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
  });
  if (r.status !== 0) return undefined;
  return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
}

export interface Workspace {
  readonly dir: string;
  /**
   * The environment every Terraform command runs with: Terraform attaches to the workspace's one
   * running stand-in (TF_REATTACH_PROVIDERS) instead of starting the provider for each command.
   */
  readonly env: NodeJS.ProcessEnv;
  /** The same without the running stand-in: Terraform starts the provider it installed. */
  readonly launchEnv: NodeJS.ProcessEnv;
  /** Stops the stand-in and removes the folder. */
  close(): void;
}

/**
 * A scratch folder with the provider mirror and a CLI configuration that installs only from it,
 * and one stand-in running for the workspace's Terraform commands to attach to.
 */
export async function createWorkspace(): Promise<Workspace> {
  const dir = tempDir("sw-terraform-core-");
  const target = `${process.platform}_${{ x64: "amd64", ia32: "386" }[process.arch as string] ?? process.arch}`;
  const mirror = path.join(dir, "mirror");
  const pkg = path.join(mirror, PROVIDER_ADDRESS, PROVIDER_VERSION, target);
  fs.mkdirSync(pkg, { recursive: true });
  fs.symlinkSync(LAUNCHER, path.join(pkg, `terraform-provider-openstack_v${PROVIDER_VERSION}`));
  const config = path.join(dir, "terraformrc");
  fs.writeFileSync(
    config,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = [${JSON.stringify(PROVIDER_ADDRESS)}]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("TF_") && !k.startsWith("OS_")) env[k] = v;
  Object.assign(env, {
    TF_CLI_CONFIG_FILE: config,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    // What apply makes stays findable by id, for `terraform import`.
    STACKWRIGHT_STANDIN_CLOUD: path.join(dir, "cloud"),
  });
  const provider = spawn(process.execPath, [LAUNCHER], {
    // What Terraform sets for a plugin it starts.
    env: {
      ...env,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: String(PROTOCOL_VERSION),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const close = () => {
    provider.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The handshake line: core version|protocol|network|address|grpc|certificate (none: no TLS).
    const handshake = await new Promise<string>((resolve, reject) => {
      let out = "";
      provider.stdout.on("data", (d: Buffer) => {
        out += d.toString("utf8");
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      provider.once("exit", (code) => reject(new Error(`the stand-in exited (${code})`)));
      provider.once("error", reject);
    });
    const [, protocol, network, address] = handshake.split("|");
    const reattach = {
      [PROVIDER_ADDRESS]: {
        Protocol: "grpc",
        ProtocolVersion: Number(protocol),
        Pid: provider.pid,
        // A test provider: Terraform leaves it running after each command.
        Test: true,
        Addr: { Network: network, String: address },
      },
    };
    return {
      dir,
      env: { ...env, TF_REATTACH_PROVIDERS: JSON.stringify(reattach) },
      launchEnv: env,
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}

/** A stand-in value for each input variable the stack requires, as TF_VAR_ variables. */
export function variableValues(variables: readonly StackVariable[]): Record<string, string> {
  const stand = (v: StackVariable): string => {
    if (v.type === "string") return `stand-in-${v.name}`;
    if (v.type === "number") return "1";
    if (v.type === "bool") return "true";
    throw new Error(`no stand-in value for variable ${v.name} of type ${v.type}`);
  };
  return Object.fromEntries(variables.map((v) => [`TF_VAR_${v.name}`, stand(v)]));
}

/** Writes each stack where `synth` puts it: <folder>/terraform/<stack>/cdk.tf.json. */
export function writeStacks(folder: string, stacks: readonly SynthesizedStack[]): void {
  for (const stack of stacks) {
    const file = path.join(folder, stack.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stack.content);
  }
}

export interface CommandResult {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/** Runs one Terraform command in a stack's folder. */
export function terraform(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<CommandResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", ["-chdir=" + cwd, ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        args,
        code,
        stdout,
        stderr,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      }),
    );
  });
}

/**
 * Runs `jobs` with at most `lanes` at once, each once the jobs it waits for have finished; a job
 * whose prerequisite failed is not run but fails too. Returns each job's result (or error) by key.
 */
export function runInOrder<T>(
  jobs: readonly { key: string; after: readonly string[]; run: () => Promise<T> }[],
  lanes: number,
): Promise<Map<string, Outcome<T>>> {
  const results = new Map<string, Outcome<T>>();
  const started = new Set<string>();
  const keys = new Set(jobs.map((j) => j.key));
  for (const j of jobs)
    for (const a of j.after) if (!keys.has(a)) throw new Error(`${j.key} waits for unknown ${a}`);
  return new Promise((resolve, reject) => {
    let running = 0;
    const next = () => {
      for (let progressed = true; progressed;) {
        progressed = false;
        for (const job of jobs) {
          if (running >= lanes) return;
          if (started.has(job.key) || !job.after.every((a) => results.has(a))) continue;
          started.add(job.key);
          const failed = job.after.filter((a) => !results.get(a)?.ok);
          if (failed.length > 0) {
            results.set(job.key, { ok: false, error: new Error(`${failed.join(", ")} failed`) });
            progressed = true;
            continue;
          }
          running++;
          job
            .run()
            .then(
              (value) => results.set(job.key, { ok: true, value }),
              (error: unknown) => results.set(job.key, { ok: false, error }),
            )
            .finally(() => {
              running--;
              next();
            });
        }
      }
      if (running > 0) return;
      if (results.size === jobs.length) resolve(results);
      else
        reject(new Error(`jobs wait for each other: ${[...keys].filter((k) => !results.has(k))}`));
    };
    next();
  });
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** What Terraform did with one stack. */
export interface StackRun {
  readonly stack: string;
  readonly commands: readonly CommandResult[];
  /** `terraform validate -json`, when asked for. */
  readonly validation?: { valid: boolean; diagnostics: unknown[] };
  /** `terraform output -json` after apply, when applied. */
  readonly outputs?: Readonly<Record<string, { value: unknown }>>;
}

/** A command that failed: its stack, the command and what Terraform said. */
export class TerraformFailure extends Error {
  constructor(
    readonly stack: string,
    readonly result: CommandResult,
  ) {
    super(
      `terraform ${result.args.join(" ")} in ${stack} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
}

export interface ExerciseOptions {
  /** `terraform validate` on its own (plan validates too). */
  readonly validate: boolean;
  /** Then `plan`, or `apply` (which plans first) and `output`, or neither. */
  readonly then: "plan" | "apply" | "nothing";
  /** After apply, a second plan that must find nothing to change. */
  readonly replan: boolean;
  /**
   * After apply, `terraform init` again without `.terraform` (a fresh clone, a reset provider
   * cache), which must leave the local state as it was, then a plan that finds nothing to change.
   */
  readonly reinit?: boolean;
}

/**
 * `terraform init`, then validate, plan or apply in a stack's folder, with stand-ins for its
 * input variables. The stacks it reads through remote state must have been applied before.
 */
export async function exerciseStack(
  folder: string,
  stack: SynthesizedStack,
  workspace: Workspace,
  options: ExerciseOptions,
): Promise<StackRun> {
  const cwd = path.join(folder, path.dirname(stack.file));
  const env = { ...workspace.env, ...variableValues(stack.variables) };
  const commands: CommandResult[] = [];
  const run = async (...args: string[]) => {
    const result = await terraform(cwd, args, env);
    commands.push(result);
    if (result.code !== 0) throw new TerraformFailure(stack.name, result);
    return result;
  };
  await run("init", "-input=false", "-no-color");
  const validation = options.validate
    ? JSON.parse((await run("validate", "-json", "-no-color")).stdout)
    : undefined;
  if (options.then === "plan") await run("plan", "-input=false", "-no-color");
  if (options.then !== "apply") return { stack: stack.name, commands, validation };
  await run("apply", "-auto-approve", "-input=false", "-no-color");
  const outputs = JSON.parse((await run("output", "-json", "-no-color")).stdout);
  if (options.replan) await run("plan", "-detailed-exitcode", "-input=false", "-no-color");
  if (options.reinit) {
    const state = path.join(cwd, "terraform.tfstate");
    const before = fs.readFileSync(state, "utf8");
    fs.rmSync(path.join(cwd, ".terraform"), { recursive: true, force: true });
    await run("init", "-input=false", "-no-color");
    if (fs.readFileSync(state, "utf8") !== before)
      throw new Error(`${stack.name}: terraform init without .terraform changed its local state`);
    await run("plan", "-detailed-exitcode", "-input=false", "-no-color");
  }
  return { stack: stack.name, commands, validation, outputs };
}
