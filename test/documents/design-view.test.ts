import * as path from "path";
import { designView } from "../../documents/design-view";
import { loadSpecFile } from "../../model/load";

describe("availability as the document prints it", () => {
  test("is rounded down, so a figure never claims a nine the design lacks", () => {
    // GIVEN the enterprise example: zone-a-app has 6 hosts and tolerates one failure
    const { model } = loadSpecFile(path.join("examples", "enterprise-reference.yaml"));
    const view = designView(model);
    const app = model.availability.rows.findIndex((r) => r.params.pool === "zone-a-app");
    // THEN 99.99850 % prints as 99.998 %, not 99.999 %
    expect(model.availability.rows[app].availability).toBeCloseTo(0.9999850399, 9);
    expect(view.haAvailability[app]).toBe("99.998%");
    // and the composed 99.5955 % as 99.59 %, which the 35.5 hours of downtime agree with
    expect(model.availability.composite).toBeCloseTo(0.9959553, 6);
    expect(view.availability.composite).toBe("99.59%");
    expect(view.availability.downtime).toBe("35.5");
    // AND two nodes tolerating one, 1 - 0.001² (0.9999990000000001 in floating point), is
    // 99.9999 %, not more
    const pair = model.availability.rows.findIndex((r) => r.kind === "swift-proxies");
    expect(model.availability.rows[pair].availability).toBeGreaterThan(0.999999);
    expect(view.haAvailability[pair]).toBe("99.9999%");
  });
});
