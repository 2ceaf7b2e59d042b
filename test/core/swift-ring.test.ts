import { ringLostWithPlace, type RingLayout } from "../../core/swift-ring";

/** Six storage nodes of one disk each, one Swift zone apiece, in one region. */
const layout = (policies: RingLayout["policies"]): RingLayout => ({
  nodeZones: Array.from({ length: 6 }, (_, i) => ({ node: `n${i + 1}`, zone: i + 1, region: 1 })),
  disks: 1,
  replicas: 3,
  policies,
});

describe("what a place's Swift storage nodes take of a ring", () => {
  const fiveOfSix = (node: string) => node !== "n6";

  test("a ring whose every partition keeps more than its parity in the place is lost whole", () => {
    // GIVEN 4+2 over six nodes: each holds one fragment, the one node outside at most one
    // THEN five nodes hold at least 5 of every partition's 6: every object
    expect(
      ringLostWithPlace(layout([{ replicas: 6, parity: 2, name: "cold" }]), fiveOfSix),
    ).toEqual({ lost: 5, of: 6, parity: 2, every: true });
  });

  test("only the policies lost whole are named, where another keeps its objects", () => {
    // GIVEN 4+2 and 2 copies: the node outside may hold one of the 2 copies of a partition
    const loss = ringLostWithPlace(
      layout([
        { replicas: 6, parity: 2, name: "cold" },
        { replicas: 2, name: "pair" },
      ]),
      fiveOfSix,
    );
    expect(loss).toMatchObject({ every: true, policies: ["cold"], lost: 5 });
    // AND beside it a policy of another kind lost whole too is named, the loss said mixed
    const both = ringLostWithPlace(
      layout([
        { replicas: 6, parity: 2, name: "cold" },
        { replicas: 3, parity: 1, name: "warm" },
        { replicas: 2, name: "pair" },
      ]),
      fiveOfSix,
    );
    expect(both).toMatchObject({ every: true, policies: ["cold", "warm"], mixed: true });
  });

  test("every policy lost whole, kept in several ways, is every object: its figures the first's", () => {
    // GIVEN 4+2 and 2+1: five of six nodes hold at least 5 of 6 and 2 of 3 fragments
    const loss = ringLostWithPlace(
      layout([
        { replicas: 6, parity: 2, name: "cold" },
        { replicas: 3, parity: 1, name: "warm" },
      ]),
      fiveOfSix,
    );
    expect(loss).toEqual({ lost: 5, of: 6, parity: 2, every: true, mixed: true });
  });

  test("a place that may hold enough of some partition, not of every one, loses some objects", () => {
    // GIVEN 4+2 over four nodes: each holds one or two fragments of a partition, so two nodes
    // may hold 4 of some (more than the parity) and 2 of others
    const four: RingLayout = {
      ...layout([{ replicas: 6, parity: 2, name: "cold" }]),
      nodeZones: layout([]).nodeZones.slice(0, 4),
      disks: 2,
    };
    const loss = ringLostWithPlace(four, (node) => ["n1", "n2"].includes(node));
    expect(loss).toEqual({ lost: 3, of: 6, parity: 2 });
  });
});
