import parsePrometheusTextFormat from "parse-prometheus-text-format";

/** One metric family as parsed by parse-prometheus-text-format (a port of the reference Python client's parser). */
export interface MetricFamily {
  name: string;
  help: string;
  type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
  metrics: { value?: string; labels?: Record<string, string> }[];
}

type Sample = { value?: string; labels?: Record<string, string> };

/**
 * Parses a scrape and gives lookups by name and labels. Throws on text the parser rejects.
 * The parser folds every sample of a histogram into one (it keeps only the
 * unlabelled case), so histograms are parsed a second time as their three
 * plain series (`_bucket`, `_sum`, `_count`), each line still read by the parser.
 */
export function parseScrape(text: string) {
  const families = parsePrometheusTextFormat(text) as MetricFamily[];
  const histograms = new Set(families.filter((family) => family.type === "HISTOGRAM").map((family) => family.name));
  const asPlainSeries = text
    .split("\n")
    .filter((line) => !/^# (TYPE|HELP) /.test(line) || !histograms.has(line.split(" ")[2] ?? ""))
    .join("\n");
  const series = new Map<string, Sample[]>();
  for (const family of parsePrometheusTextFormat(asPlainSeries) as MetricFamily[]) {
    if (family.type === "UNTYPED" || !histograms.has(family.name)) series.set(family.name, [...(series.get(family.name) ?? []), ...family.metrics]);
  }
  const byName = new Map(families.map((family) => [family.name, family]));
  const family = (name: string): MetricFamily => {
    const found = byName.get(name);
    if (!found) throw new Error(`no metric family ${name} in the scrape`);
    return found;
  };
  /** The samples of a counter or gauge, or of a histogram's `_count` series. */
  const samples = (name: string): Sample[] => (histograms.has(name) ? (series.get(`${name}_count`) ?? []) : family(name).metrics);
  const matches = (labels: Record<string, string> | undefined, wanted: Record<string, string>) => Object.entries(wanted).every(([key, value]) => labels?.[key] === value);
  return {
    families,
    has: (name: string) => byName.has(name),
    family,
    /** The plain series of a histogram: `<name>_bucket`, `<name>_sum`, `<name>_count`. */
    histogramSeries: (name: string, suffix: "bucket" | "sum" | "count"): Sample[] => series.get(`${name}_${suffix}`) ?? [],
    /** The sample's value (a histogram's observation count), or undefined when none has these labels; more than one match throws. */
    value(name: string, labels: Record<string, string> = {}): number | undefined {
      const found = samples(name).filter((metric) => matches(metric.labels, labels));
      if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
      return found[0] ? Number(found[0].value) : undefined;
    },
    /** Sum over every sample whose labels include these. */
    sum: (name: string, labels: Record<string, string> = {}): number =>
      samples(name).filter((metric) => matches(metric.labels, labels)).reduce((total, metric) => total + Number(metric.value), 0),
  };
}
