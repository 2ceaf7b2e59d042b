import { BLUEPRINTS } from "../../blueprints/catalog";

/** At least one CJK ideograph: the text was translated, not copied. */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

/** Attribute names, dotted paths, CIDRs and numbers, which a translation keeps verbatim. */
const VERBATIM = /\b[\w.-]*(?:_|[A-Za-z]:[A-Za-z]|\.[A-Za-z])[\w.:/-]*|\b\d[\d./]*/g;

const FIELDS = ["title", "realization"] as const;

describe.each(BLUEPRINTS.map((b) => [b.name, b] as const))("%s blueprint", (_name, blueprint) => {
  test("translates every design point into zh-CN", () => {
    expect(blueprint.designPoints.length).toBeGreaterThan(0);
    for (const point of blueprint.designPoints) {
      // GIVEN a design point WHEN its zh-CN translation is looked up
      const zh = point.translations?.["zh-CN"];
      // THEN it has a title and realization in Chinese, not the English text
      expect({ id: point.id, zh: zh !== undefined }).toEqual({ id: point.id, zh: true });
      for (const field of FIELDS) {
        const text = zh?.[field] ?? "";
        expect({ id: point.id, field, cjk: CJK.test(text) }).toEqual({
          id: point.id,
          field,
          cjk: true,
        });
        expect(text.trim()).not.toBe(point[field].trim());
      }
    }
  });

  test("speaks of flavors and the spec with the documents' terms (实例规格, 设计规约文件)", () => {
    for (const point of blueprint.designPoints)
      for (const field of FIELDS) {
        const text = point.translations?.["zh-CN"]?.[field] ?? "";
        expect({
          id: point.id,
          field,
          bare: text.replace(/实例规格/g, "").includes("规格"),
        }).toEqual({ id: point.id, field, bare: false });
      }
  });

  test("keeps attribute names, paths and numbers of the English text in the translation", () => {
    for (const point of blueprint.designPoints) {
      for (const field of FIELDS) {
        // GIVEN the technical tokens of the English text
        const tokens = (point[field].match(VERBATIM) ?? []).map((t) => t.replace(/[.:]+$/, ""));
        // THEN each appears unchanged in the zh-CN text
        const text = point.translations?.["zh-CN"]?.[field] ?? "";
        expect({ id: point.id, field, missing: tokens.filter((t) => !text.includes(t)) }).toEqual({
          id: point.id,
          field,
          missing: [],
        });
      }
    }
  });
});
