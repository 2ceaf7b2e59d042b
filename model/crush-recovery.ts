/**
 * Where CRUSH puts a failed host's placement-group copies when its failure domains (racks or
 * sites) outnumber the copies: no closed form gives it. CRUSH retries a copy whose host is out
 * from the top, a replicated rule (`chooseleaf firstn`) shifting the copies after it, an
 * erasure-coded one (`chooseleaf indep`, `set_chooseleaf_tries 5`) trying the same rack's other
 * hosts first; the failed host's rack-mates take more than an even share. This maps placement
 * groups as those rules do, with straw2's weighted draw over a fixed hash (not Ceph's rjenkins:
 * the same distribution, not the same placement groups), before and after the host fails.
 */

/** Placement groups mapped at least, each failing every host it is on in turn. */
const SAMPLES = 2048;
/** Copies a group of alike hosts loses at least, where the mappings allow. */
const EVENTS = 3000;
/** Straw2 draws the first mappings may take (half a second or so); more only to reach SAMPLES. */
const BUDGET = 30_000_000;

// (module constants: a global's lookup in the hot loop is slow in a vm context, as Jest's)
const imul = Math.imul;
const ln = Math.log;

const mix = (h: number): number => {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};
const hash = (x: number, r: number, id: number): number =>
  mix(mix(mix(x ^ 0x9e3779b9) ^ imul(r + 1, 0x27d4eb2d)) ^ imul(id + 7, 0x165667b1));

/**
 * straw2: the item with the largest ln(u) / weight, u drawn from (x, r, item); among items of
 * one weight, the largest u (ln is increasing).
 */
function choose(
  items: readonly { readonly id: number; readonly weight: number }[],
  x: number,
  r: number,
  equal: boolean,
) {
  let best = items[0].id;
  let top = -Infinity;
  for (const item of items) {
    const u = hash(x, r, item.id);
    const draw = equal ? u : ln((u + 0.5) / 4294967296) / item.weight;
    if (draw > top) {
      top = draw;
      best = item.id;
    }
  }
  return best;
}

/**
 * The fill (a ratio of raw) below which every host can take its share of one failed host's
 * data: each stops taking backfill at `backfillfull`. The hosts are alike; `hostsPerDomain`
 * gives each failure domain's count. Undefined where CRUSH finds no place for some copies.
 */
export function simulatedRecoveryFill(
  hostsPerDomain: readonly number[],
  width: number,
  rule: "firstn" | "indep",
  backfillfull: number,
): number | undefined {
  const key = `${hostsPerDomain.join(",")}/${width}/${rule}/${backfillfull}`;
  if (!computed.has(key)) computed.set(key, simulate(hostsPerDomain, width, rule, backfillfull));
  return computed.get(key);
}

/** Layouts already mapped: a run resolves a design more than once. */
const computed = new Map<string, number | undefined>();

