import { createHash } from "crypto";
import Handlebars from "handlebars";

/**
 * Compiling the templates is most of a document's render time, and the same few templates are
 * rendered again and again. A template is compiled once per source text: from the build's
 * precompiled copies of the built-in templates (scripts/build.js writes them, keyed by the same
 * hash, so an edited template is simply compiled again), else here, once per process.
 */

/** Every template and partial compiles strict: a field the view lacks fails the render. */
export const COMPILE_OPTIONS = { strict: true } as const;

/** What this file uses of Handlebars' code generator, which its types do not declare. */
interface CodeGenerator {
  popStack(): unknown;
  push(expr: unknown): void;
  aliasable(name: string): unknown;
  quotedString(text: string): unknown;
  nameLookup(parent: unknown, name: string, type: string): unknown;
  source: { currentLocation?: unknown };
}
type CodeGeneratorClass = {
  new (): CodeGenerator;
  prototype: CodeGenerator & {
    compiler: unknown;
    resolvePath(
      type: string,
      parts: string[],
      start: number,
      falsy: boolean,
      strict: boolean,
    ): void;
  };
};

/**
 * Handlebars' strict mode checks only a path's last name: `{{a.b.c}}` with no `a` failed with
 * JavaScript's own TypeError, no line, and `{{a.b}}` named `b`. Here every name before the last
 * is checked too (`@root.a.b` past the @-name), and the last one where strict mode checks it
 * (not in a helper's arguments, where `{{#if optional}}` may read a field that is absent).
 */
const compilerEnv = Handlebars.create();
const BaseGenerator = (compilerEnv as unknown as { JavaScriptCompiler: CodeGeneratorClass })
  .JavaScriptCompiler;
const baseResolvePath = BaseGenerator.prototype.resolvePath;
function CheckedPaths(this: CodeGenerator) {
  BaseGenerator.call(this);
}
CheckedPaths.prototype = Object.create(BaseGenerator.prototype) as CodeGeneratorClass["prototype"];
CheckedPaths.prototype.compiler = CheckedPaths;
CheckedPaths.prototype.resolvePath = function (
  this: CodeGenerator,
  type: string,
  parts: string[],
  start: number,
  falsy: boolean,
  strict: boolean,
): void {
  // (`@index` alone may be absent; `@root.a.b` is checked past its @-name)
  const data = type === "data";
  if ((type !== "context" && !data) || (data && parts.length - start < 2)) {
    baseResolvePath.call(this, type, parts, start, falsy, strict);
    return;
  }
  let expr = this.popStack();
  const loc = JSON.stringify(this.source.currentLocation) ?? "undefined";
  for (let i = start; i < parts.length; i++) {
    const checked = (i < parts.length - 1 || strict) && !(data && i === start);
    // (Object(): a name looked up on text or a number is no field, not a JavaScript TypeError)
    expr = checked
      ? [
          this.aliasable("container.strict"),
          "(Object(",
          expr,
          "), ",
          this.quotedString(parts[i]),
          ", ",
          loc,
          ")",
        ]
      : this.nameLookup(expr, parts[i], type);
  }
  this.push(expr);
};
(compilerEnv as unknown as { JavaScriptCompiler: unknown }).JavaScriptCompiler = CheckedPaths;

/** A template's source compiled to the JavaScript of its spec (as the build writes it). */
export const precompileTemplate = (source: string): string =>
  compilerEnv.precompile(source, COMPILE_OPTIONS) as unknown as string;

type Spec = TemplateSpecification;

/** The key of a template's source text: its SHA-256 in hex. */
export const sourceKey = (source: string): string =>
  createHash("sha256").update(source, "utf8").digest("hex");

const compiled = new Map<string, Spec>();
let prebuilt: Readonly<Record<string, Spec>> | undefined;

function prebuiltSpecs(): Readonly<Record<string, Spec>> {
  if (prebuilt === undefined) {
    try {
      // Present only in the built package (dist/documents/precompiled-templates.js).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      prebuilt = require("./precompiled-templates.js") as Record<string, Spec>;
    } catch {
      prebuilt = {};
    }
  }
  return prebuilt;
}

/** The compiled form of a template's source, ready for `Handlebars.template`. */
export function templateSpec(source: string): Spec {
  const key = sourceKey(source);
  let spec = compiled.get(key) ?? prebuiltSpecs()[key];
  if (spec === undefined) {
    // precompile returns the spec as JavaScript source, as the build writes it.
    spec = new Function(`return ${precompileTemplate(source)};`)() as Spec;
  }
  compiled.set(key, spec);
  return spec;
}
