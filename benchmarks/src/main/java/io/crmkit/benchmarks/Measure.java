package io.crmkit.benchmarks;

import java.util.Locale;

/** Timing and reporting shared by the benchmarks: a rate after a warm-up, and a ratio line. */
final class Measure {
  private Measure() {}

  /** An operation to time. */
  interface Op {
    void run() throws Exception;
  }

  /** Operations per second over {@code seconds}, after a warm-up of a third of that. */
  static double rate(int seconds, Op op) throws Exception {
    long warmUpEnd = System.nanoTime() + seconds * 1_000_000_000L / 3;
    while (System.nanoTime() < warmUpEnd) {
      op.run();
    }
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long count = 0;
    long now;
    do {
      op.run();
      count++;
      now = System.nanoTime();
    } while (now < end);
    return count / ((now - start) / 1e9);
  }

  /** A measured rate, operations per second. */
  interface Rate {
    double measure() throws Exception;
  }

  /**
   * Measures baseline and subject in {@code rounds} alternating rounds of {@code seconds} each, so
   * drift on a busy machine (autovacuum, a checkpoint) hits both, and prints the medians and their
   * ratio with the range of the per-round ratios.
   */
  static void compare(String what, int rounds, int seconds, String baselineName, Op baseline, String subjectName,
      Op subject) throws Exception {
    compareRates(what, rounds, seconds, baselineName, () -> rate(seconds, baseline), subjectName,
        () -> rate(seconds, subject));
  }

  /** {@link #compare} for rates measured some other way (several clients at once, say). */
  static void compareRates(String what, int rounds, int seconds, String baselineName, Rate baseline,
      String subjectName, Rate subject) throws Exception {
    compareRounds(what, rounds, String.format(Locale.ROOT, "rounds of %d s", seconds), "ops/s", baselineName, baseline,
        subjectName, subject);
  }

  /**
   * {@link #compare} for work measured as a whole (a file imported, say) rather than over a time:
   * each round runs the baseline once and the subject once, and returns its rate in {@code unit}.
   */
  static void compareRuns(String what, int rounds, String unit, String baselineName, Rate baseline,
      String subjectName, Rate subject) throws Exception {
    compareRounds(what, rounds, "rounds", unit, baselineName, baseline, subjectName, subject);
  }

  private static void compareRounds(String what, int rounds, String roundsAre, String unit, String baselineName,
      Rate baseline, String subjectName, Rate subject) throws Exception {
    double[] base = new double[rounds];
    double[] measured = new double[rounds];
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      base[i] = baseline.measure();
      measured[i] = subject.measure();
      ratios[i] = measured[i] / base[i];
    }
    java.util.Arrays.sort(base);
    java.util.Arrays.sort(measured);
    java.util.Arrays.sort(ratios);
    report(what, baselineName, base[rounds / 2], subjectName, measured[rounds / 2], unit);
    System.out.printf(Locale.ROOT, "  per-round ratios %.2f to %.2f over %d %s%n", ratios[0], ratios[rounds - 1],
        rounds, roundsAre);
  }

  /** Prints a figure: the baseline, the measured rate and their ratio. */
  static void report(String what, String baselineName, double baseline, String subjectName, double subject) {
    report(what, baselineName, baseline, subjectName, subject, "ops/s");
  }

  /** {@link #report(String, String, double, String, double)} in another unit (rows/s, say). */
  static void report(String what, String baselineName, double baseline, String subjectName, double subject,
      String unit) {
    System.out.printf(Locale.ROOT, "%s%n  baseline  %-58s %10s %s%n  measured  %-58s %10s %s  (%.2f x baseline)%n",
        what, baselineName, formatRate(baseline), unit, subjectName, formatRate(subject), unit, subject / baseline);
  }

  /** A rate with the digits that matter: none above 100, one below, two below 10. */
  private static String formatRate(double opsPerSecond) {
    return String.format(Locale.ROOT, opsPerSecond >= 100 ? "%.0f" : opsPerSecond >= 10 ? "%.1f" : "%.2f", opsPerSecond);
  }
}