function simulate(
  hostsPerDomain: readonly number[],
  width: number,
  rule: "firstn" | "indep",
  backfillfull: number,
): number | undefined {
  const domains = hostsPerDomain.map((weight, id) => ({ id, weight }));
  const hostsOf: { id: number; weight: number }[][] = [];
  let next = domains.length;
  for (const count of hostsPerDomain)
    hostsOf.push(Array.from({ length: count }, () => ({ id: next++, weight: 1 })));
  const hostCount = next - domains.length;
  const equalDomains = new Set(hostsPerDomain).size === 1;
  const map = (x: number, failed: number): number[] => {
    if (rule === "firstn") {
      const out: number[] = [];
      const used: number[] = [];
      for (let rep = 0; rep < width; rep++)
        for (let ftotal = 0; ftotal < 50; ftotal++) {
          const r = rep + ftotal;
          const d = choose(domains, x, r, equalDomains);
          if (used.includes(d)) continue;
          // (one try at the leaf, chooseleaf_descend_once: a host out sends it to the top)
          const h = choose(hostsOf[d], x, r, true);
          if (h === failed) continue;
          out.push(h);
          used.push(d);
          break;
        }
      return out;
    }
    const out = new Array<number>(width).fill(-1);
    const used = new Array<number>(width).fill(-1);
    for (let ftotal = 0; ftotal < 100 && out.includes(-1); ftotal++)
      for (let rep = 0; rep < width; rep++) {
        if (out[rep] >= 0) continue;
        const r = rep + width * ftotal;
        const d = choose(domains, x, r, equalDomains);
        if (used.includes(d)) continue;
        for (let tries = 0; tries < 5; tries++) {
          const h = choose(hostsOf[d], x, rep + r + width * tries, true);
          if (h === failed) continue;
          out[rep] = h;
          used[rep] = d;
          break;
        }
      }
    return out.filter((h) => h >= 0);
  };
  // Every host of a placement group fails in turn: hosts alike by place (a rack's size, a failed
  // host's rack-mates or not) share one expectation, so each mapping counts for all of them and
  // the figure holds as well for a thousand racks as for five.
  const domainOf = new Map<number, number>();
  hostsOf.forEach((members, d) => {
    for (const { id } of members) domainOf.set(id, d);
  });
  const sizeOf = (h: number) => hostsPerDomain[domainOf.get(h)!];
  const hostsOfSize = new Map<number, number>();
  for (const n of hostsPerDomain) hostsOfSize.set(n, (hostsOfSize.get(n) ?? 0) + n);
  // Each mapping fails every host on it in turn, until a size of domain has lost enough copies;
  // the mappings are enough for the smallest group of alike hosts to get there.
  const smallest = Math.min(...hostsOfSize.values());
  const draws = width * (domains.length + Math.max(...hostsPerDomain));
  const samples = Math.max(
    SAMPLES,
    Math.min(Math.ceil((EVENTS * hostCount) / (width * smallest)), Math.floor(BUDGET / draws)),
  );
  const held = new Map<number, number>(); // copies held, by the holder's domain's size
  let copiesHeld = 0;
  const lost = new Map<number, number>(); // copies of failed hosts, by their domain's size
  const moved = new Map<string, number>(); // copies taken, by failed size and taker's place
  let events = 0;
  let incomplete = 0;
  for (let x = 0; x < samples; x++) {
    const was = map(x, -1);
    for (const failed of was) {
      const size = sizeOf(failed);
      held.set(size, (held.get(size) ?? 0) + 1);
      copiesHeld++;
      if ((lost.get(size) ?? 0) >= 2 * EVENTS) continue;
      lost.set(size, (lost.get(size) ?? 0) + 1);
      events++;
      const now = map(x, failed);
      if (now.length < was.length) incomplete++;
      for (const h of now) {
        if (was.includes(h)) continue;
        const place = `${size}/${domainOf.get(h) === domainOf.get(failed) ? "mate" : sizeOf(h)}`;
        moved.set(place, (moved.get(place) ?? 0) + 1);
      }
    }
  }
  // CRUSH finding no host for some copies: they stay degraded, whatever the fill.
  if (incomplete > events / 100) return undefined;
  // A host's copies by its domain's size, and the average's (a smaller domain's hosts hold more:
  // a placement group's later copies are drawn from the domains its earlier ones left).
  const loads = new Map([...held].map(([size, n]) => [size, n / hostsOfSize.get(size)!]));
  const average = copiesHeld / hostCount;
  let fill = backfillfull;
  for (const [size, copies] of lost) {
    const share = (taker: number | "mate") => {
      const hosts =
        taker === "mate" ? size - 1 : (hostsOfSize.get(taker) ?? 0) - (taker === size ? size : 0);
      return hosts > 0 ? (moved.get(`${size}/${taker}`) ?? 0) / copies / hosts : 0;
    };
    for (const taker of ["mate" as const, ...hostsOfSize.keys()]) {
      const takes = share(taker);
      if (takes === 0) continue;
      const own = loads.get(taker === "mate" ? size : taker)!;
      fill = Math.min(fill, (backfillfull * average) / (own + loads.get(size)! * takes));
    }
  }
  return fill;
}
