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

  /** Prints a figure: the baseline, the measured rate and their ratio. */
  static void report(String what, String baselineName, double baseline, String subjectName, double subject) {
    System.out.printf(Locale.ROOT, "%s%n  baseline  %-58s %8.0f ops/s%n  measured  %-58s %8.0f ops/s  (%.2f x baseline)%n",
        what, baselineName, baseline, subjectName, subject, subject / baseline);
  }
}
