import * as path from "path";
import type { SynthesizedStack } from "../synth/app";
import { readJournal, readManifest, readRegularFile, sha256 } from "./manifest";

/** Every stack's resource addresses, written with each run so the next run can compare. */
export const ADDRESSES_FILE = "terraform/addresses.json";
/** The migration script a layout change writes. */
export const STATE_MOVES_FILE = "terraform/state-moves.sh";

/** Resource addresses by stack name. */
export type StackAddresses = Readonly<Record<string, readonly string[]>>;

/** A resource whose address now belongs to another stack's state. */
export interface StateMove {
  readonly address: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Types that are not moved: terraform_data holds only inputs and is recreated for free (it cannot
 * be imported), and data sources live in no state worth keeping.
 */
const NOT_MOVED = new Set(["terraform_data"]);

/** The managed resource addresses of each stack, from its configuration. */
export function stackAddresses(
  stacks: readonly Pick<SynthesizedStack, "name" | "config">[],
): StackAddresses {
  return addressesOf(stacks, (type) => !NOT_MOVED.has(type));
}

/** Each stack's terraform_data addresses, from its configuration (never moved, see NOT_MOVED). */
export function stackDataAddresses(
  stacks: readonly Pick<SynthesizedStack, "name" | "config">[],
): StackAddresses {
  return addressesOf(stacks, (type) => NOT_MOVED.has(type));
}

function addressesOf(
  stacks: readonly Pick<SynthesizedStack, "name" | "config">[],
  take: (type: string) => boolean,
): StackAddresses {
  const out: Record<string, string[]> = {};
  for (const s of stacks) {
    // The configuration object: `content` may be HCL.
    const config = s.config as { resource?: Record<string, Record<string, unknown>> };
    out[s.name] = Object.entries(config.resource ?? {})
      .filter(([type]) => take(type))
      .flatMap(([type, items]) => Object.keys(items).map((name) => `${type}.${name}`))
      .sort();
  }
  return out;
}

export function addressesJson(addresses: StackAddresses): string {
  return `${JSON.stringify(addresses, null, 2)}\n`;
}

/**
 * The migration script an earlier run wrote and nobody has run yet (it removes itself once every
 * move is done): on disk as that run wrote it, whether it finished or was killed.
 */
export function pendingStateMoves(outDir: string): string | undefined {
  let content: Buffer;
  try {
    content = readRegularFile(path.join(outDir, STATE_MOVES_FILE));
  } catch {
    return undefined;
  }
  const hash = sha256(content);
  let written: (string | null | undefined)[];
  try {
    written = [
      readManifest(outDir)?.files[STATE_MOVES_FILE]?.sha256,
      readJournal(outDir)?.files[STATE_MOVES_FILE],
    ];
  } catch {
    return undefined; // not our folder: the output writer refuses it with its own message
  }
  return written.includes(hash) ? content.toString("utf8") : undefined;
}

/**
 * The addresses the previous run into this folder wrote, when the folder is ours (its marker
 * lists the addresses file); undefined otherwise, and for runs older than the file.
 */
export function previousAddresses(outDir: string): StackAddresses | undefined {
  let listed: boolean;
  try {
    listed = Object.hasOwn(readManifest(outDir)?.files ?? {}, ADDRESSES_FILE);
  } catch {
    return undefined; // not our folder: the output writer refuses it with its own message
  }
  if (!listed) return undefined;
  try {
    const parsed = JSON.parse(
      readRegularFile(path.join(outDir, ADDRESSES_FILE)).toString("utf8"),
    ) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    const out: Record<string, string[]> = {};
    for (const [stack, list] of Object.entries(parsed as Record<string, unknown>))
      if (Array.isArray(list)) out[stack] = list.filter((a): a is string => typeof a === "string");
    return out;
  } catch {
    return undefined;
  }
}

/** The stacks a migration script moves resources out of, from its `move` lines. */
export function stateMoveSources(script: string): string[] {
  const sources = [...script.matchAll(/^move '[^']*' '([^']*)' '[^']*'$/gm)].map((m) => m[1]);
  return [...new Set(sources)].sort();
}

/**
 * Addresses that were in one stack's state and now belong to another stack, in an order the
 * stacks can take them: a stack's imports after those of the stacks it reads through remote
 * state (an import reads the stack's whole configuration, its remote state too).
 */
export function stateMoves(
  previous: StackAddresses,
  current: StackAddresses,
  readsFrom: (stack: string) => readonly string[] = () => [],
): StateMove[] {
  const depths = new Map<string, number>();
  const depth = (stack: string, seen: ReadonlySet<string> = new Set()): number => {
    const known = depths.get(stack);
    if (known !== undefined) return known;
    const below = readsFrom(stack).filter((s) => !seen.has(s));
    const d = Math.max(0, ...below.map((s) => 1 + depth(s, new Set([...seen, stack]))));
    depths.set(stack, d);
    return d;
  };
  const was = new Map<string, string>();
  for (const [stack, list] of Object.entries(previous)) for (const a of list) was.set(a, stack);
  const moves: StateMove[] = [];
  for (const [stack, list] of Object.entries(current)) {
    const before = new Set(previous[stack] ?? []);
    for (const address of list) {
      const from = was.get(address);
      if (from !== undefined && from !== stack && !before.has(address))
        moves.push({ address, from, to: stack });
    }
  }
  return moves.sort((a, b) =>
    depth(a.to) !== depth(b.to)
      ? depth(a.to) - depth(b.to)
      : a.from !== b.from
        ? a.from < b.from
          ? -1
          : 1
        : a.to !== b.to
          ? a.to < b.to
            ? -1
            : 1
          : a.address < b.address
            ? -1
            : 1,
  );
}

/**
 * A shell script that moves each resource's state into its new stack, whatever the backend:
 * import it into the new stack by the id the old state holds, then forget it in the old one.
 * Importing first means an interruption leaves the resource in both states, never in none, and
 * nothing is destroyed or recreated; run again, it finishes what is left. Once every move is
 * done it removes itself, which tells the next synth the state follows the new layout.
 */
export function stateMovesScript(
  moves: readonly StateMove[],
  leftovers: readonly { readonly address: string; readonly from: string }[] = [],
): string {
  const lines = [
    "#!/bin/sh",
    "# Written by stackwright synth when the stack layout (output.tenantStacks, a tenant's stack)",
    "# moved resources to another stack. Run from the terraform/ folder after `terraform init` in",
    "# every stack folder named below, and before any plan or apply of them.",
    "set -eu",
    "",
    "# has STACK ADDRESS: whether the stack's state holds the resource. A stack without state",
    "# yet holds none; a state that cannot be read (backend, lock) stops the script, which must",
    "# not take it for an empty one.",
    "has() {",
    '  if ! list=$(cd "$1" && terraform state list 2>&1); then',
    '    case "$list" in',
    '      *"No state file was found"*) list="" ;;',
    "      *) printf '%s\\n' \"$list\" >&2; exit 1 ;;",
    "    esac",
    "  fi",
    '  printf \'%s\\n\' "$list" | grep -Fqx "$2"',
    "}",
    "",
    "# Safe to run again after an interruption: a resource already imported is only forgotten in",
    "# its old stack.",
    "move() {",
    '  if ! has "$3" "$1"; then',
    '    id=$(cd "$2" && terraform state show -no-color "$1" | sed -n \'s/^ *id *= *"\\(.*\\)"$/\\1/p\' | head -n 1)',
    '    [ -n "$id" ] || { echo "no id for $1 in $2" >&2; exit 1; }',
    '    (cd "$3" && terraform import "$1" "$id")',
    "  fi",
    '  if has "$2" "$1"; then (cd "$2" && terraform state rm "$1"); fi',
    "}",
    "",
    "# forget ADDRESS STACK: a terraform_data the new stack makes anew (it holds no cloud resource",
    "# and cannot be imported), forgotten in the old one so that its state empties.",
    "forget() {",
    '  if has "$2" "$1"; then (cd "$2" && terraform state rm "$1"); fi',
    "}",
    "",
  ];
  for (const m of moves) lines.push(`move '${m.address}' '${m.from}' '${m.to}'`);
  for (const l of leftovers) lines.push(`forget '${l.address}' '${l.from}'`);
  // Done: the next synth knows the state is where the stacks now say.
  lines.push("", 'if [ "$(basename -- "$0")" = state-moves.sh ]; then rm -f -- "$0"; fi');
  return `${lines.join("\n")}\n`;
}
