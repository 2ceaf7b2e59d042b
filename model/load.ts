import { checkSpecDocument, parseYaml, readYamlFile, type ParsedYaml } from "../spec/load";
import type { Spec } from "../spec/schema";
import { UserError, type SpecIssue } from "../core/errors";
import { markSuppressed } from "../core/spec-targets";
import { resolve } from "./resolve";
import type { Model } from "./types";

/** A design read from a file: the checked spec and the model every renderer reads. */
export interface LoadedSpec {
  readonly file: string;
  readonly spec: Spec;
  /** The model every renderer reads, derived in full when first read. */
  readonly model: Model;
  /** Warnings and the positions of every issue found. */
  readonly warnings: readonly SpecIssue[];
  /** Where a path is in the file; array elements by index, `name` or `id`. */
  readonly locate: ParsedYaml["locate"];
  /** The file's data as written, before defaults: what it says itself. */
  readonly written: unknown;
}

/** Reads, validates and resolves a spec file. Throws UserError with every issue found. */
export function loadSpecFile(file: string): LoadedSpec {
  return resolveDocument(readYamlFile(file, "spec"), file);
}

/** Validates and resolves spec text (YAML or JSON; JSON is YAML). */
export function loadSpecText(text: string, file = "<spec>"): LoadedSpec {
  return resolveDocument(parseYaml(text, file), file);
}

/** The spec layer's checks, then resolution; every error of both with its position. */
function resolveDocument(parsed: ParsedYaml, file: string): LoadedSpec {
  const { spec, warnings } = checkSpecDocument(parsed, file);
  const { issues, model } = resolve(spec);
  const all = [...warnings, ...issues.map((i) => ({ ...i, location: parsed.locate(i.path) }))];
  if (all.some((i) => i.severity === "error"))
    throw UserError.fromIssues(file, markSuppressed(spec, spec.suppressions, all));
  return {
    file,
    spec,
    get model() {
      return model();
    },
    warnings: all,
    locate: parsed.locate,
    written: parsed.data,
  };
}
