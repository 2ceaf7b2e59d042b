/**
 * Where CRUSH puts a failed host's placement-group copies when its failure domains (racks or
 * sites) outnumber the copies: no closed form gives it. CRUSH retries a copy whose host is out
 * from the top, a replicated rule (`chooseleaf firstn`) shifting the copies after it, an
 * erasure-coded one (`chooseleaf indep`, `set_chooseleaf_tries 5`) trying the same rack's other
 * hosts first; the failed host's rack-mates take more than an even share. This maps placement
 * groups as those rules do, with straw2's weighted draw over a fixed hash (not Ceph's rjenkins:
 * the same distribution, not the same placement groups), before and after the host fails.
 */

/** Placement groups mapped: enough that a group of hosts' mean varies by about 1 %. */
const SAMPLES = 2048;

const mix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};
const hash = (x: number, r: number, id: number): number =>
  mix(mix(mix(x ^ 0x9e3779b9) ^ Math.imul(r + 1, 0x27d4eb2d)) ^ Math.imul(id + 7, 0x165667b1));

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
    const draw = equal ? u : Math.log((u + 0.5) / 4294967296) / item.weight;
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
 * gives each failure domain's count.
 */
export function simulatedRecoveryFill(
  hostsPerDomain: readonly number[],
  width: number,
  rule: "firstn" | "indep",
  backfillfull: number,
): number {
  const key = `${hostsPerDomain.join(",")}/${width}/${rule}/${backfillfull}`;
  let fill = computed.get(key);
  if (fill === undefined)
    computed.set(key, (fill = simulate(hostsPerDomain, width, rule, backfillfull)));
  return fill;
}

/** Layouts already mapped: a run resolves a design more than once. */
const computed = new Map<string, number>();

function simulate(
  hostsPerDomain: readonly number[],
  width: number,
  rule: "firstn" | "indep",
  backfillfull: number,
): number {
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
  const before = Array.from({ length: SAMPLES }, (_, x) => map(x, -1));
  const load = new Map<number, number>();
  for (const set of before) for (const h of set) load.set(h, (load.get(h) ?? 0) + 1);
  const average = (SAMPLES * width) / hostCount;
  let fill = backfillfull;
  // A host fails in the smallest domain, the smallest with rack-mates and the largest: the
  // fewest mates take the most, a lone host's copies go furthest.
  const sorted = [...new Set(hostsPerDomain)].sort((a, b) => a - b);
  const sizes = new Set([sorted[0], sorted.find((n) => n >= 2), sorted[sorted.length - 1]]);
  hostsOf.forEach((hosts, d) => {
    if (!sizes.delete(hostsPerDomain[d])) return;
    const failed = hosts[0].id;
    const received = new Map<number, number>();
    for (let x = 0; x < SAMPLES; x++) {
      // (a placement group without the failed host maps as before: no step ever drew it)
      const was = before[x];
      if (!was.includes(failed)) continue;
      for (const h of map(x, failed))
        if (!was.includes(h)) received.set(h, (received.get(h) ?? 0) + 1);
    }
    // Hosts alike by place (the failed host's rack-mates; others by their rack's size) share
    // one expectation: their mean is the figure, not the luckiest host's draw.
    const groups = new Map<string, { total: number; hosts: number }>();
    hostsOf.forEach((members, e) => {
      for (const { id } of members) {
        if (id === failed) continue;
        const key = e === d ? "mate" : `size ${hostsPerDomain[e]}`;
        const g = groups.get(key) ?? { total: 0, hosts: 0 };
        g.total += (load.get(id) ?? 0) + (received.get(id) ?? 0);
        g.hosts++;
        groups.set(key, g);
      }
    });
    for (const g of groups.values())
      fill = Math.min(fill, (backfillfull * average) / (g.total / g.hosts));
  });
  return fill;
}
