import Handlebars from "handlebars";
import type { DesignPoint } from "../blueprints/blueprint";
import { withCounts, type Catalog } from "../documents/render";
import { markdownText } from "../core/markdown";
import { logicalParts, metadataView } from "../documents/view-model";
import type { Model } from "../model/types";
import type { Finding } from "../policy/finding";
import type { Amounts, CostLine, Costing, Sheet, StaffPlan, Subtotal } from "./costing";
import type { PriceBook } from "./price-book";
import { withFigures } from "../model/figures";
import { BACKEND_KIND_NAMES } from "../core/vocabulary";
import { numberFormat } from "../documents/numbers";
import { minorToDecimal } from "./money";

const locale = (language: string) => (language === "zh-CN" ? "zh-CN" : "en-US");

/** Disk technologies as their trade writes them. */
const DISK_KINDS: Readonly<Record<string, string>> = { hdd: "HDD", ssd: "SSD", nvme: "NVMe" };
/**
 * Money in the document's language, to the currency's smallest unit so every figure adds up as
 * printed: `€1,234.50` in English, `¥1,234.50` in Chinese.
 */
/** How full the storage's held figures count it, as the catalog's clauses: Ceph's, then Swift's. */
function heldParts(model: Model): string[] {
  const ceph = model.storage.ceph;
  const swift = model.storage.swift;
  return [
    ...(!ceph
      ? []
      : ceph.usableToRecoverTB !== undefined
        ? [
            ceph.recoveryFillEstimated
              ? "proposal.held.cephRecoversEstimated"
              : "proposal.held.cephRecovers",
          ]
        : [
            ceph.recoveryFillRatio === undefined
              ? "proposal.held.cephDegraded"
              : "proposal.held.cephNearfull",
          ]),
    ...(!swift
      ? []
      : [swift.storageNodes.length > 1 ? "proposal.held.swift" : "proposal.held.swiftOne"]),
  ];
}

export function moneyFormatter(
  language: string,
  currency: string,
  digits = 2,
): (minor: number) => string {
  const f = new Intl.NumberFormat(locale(language), {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: "negative",
  });
  // A decimal string formats exactly; `minor / 100` is a float that misprints cents past 2^53 / 100.
  return (minor) => f.format(minorToDecimal(minor, digits) as Intl.StringNumericLiteral);
}

/**
 * The figures the proposal template shows, formatted in the document's language. Every figure
 * comes from the costing; this only formats and labels, so the template computes nothing.
 */
