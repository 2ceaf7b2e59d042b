import { Option, type Command } from "commander";

/**
 * The flags every command shares, so each means one thing everywhere: `--format` is the report
 * format on stdout, `--quiet` leaves only errors on stderr.
 */

export type ReportFormat = "text" | "json" | "sarif";

/** `-f, --format <format>`: the report written on stdout. */
export function formatOption(choices: readonly ReportFormat[] = ["text", "json", "sarif"]): Option {
  return new Option("-f, --format <format>", "report format on stdout")
    .choices(choices)
    .default("text");
}

export interface QuietOptions {
  /** true with --quiet, false with --no-quiet, unset otherwise. */
  readonly quiet?: boolean;
}

/** `-q, --quiet` and `--no-quiet`. */
export function addQuietOptions(command: Command): Command {
  return command
    .option("-q, --quiet", "print nothing but errors (the default when stdout is not a terminal)")
    .option("--no-quiet", "print warnings and notes even when stdout is not a terminal");
}

/** Quiet with --quiet, and when stdout is a pipe or file unless --no-quiet: pipes get only errors. */
export function isQuiet(options: QuietOptions): boolean {
  return options.quiet ?? !process.stdout.isTTY;
}

/** `1 zone`, `2 zones`; `plural(3, "policy", "policies")`. */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}
