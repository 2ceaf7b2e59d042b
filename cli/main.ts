import { Command, CommanderError } from "commander";
import { terminalText, ToolError, UserError } from "../core/errors";
import { undoOnInterrupt } from "../core/process";
import { cleanupPendingOutput, signalsHeard } from "./output";
import { printToolError, printUserError } from "./report";
import { VERSION } from "./pipeline";
import { registerBlueprints } from "./commands/blueprints";
import { registerInit } from "./commands/init";
import { registerValidate } from "./commands/validate";
import { registerSynth } from "./commands/synth";
import { registerDocs } from "./commands/docs";
import { registerSchema } from "./commands/schema";
import { registerCdktfApp } from "./commands/cdktf-app";
import { registerProposal } from "./commands/proposal";
import { registerCheck } from "./commands/check";
import { registerTemplates } from "./commands/templates";
import { keepStackTraces } from "../synth/stack-traces";

/** Exit codes: 0 ok, 1 internal error, 2 invalid input or arguments. */
export const EXIT = { ok: 0, internal: 1, usage: 2 } as const;

export function buildProgram(): Command {
  const program = new Command("stackwright")
    .description(
      "Design an OpenStack private cloud once: Terraform and the architecture document from one spec",
    )
    .version(VERSION, "-V, --version")
    .option("--debug", "print stack traces of internal errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const register of [
    registerBlueprints,
    registerInit,
    registerValidate,
    registerSynth,
    registerDocs,
    registerSchema,
    registerCdktfApp,
    registerProposal,
    registerCheck,
    registerTemplates,
  ]) {
    register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Marks a stream guarded: on the stream, which outlives a module registry (Jest makes one per file). */
const PIPE_GUARDED = Symbol.for("stackwright.pipeGuarded");

/**
 * A reader that stops early (`| head`) closes the pipe: the rest of the report is not wanted,
 * and the run still finishes what it writes to disk. Once per stream: tests run main often, in
 * one process, each test file loading this module anew.
 */
function guardClosedPipes() {
  for (const stream of [process.stdout, process.stderr]) {
    const marked = stream as unknown as { [PIPE_GUARDED]?: true };
    if (marked[PIPE_GUARDED]) continue;
    marked[PIPE_GUARDED] = true;
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") {
        // A full disk or a device that refuses: one line where it can still be read, no trace.
        if (stream === process.stdout)
          process.stderr.write(`error: cannot write to stdout (${err.code ?? err.message})\n`);
        process.exit(EXIT.internal);
      }
      // Written nowhere from now on, each write still completes for whoever waits on it.
      stream.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
        const done = typeof encoding === "function" ? encoding : callback;
        if (typeof done === "function") process.nextTick(done as () => void);
        return true;
      }) as typeof stream.write;
    });
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes("--debug");
  keepStackTraces(debug);
  const onSignal = (signal: NodeJS.Signals) => {
    cleanupPendingOutput();
    undoOnInterrupt();
    process.kill(process.pid, signal);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  guardClosedPipes();
  // A run whose work stops waiting on nothing (a parser's runtime that died) would end with the
  // event loop, exit code 0 and no word: it is an internal failure.
  let settled = false;
  const abandoned = () => {
    if (settled) return;
    process.stderr.write("error: internal: the run stopped before it finished\n");
    process.exitCode = EXIT.internal;
  };
  process.once("beforeExit", abandoned);
  try {
    const program = buildProgram();
    // `help <command>` of no command prints the usage and exits 0 in commander: refuse it as
    // the unknown command itself is refused.
    const [first, topic] = argv;
    if (
      first === "help" &&
      topic !== undefined &&
      !topic.startsWith("-") &&
      !program.commands.some((c) => c.name() === topic || c.aliases().includes(topic))
    ) {
      process.stderr.write(
        `error: unknown command '${terminalText(topic)}'\n(run with --help for usage)\n`,
      );
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: "user" });
    // (a signal that arrived as the run ended still ends it by that signal, not with success)
    await signalsHeard();
    return Number(process.exitCode ?? EXIT.ok);
  } catch (err) {
    if (err instanceof CommanderError) {
      const quiet = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(
        err.code,
      );
      return quiet || err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UserError) {
      // (quiet, as an accepted spec's run is, leaves a refused spec's errors only: with --quiet,
      // and in pipes unless --no-quiet; the last of the two wins, as with every option)
      const args = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : undefined);
      const last = Math.max(args.lastIndexOf("--quiet"), args.lastIndexOf("-q"));
      const noQuiet = args.lastIndexOf("--no-quiet");
      printUserError(err, {
        errorsOnly: last >= 0 || noQuiet >= 0 ? last > noQuiet : !process.stdout.isTTY,
      });
      return EXIT.usage;
    }
    if (err instanceof ToolError && !debug) {
      printToolError(err);
      return EXIT.internal;
    }
    const e = err as Error;
    process.stderr.write(`internal error: ${e?.message ?? String(err)}\n`);
    if (debug && e?.stack) process.stderr.write(`${e.stack}\n`);
    else process.stderr.write("(run with --debug for details)\n");
    return EXIT.internal;
  } finally {
    settled = true;
    process.removeListener("beforeExit", abandoned);
  }
}