export function proposalViewModel(
  model: Model,
  costing: Costing,
  book: PriceBook,
  designPoints: readonly DesignPoint[],
  catalog: Catalog,
  findings: readonly Finding[] = [],
) {
  const language = model.metadata.language;
  const money = moneyFormatter(language, costing.currency, costing.minorDigits);
  const num = numberFormat(locale(language));
  // Two decimals: the price book's rates have at most that many as percentages.
  const pctFormat = new Intl.NumberFormat(locale(language), {
    style: "percent",
    maximumFractionDigits: 2,
    signDisplay: "negative",
  });
  const pct = (n: number) => pctFormat.format(n);
  // Computed shares (savings) to two decimals each, so a column lines up: 25.70%, 22.79%.
  const shareFormat = new Intl.NumberFormat(locale(language), {
    style: "percent",
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: "negative",
  });
  const share = (n: number) => shareFormat.format(n);
  // The hyphen-minus Intl gives negative money, so one minus sign reads throughout.
  const signed = (n: number) => `${n > 0 ? "+" : n < 0 ? "-" : "±"}${pct(Math.abs(n))}`;
  const md = markdownText;
  // Catalog text is template text, like {{t}}: the values filled in are escaped, the text is
  // not. An unknown key (a role added later) shows the fallback, escaped.
  const tr = (
    key: string,
    params: Record<string, string | number | Handlebars.SafeString> = {},
    fallback = key,
  ) =>
    new Handlebars.SafeString(
      catalog[key] === undefined
        ? Handlebars.escapeExpression(fallback)
        : withCounts(catalog[key], params).replace(/\{([A-Za-z]+)\}/g, (m, name: string) =>
            name in params ? filled(params[name]) : m,
          ),
    );
  const filled = (v: string | number | Handlebars.SafeString) =>
    v instanceof Handlebars.SafeString ? v.toString() : Handlebars.escapeExpression(String(v));
  const separator = catalog["proposal.separator"] ?? ", ";
  const arrays = costing.storage.commercialArrays;
  const disks = (hw: Model["hardware"][number]) =>
    hw.disks
      .map((d) => `${d.count}×${num(d.sizeGB / 1000)} TB ${DISK_KINDS[d.kind] ?? d.kind}`)
      .join(" + ");

  // GlusterFS volumes come from servers outside the design: nothing here sizes or prices them.
  // (A design has one GlusterFS backend at most: glusterfs-backend-single.)
  const glusterBackends = () =>
    model.storage.backends
      .filter((b) => b.kind === "glusterfs")
      .map((b) => tr("proposal.assumeGluster", { backend: md(b.name) }));
  // Swift's usable capacity is its default policy's; the others hold more or less of the same
  // disks, as the architecture document's policy table says.
  const swiftPolicyBasis = () => {
    const policies = model.storage.swift?.policies ?? [];
    // (several policies have exactly one default: swift-policy-default)
    const basis = policies.find((p) => p.default);
    if (policies.length < 2 || !basis) return "";
    return tr("proposal.swiftPolicyBasis", {
      policy: md(basis.name),
      tb: num(basis.usableTB),
      others: new Handlebars.SafeString(
        policies
          .filter((p) => p !== basis)
          .map((p) => tr("proposal.swiftPolicyUsable", { policy: md(p.name), tb: num(p.usableTB) }))
          .join(separator),
      ),
    });
  };

  const itemOf = (l: CostLine) => {
    const hw = l.kind === "server" ? model.hardware.find((h) => h.name === l.profile) : undefined;
    // A role's price is the book's server, whatever the profile: the design's is said beside it.
    if (l.item)
      return l.priceSource === "role" && hw
        ? tr("proposal.rolePriced", { item: md(l.item), spec: serverOf(hw) })
        : md(l.item);
    if (l.kind === "server") return hw ? serverOf(hw) : md(l.profile ?? "");
    return tr(`proposal.line.${l.kind}`);
  };
  const serverOf = (hw: Model["hardware"][number]) => {
    const spec = tr("proposal.serverSpec", {
      sockets: hw.sockets,
      cores: hw.coresPerSocket,
      memory: num(hw.memoryGiB),
    });
    const withDisks = hw.disks.length
      ? tr("proposal.serverSpecDisks", { spec, disks: disks(hw) })
      : spec;
    const described = hw.accelerators
      ? tr("proposal.serverSpecAccelerators", {
          spec: withDisks,
          accelerators: hw.accelerators
            .map((a) => `${a.count}× ${md(a.model ?? a.name)}`)
            .join(" + "),
        })
      : withDisks;
    return hw.vendorModel
      ? tr("proposal.serverModel", { model: md(hw.vendorModel), spec: described })
      : described;
  };
  const row = (l: CostLine) => {
    const item = itemOf(l);
    const role = l.role ? tr(`proposal.role.${l.role}`, {}, md(l.role)) : "";
    const profile = l.profile ? md(l.profile) : "";
    return {
      item,
      role,
      profile,
      /** The item with the role and profile it traces back to, for tables without those columns. */
      traced: l.role ? tr("proposal.serverOf", { item, role, profile }) : item,
      basis: tr(`proposal.per.${l.per}`, {}, md(l.per)),
      quantity: l.per === "share" ? pct(l.quantity) : num(l.quantity),
      unit: l.unit ? md(l.unit) : tr(`proposal.per.${l.per}`, {}, md(l.per)),
      unitPrice: money(l.unitPriceMinor),
      list: money(l.listMinor),
      discountRate: pct(l.discountRate),
      discount: money(l.discountMinor),
      net: money(l.netMinor),
    };
  };
  const amounts = (a: Amounts) => ({
    list: money(a.listMinor),
    discount: money(a.discountMinor),
    net: money(a.netMinor),
  });
  const subtotal = (s: Subtotal) => ({
    label: tr(`proposal.section.${s.section}`),
    ...amounts(s),
  });
  const of = (sheet: Sheet, s: CostLine["section"]) => [
    ...sheet.oneOff.filter((l) => l.section === s),
    ...sheet.yearly.filter((l) => l.section === s),
  ];
  const NONE = { listMinor: 0, discountMinor: 0, netMinor: 0 };
  /** A section's lines with the subtotal the costing gives for it. */
  const section = (sheet: Sheet, s: CostLine["section"]) => ({
    rows: of(sheet, s).map(row),
    ...amounts(
      [...sheet.oneOffSubtotals, ...sheet.yearlySubtotals].find((t) => t.section === s) ?? NONE,
    ),
  });
  const sheetView = (sheet: Sheet) => ({
    oneOff: sheet.oneOff.map(row),
    oneOffSubtotals: sheet.oneOffSubtotals.map(subtotal),
    oneOffTotal: amounts(sheet.oneOffTotal),
    yearly: sheet.yearly.map(row),
    yearlySubtotals: sheet.yearlySubtotals.map(subtotal),
    yearlyTotal: amounts(sheet.yearlyTotal),
  });
  const p = costing.proposed;
  const staffSide = (name: string | Handlebars.SafeString, plan: StaffPlan) => ({
    name,
    rule:
      plan.nodesPerFte === undefined
        ? tr("proposal.teamFixed")
        : tr("proposal.teamPerNodes", {
            nodes: num(plan.nodesPerFte),
            minimum: num(plan.minimumFte ?? 0),
          }),
    fte: num(plan.fte),
    perYear: money(plan.perYearMinor),
  });
  const commercialName = md(costing.commercial.name);
  /** Each side's support after the warranty, and how many years of each TCO pay it. */
  const hardwareSupportView = () => {
    const support = costing.hardwareSupport;
    if (!support) return undefined;
    const side = (name: string | Handlebars.SafeString, sheet: Sheet) => ({
      name,
      base: money(sheet.hardwareSupport?.unitPriceMinor ?? 0),
      rate: pct(support.yearlyRate),
      perYear: money(sheet.hardwareSupport?.netMinor ?? 0),
    });
    return {
      from: support.includedYears + 1,
      intro: tr("proposal.hardwareSupportIntro", {
        years: support.includedYears,
        from: support.includedYears + 1,
        tco: new Handlebars.SafeString(
          costing.tco
            .map((t) =>
              tr("proposal.hardwareSupportYears", { tco: t.years, years: t.supportYears }),
            )
            .join(separator),
        ),
      }),
      years: support.includedYears,
      proposed: p.hardwareSupport ? amounts(p.hardwareSupport) : amounts(NONE),
      sides: [side(tr("proposal.proposed"), p), side(commercialName, costing.commercial)],
    };
  };
  const factorLabel = (f: string) => tr(`proposal.factor.${f}`);
  const terms = book.terms;

  return {
    meta: {
      ...metadataView(model),
      priceBook: tr("proposal.priceBookName", { name: md(book.name), currency: costing.currency }),
    },
    logicalParts: logicalParts(model),
    solution: {
      blueprint: model.blueprint,
      zones: model.capacity.availabilityZones,
      pools: model.pools.length,
      controlPlane: tr(
        model.controlPlane.ha ? "proposal.controllers.ha" : "proposal.controllers.single",
        { controllers: model.controlPlane.controllers.length },
      ),
      hosts: num(model.capacity.hosts),
      // Servers bought: controllers running as VMs on the undercloud are not.
      nodes: num(costing.staffing.proposed.nodes),
      services: model.controlPlane.services.join(separator),
      // Each kind once (two LVM backends are one "LVM"); a design without any names its disks.
      storage:
        [
          ...new Set([
            model.storage.ceph ? "Ceph" : "",
            model.storage.swift ? "Swift" : "",
            ...model.storage.backends
              .filter((b) => b.kind !== "ceph")
              .map((b) => BACKEND_KIND_NAMES[b.kind]),
          ]),
        ]
          .filter(Boolean)
          .join(separator) || tr("proposal.storageLocal"),
    },
    // Checks the design was agreed to fail (suppressed with a reason): a customer signs off on
    // them, so the proposal names them where it claims what the design realizes.
    accepted: findings
      .filter((f) => f.suppressed && f.severity !== "info")
      .map((f) => {
        // A translated rule title says what is required, not where: the target tells them apart,
        // and the prefix that it is not met (read alone, a title reads as a claim).
        const title = language === "en" ? undefined : catalog[`rule.${f.ruleId}.title`];
        return {
          ruleId: f.ruleId,
          message: md(
            title
              ? `${catalog["findings.requirement"] ?? ""}${title}${catalog["proposal.colon"] ?? ": "}${f.target}`
              : f.message,
          ),
          reason: md(f.suppressed?.reason ?? ""),
        };
      }),
    // Only what the design realizes: the architecture document marks the rest as missing.
    designPoints: designPoints
      .filter((d) => (d.needs?.(model) ?? []).length === 0)
      .map((d) => {
        const text = (language !== "en" && d.translations?.[language]) || d;
        return { id: d.id, title: md(withFigures(text.title, model)) };
      }),
    capacity: {
      sharedVcpus: num(costing.capacity.sharedVcpus),
      dedicatedCpus: costing.capacity.dedicatedCpus > 0 ? num(costing.capacity.dedicatedCpus) : "",
      vcpus: num(costing.capacity.vcpus),
      imageBootCpus:
        costing.capacity.imageBootCpus !== undefined ? num(costing.capacity.imageBootCpus) : "",
      ramGiB: num(costing.capacity.ramGiB),
      blockTB: num(costing.capacity.blockTB),
      volumeServerTB:
        costing.capacity.volumeServerTB > 0 ? num(costing.capacity.volumeServerTB) : "",
      objectTB: num(costing.capacity.objectTB),
      // Passthrough devices beside the spare hosts, as the other figures count.
      accelerators: (model.capacity.accelerators ?? []).map((a) => ({
        device: a.model ? md(a.model) : md(a.name),
        usable: num(a.usable),
      })),
      utilization: pct(costing.capacity.utilization),
      perUsedVcpuMonth: money(costing.sensitivity[0].proposedPerUsedVcpuMonthMinor),
      commercialPerUsedVcpuMonth: money(costing.sensitivity[0].commercialPerUsedVcpuMonthMinor),
    },
    servers: section(p, "hardware"),
    configured: of(p, "hardware")
      .filter((l) => l.components)
      .map((l) => ({
        role: tr(`proposal.role.${l.role}`, {}, md(l.role ?? "")),
        profile: md(l.profile ?? ""),
        chassis: money(l.components!.chassisMinor),
        cpu: money(l.components!.cpuMinor),
        memory: money(l.components!.memoryMinor),
        disks: money(l.components!.disksMinor),
        nics: money(l.components!.nicsMinor),
        accelerators: money(l.components!.acceleratorsMinor),
        unitPrice: money(l.unitPriceMinor),
      })),
    // (a column of its own only where some configured server has devices)
    configuredAccelerators: of(p, "hardware").some(
      (l) => l.components && l.components.acceleratorsMinor > 0,
    ),
    network: section(p, "network"),
    services: section(p, "services"),
    subscriptions: section(p, "subscriptions"),
    proposed: sheetView(p),
    capex: money(costing.capexMinor),
    opex: money(costing.opexPerYearMinor),
    staffing: {
      nodes: num(costing.staffing.proposed.nodes),
      cost: money(costing.staffing.costPerFtePerYearMinor),
      // Only teams counted from servers per FTE are rounded; a fixed team is shown as given.
      rounding:
        costing.staffing.proposed.nodesPerFte !== undefined ||
        costing.staffing.commercial.nodesPerFte !== undefined
          ? tr("proposal.staffingRounding")
          : "",
      sides: [
        staffSide(tr("proposal.proposed"), costing.staffing.proposed),
        staffSide(commercialName, costing.staffing.commercial),
      ],
    },
    commercialArrays: arrays,
    heldParts: heldParts(model),
    swiftPolicies: swiftPolicyBasis(),
    storage: (["block", "object"] as const)
      .filter((k) => costing.storage[k].usableTB > 0 || costing.storage[k].proposedMinor > 0)
      .map((k) => ({
        kind: tr(`proposal.storage.${k}`),
        usableTB: num(costing.storage[k].usableTB),
        heldTB: num(costing.storage[k].heldTB),
        proposed: money(costing.storage[k].proposedMinor),
        commercial: money(costing.storage[k].commercialMinor),
        maintenance: money(costing.storage[k].commercialMaintenancePerYearMinor),
      })),
    commercial: {
      name: commercialName,
      // What it licenses: the controllers' sockets too, unless they run as VMs on the undercloud.
      licensed: tr(
        model.inventory.some((r) => r.virtual)
          ? "proposal.licensed.computeOnly"
          : "proposal.licensed.controllers",
      ),
      ...sheetView(costing.commercial),
    },
    hardwareSupport: hardwareSupportView(),
    tco: costing.tco.map((t) => ({
      years: t.years,
      proposed: money(t.proposedMinor),
      commercial: money(t.commercialMinor),
      saving: money(t.savingMinor),
      savingShare: share(t.savingShare),
    })),
    sensitivity: costing.sensitivity.map((r) => ({
      factor: factorLabel(r.factor),
      change:
        r.factor === "baseline"
          ? "—"
          : r.factor === "utilization"
            ? tr("proposal.utilizationChange", {
                change: signed(r.change),
                value: pct(r.utilization),
              })
            : signed(r.change),
      proposed: money(r.proposed5yMinor),
      commercial: money(r.commercial5yMinor),
      saving: money(r.savingMinor),
      savingShare: share(r.savingShare),
      perUsedVcpuMonth: money(r.proposedPerUsedVcpuMonthMinor),
      commercialPerUsedVcpuMonth: money(r.commercialPerUsedVcpuMonthMinor),
    })),
    breakEven: costing.breakEven.map((b) => {
      const factor = factorLabel(b.factor);
      if (b.change === undefined)
        return tr(
          b.none === "below-zero" ? "proposal.breakEvenBelowZero" : "proposal.breakEvenSame",
          { factor },
        );
      return tr(b.change >= 0 ? "proposal.breakEvenRise" : "proposal.breakEvenFall", {
        factor,
        change: pct(Math.abs(b.change)),
      });
    }),
    terms: {
      rounding: tr("proposal.rounding", {
        currency: costing.currency,
        smallest: money(1),
      }),
      validity: book.validUntil
        ? tr("proposal.validityUntil", { date: book.validUntil })
        : tr("proposal.validityDefault"),
      tax: terms.tax ? md(terms.tax) : tr("proposal.taxDefault"),
      payment: terms.payment ? md(terms.payment) : tr("proposal.paymentDefault"),
      timeline: (terms.timeline ?? []).map((m) => ({
        milestone: md(m.milestone),
        weeks: num(m.weeks),
      })),
      timelineDefault: terms.timeline?.length ? "" : tr("proposal.timelineDefault"),
      assumptions: [
        tr("proposal.assumeQuantities", { book: md(book.name) }),
        costing.hardwareSupport
          ? tr("proposal.assumeHardwareSupport", {
              years: costing.hardwareSupport.includedYears,
              rate: pct(costing.hardwareSupport.yearlyRate),
            })
          : tr("proposal.assumeNoHardwareSupport", {
              years: Math.max(...costing.tco.map((t) => t.years)),
            }),
        tr("proposal.assumeCapacity"),
        ...(costing.capacity.imageBootCpus !== undefined
          ? [
              tr("proposal.assumeImageBoot", {
                cpus: num(costing.capacity.imageBootCpus),
                usable: num(costing.capacity.vcpus),
              }),
            ]
          : []),
        ...model.pools
          .filter((pool) => pool.capacity.diskBound?.caps)
          .map((pool) =>
            tr("proposal.assumeDiskBound", {
              pool: pool.id,
              disk: num(pool.capacity.diskBound!.diskGiB),
            }),
          ),
        tr(arrays ? "proposal.assumeFacilities" : "proposal.assumeFacilitiesNoArrays", {
          amount: money(p.yearly.find((l) => l.kind === "facilities")?.unitPriceMinor ?? 0),
        }),
        ...(arrays
          ? [
              tr("proposal.assumeStorage", {
                rate: pct(book.commercialAlternative.storageMaintenanceRate),
              }),
            ]
          : []),
        tr("proposal.assumeVirtualization", {
          rate: pct(book.commercialAlternative.virtualizationSupportRate),
        }),
        tr("proposal.assumeUtilization", { rate: pct(costing.capacity.utilization) }),
        tr("proposal.assumeServices"),
        tr("proposal.assumeBlockServers"),
        ...glusterBackends(),
        ...(arrays ? [tr("proposal.assumeSwitches")] : []),
        ...(model.inventory.some((r) => r.virtual)
          ? [
              tr("proposal.assumeVirtualControllers", {
                controllers: model.controlPlane.controllers.length,
              }),
            ]
          : []),
        ...(terms.assumptions ?? []).map(md),
      ],
      exclusions: terms.exclusions
        ? terms.exclusions.map(md)
        : [1, 2, 3, 4].map((i) => tr(`proposal.exclusion${i}`)),
    },
    options: costing.options.map((o) => ({
      ...row(o),
      when: tr(o.yearly ? "proposal.yearly" : "proposal.oneOff"),
    })),
    diagrams: {} as Record<string, { id: string; mermaid: string }>,
  };
}
