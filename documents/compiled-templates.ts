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
    const code = Handlebars.precompile(source, COMPILE_OPTIONS) as unknown as string;
    spec = new Function(`return ${code};`)() as Spec;
  }
  compiled.set(key, spec);
  return spec;
}
