package io.flinkplatform.examples.bench.peers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The samples of one run of the comparison, by table row, printed as Markdown: the median rate with
 * its min and max over the repetitions, its ratio to db-scheduler's best W1 row of the same run,
 * the counters per unit (medians), duplicates and unfinished units (sums over the repetitions) and
 * the idle-claim fraction (pooled over the repetitions).
 */
public final class PeerResults {
  /** Rows whose name starts with this are the baseline of the ratio column. */
  public static final String BASELINE = "db-scheduler";

  /** The two tables. */
  public enum Workload {
    W1("W1 drain: one-shot no-op executions created before the workers start", "exec"),
    W2("W2 (flink-platform only): DAGs of no-op tasks created before the workers start", "task");

    final String title;
    final String unit;

    Workload(String title, String unit) {
      this.title = title;
      this.unit = unit;
    }
  }

  private record Row(Workload workload, List<Sample> samples) {}

  private final Map<String, Row> rows = new LinkedHashMap<>();

  public synchronized void add(Workload workload, Sample sample) {
    rows.computeIfAbsent(sample.row(), k -> new Row(workload, new ArrayList<>()))
        .samples()
        .add(sample);
  }

  /** Units that ran more than once or not at all, over every row. */
  public synchronized long problems() {
    return rows.values().stream()
        .flatMap(r -> r.samples().stream())
        .mapToLong(s -> s.duplicates() + s.unfinished())
        .sum();
  }

  /** The median rate of the fastest baseline row; NaN without one. */
  public synchronized double baseline() {
    return rows.entrySet().stream()
        .filter(e -> e.getKey().startsWith(BASELINE) && e.getValue().workload() == Workload.W1)
        .mapToDouble(e -> median(e.getValue().samples(), Sample::perSecond))
        .max()
        .orElse(Double.NaN);
  }

  public synchronized String markdown() {
    StringBuilder sb = new StringBuilder();
    double base = baseline();
    for (Workload w : Workload.values()) {
      if (rows.values().stream().noneMatch(r -> r.workload() == w)) {
        continue;
      }
      String unit = w.unit;
      sb.append("### ").append(w.title).append("\n\n");
      sb.append("| variant | ")
          .append(unit)
          .append("s | ")
          .append(unit)
          .append("s/s median | min | max | reps | vs db-scheduler best | write trx/")
          .append(unit)
          .append(" | Com_commit/")
          .append(unit)
          .append(" | dups | not done | idle claims |\n");
      sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Map.Entry<String, Row> e : rows.entrySet()) {
        if (e.getValue().workload() != w) {
          continue;
        }
        List<Sample> s = e.getValue().samples();
        double rate = median(s, Sample::perSecond);
        long idle = s.stream().mapToLong(x -> x.idle().idle()).sum();
        long probes = s.stream().mapToLong(x -> x.idle().samples()).sum();
        sb.append("| ")
            .append(e.getKey())
            .append(" | ")
            .append(String.format(Locale.ROOT, "%,d", s.get(0).units()))
            .append(" | ")
            .append(fmt(rate))
            .append(" | ")
            .append(fmt(s.stream().mapToDouble(Sample::perSecond).min().orElseThrow()))
            .append(" | ")
            .append(fmt(s.stream().mapToDouble(Sample::perSecond).max().orElseThrow()))
            .append(" | ")
            .append(s.size())
            .append(" | ")
            .append(
                w == Workload.W1 && !Double.isNaN(base)
                    ? String.format(Locale.ROOT, "%.2f×", rate / base)
                    : "–")
            .append(" | ")
            .append(fmt(median(s, Sample::writeTransactionsPerUnit)))
            .append(" | ")
            .append(fmt(median(s, Sample::comCommitPerUnit)))
            .append(" | ")
            .append(s.stream().mapToLong(Sample::duplicates).sum())
            .append(" | ")
            .append(s.stream().mapToLong(Sample::unfinished).sum())
            .append(" | ")
            .append(
                probes == 0
                    ? "–"
                    : String.format(
                        Locale.ROOT, "%.3f (%d/%d)", (double) idle / probes, idle, probes))
            .append(" |\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static double median(
      List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    double[] v = samples.stream().mapToDouble(f).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : "%.2f", v);
  }
}
