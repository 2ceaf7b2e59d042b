import * as fs from "fs";
import * as path from "path";
import type { Command } from "commander";
import { packageRoot } from "../../core/package-root";
import { UserError } from "../../core/errors";
import { someOf } from "../../core/lists";
import { shellWord } from "../../core/shell";
import { writeFileAtomic } from "../output";
import { addQuietOptions, isQuiet } from "../options";

/**
 * The built-in files a `--templates` folder may override, relative to `templates/`: the two
 * documents' templates, their partials, the message catalogs and the stylesheet (the runbook's
 * template is not overridable, and the logo is the user's own).
 */
export function builtinTemplateFiles(root = path.join(packageRoot(), "templates")): string[] {
  const inFolder = (rel: string, ext: string) =>
    fs
      .readdirSync(path.join(root, rel))
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => `${rel}/${f}`);
  return [
    "architecture.md.hbs",
    "proposal.md.hbs",
    ...inFolder("partials", ".hbs"),
    ...inFolder("i18n", ".json"),
    "html/style.css",
  ];
}

export function registerTemplates(program: Command): void {
  const command = program
    .command("templates")
    .description(
      "write the built-in templates, catalogs and stylesheet to a folder, to edit and pass as --templates",
    )
    .requiredOption("-o, --out <dir>", "folder to write them into (created if missing)")
    .option("--force", "replace files of the same names (no other file is touched)");
  addQuietOptions(command).action((opts: { out: string; force?: boolean; quiet?: boolean }) => {
    const root = path.join(packageRoot(), "templates");
    const files = builtinTemplateFiles(root);
    // Checked before anything is written: a refused run leaves the folder as it was.
    const kind = (p: string) => {
      try {
        // (a link counts as one, even one to nowhere: the write would follow it)
        const stat = fs.lstatSync(p);
        return stat.isSymbolicLink() ? "symbolic link" : stat.isDirectory() ? "folder" : "file";
      } catch {
        return undefined;
      }
    };
    for (const rel of files) {
      const parts = rel.split("/");
      for (let i = 0; i < parts.length; i++) {
        const at = path.join(opts.out, ...parts.slice(0, i + 1));
        const found = kind(at);
        const last = i === parts.length - 1;
        if (found === "symbolic link" || found === (last ? "folder" : "file"))
          throw new UserError(
            `--out ${opts.out}: ${path.join(...parts.slice(0, i + 1))} is a ${found} where the templates need a ${last ? "file" : "folder"}; move it away first`,
          );
      }
    }
    const taken = files.filter((rel) => kind(path.join(opts.out, rel)) === "file");
    if (taken.length && !opts.force) {
      throw new UserError(
        `--out ${opts.out}: holds ${someOf(taken, 5)} already; choose another folder or pass --force to replace those files`,
      );
    }
    // A run that fails midway takes back the files it added, so a plain retry is not refused
    // by them (files it replaced under --force were to be replaced anyway).
    const added: string[] = [];
    // The folders on the way to each file that are not there yet: made by this run.
    const folders = [
      ...new Set(
        files.flatMap((rel) => {
          const parts = path
            .dirname(rel)
            .split("/")
            .filter((p) => p !== ".");
          return [opts.out, ...parts.map((_, i) => path.join(opts.out, ...parts.slice(0, i + 1)))];
        }),
      ),
    ];
    const madeHere = folders.filter((f) => kind(f) === undefined);
    try {
      for (const rel of files) {
        const dest = path.join(opts.out, rel);
        const existed = kind(dest) !== undefined;
        writeFileAtomic(
          dest,
          fs.readFileSync(path.join(root, rel), "utf8"),
          { overwrite: opts.force === true },
          `--out ${opts.out}`,
        );
        if (!existed) added.push(dest);
      }
    } catch (err) {
      for (const file of added) fs.rmSync(file, { force: true });
      // (deepest first; a folder holding something else stays)
      for (const folder of madeHere.sort((a, b) => b.length - a.length))
        try {
          fs.rmdirSync(folder);
        } catch {
          // not empty, or gone: left as it is
        }
      throw err;
    }
    if (!isQuiet(opts)) {
      process.stderr.write(
        `wrote ${files.length} files to ${opts.out}; edit them, delete those you keep as built, add brand/logo.png, then run: stackwright docs <spec> --templates ${shellWord(opts.out)}\n`,
      );
    }
  });
}
