import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { readManifest } from "./manifest";
import type { Model } from "../model/types";
import { canonicalAddress } from "../core/net";

/** What the previous synth into a folder planned that running hosts and clouds keep. */
export interface PreviousPlan {
  /** Each node's addresses by network name. */
  readonly addresses: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Each flavor's visibility, by pool id and flavor name. */
  readonly flavors: ReadonlyMap<string, boolean>;
}

const MODEL_FILE = "model.json";
const flavorKey = (pool: string, flavor: string) => `${pool}/${flavor}`;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The plan of the model.json the previous synth wrote into `outDir`, when there is one. */
export function previousPlan(outDir: string): PreviousPlan | undefined {
  try {
    if (!Object.hasOwn(readManifest(outDir)?.files ?? {}, MODEL_FILE)) return undefined;
    const model = JSON.parse(fs.readFileSync(path.join(outDir, MODEL_FILE), "utf8")) as unknown;
    if (!isRecord(model) || !Array.isArray(model.nodes) || !Array.isArray(model.pools))
      return undefined;
    const addresses = new Map<string, Record<string, string>>();
    for (const n of model.nodes)
      if (isRecord(n) && typeof n.name === "string" && isRecord(n.addresses))
        addresses.set(
          n.name,
          Object.fromEntries(
            Object.entries(n.addresses).filter(
              (e): e is [string, string] => typeof e[1] === "string",
            ),
          ),
        );
    const flavors = new Map<string, boolean>();
    for (const p of model.pools)
      if (isRecord(p) && typeof p.id === "string" && Array.isArray(p.flavors))
        for (const f of p.flavors)
          if (isRecord(f) && typeof f.name === "string" && typeof f.public === "boolean")
            flavors.set(flavorKey(p.id, f.name), f.public);
    return { addresses, flavors };
  } catch {
    // Not our folder, or a damaged file: the output writer decides about the folder.
    return undefined;
  }
}

/** An address as one form of text, however it was written (`FD00::B` is `fd00::b`). */
const sameAddress = (a: string, b: string) => {
  try {
    return canonicalAddress(a) === canonicalAddress(b);
  } catch {
    return a === b;
  }
};

/** Hosts of both plans whose address on a network of both changed. */
export function renumberedHosts(previous: PreviousPlan, model: Model) {
  return model.nodes.flatMap((n) => {
    const before = previous.addresses.get(n.name);
    if (!before) return [];
    return Object.entries(n.addresses).flatMap(([network, address]) =>
      before[network] !== undefined && !sameAddress(before[network], address)
        ? [{ host: n.name, network, from: before[network], to: address }]
        : [],
    );
  });
}

/**
 * The `hosts:` entries that keep every host of both plans at its previous addresses: the IP plan
 * allocates the new hosts around them.
 */
export function pinnedHosts(previous: PreviousPlan, model: Model): string {
  // Only networks the host still joins: a fixed address elsewhere is refused.
  const hosts = model.nodes.flatMap((n) => {
    const before = previous.addresses.get(n.name);
    if (!before) return [];
    const kept = Object.entries(before).filter(([network]) => network in n.addresses);
    return kept.length ? [{ name: n.name, addresses: Object.fromEntries(kept) }] : [];
  });
  return stringify({ hosts }, { lineWidth: 0 });
}

/** Flavors of both plans that change visibility: Nova replaces them, with a new id. */
export function flavorVisibilityChanges(previous: PreviousPlan, model: Model) {
  return model.pools.flatMap((p) =>
    p.flavors.flatMap((f) => {
      const before = previous.flavors.get(flavorKey(p.id, f.name));
      return before === undefined || before === f.public
        ? []
        : [{ pool: p.id, flavor: f.name, public: f.public }];
    }),
  );
}
