package io.crmkit.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.crmkit.core.Crm;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestPostgres;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Imports {@code rows} customers (a million by default) from a CSV file generated while it is read
 * (never held whole), in a JVM started with a heap smaller than the file, and records the heap
 * used after each garbage collection (what the import keeps alive, with old garbage not yet
 * collected), its largest value at each tenth of the file: the reader and a batch stay flat, the
 * keys the import remembers to refuse repeated rows ({@code ImportSeen}) grow with the rows.
 *
 * <p>Run (the heap is the JVM's; 96 MB against a 73 MB file): {@code ./mvnw -q -pl benchmarks -am
 * install -DskipTests && ./mvnw -q -pl benchmarks exec:exec -Dexec.executable=java
 * -Dexec.args="-Xmx96m -cp %classpath io.crmkit.benchmarks.ImportHeapBenchmark 1000000"}
 */
public final class ImportHeapBenchmark {
  private ImportHeapBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    try {
      run(rows);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int rows) throws Exception {
    java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
        .collect(java.util.stream.Collectors.toSet());
    java.util.concurrent.atomic.AtomicLong afterGc = new java.util.concurrent.atomic.AtomicLong();
    for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
              (javax.management.openmbean.CompositeData) notification.getUserData());
          long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
              .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
          afterGc.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    try (BenchCrm.Setup setup = BenchCrm.open(2)) {
      Crm crm = setup.crm();
      // Warm-up, so the figures are the import's and not class loading's.
      importCsv(crm, provision(crm, "warm"), new GeneratedCsv(10_000), ImportOptions.DEFAULTS);
      System.gc();
      afterGc.set(0);

      long[] checkpoint = {rows / 10};
      ImportOptions options = ImportOptions.DEFAULTS.withProgress(report -> {
        if (report.rowsRead() >= checkpoint[0]) {
          System.out.printf(Locale.ROOT, "  %,9d rows: largest heap after a collection so far %.1f MB%n",
              report.rowsRead(), afterGc.get() / 1e6);
          checkpoint[0] += rows / 10;
        }
      });
      GeneratedCsv file = new GeneratedCsv(rows);
      long start = System.nanoTime();
      ImportReport report = importCsv(crm, provision(crm, "heap"), file, options);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (report.inserted() != rows || report.rejected() != 0) {
        throw new IllegalStateException("the import did not store every row: " + report);
      }
      System.out.printf(Locale.ROOT, "server: %s, PostgreSQL %d%n", TestPostgres.shared().provider(),
          TestPostgres.shared().serverVersionNumber());
      System.out.printf(Locale.ROOT, "%,d rows, file %.1f MB (generated while read), max heap (-Xmx) %.1f MB%n",
          rows, file.bytes / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
      System.out.printf(Locale.ROOT, "imported in %.1f s (%,.0f rows/s); largest heap after a collection"
          + " %.1f MB%n", seconds, rows / seconds, afterGc.get() / 1e6);
    }
  }

  private static ProvisionedOrganization provision(Crm crm, String slug) {
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("enterprise")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  private static ImportReport importCsv(Crm crm, ProvisionedOrganization org, InputStream file, ImportOptions options) {
    return crm.tenant(org.organization().id()).as(org.admin().id()).customers().importCsv(file, options);
  }

  /** The benchmark's CSV, a row at a time: name, national (Saudi) WhatsApp number, email, company, tags. */
  private static final class GeneratedCsv extends InputStream {
    private final int rows;
    private int next = -1;
    private byte[] chunk = new byte[0];
    private int at;
    long bytes;

    GeneratedCsv(int rows) {
      this.rows = rows;
    }

    private boolean fill() {
      if (next >= rows) {
        return false;
      }
      String line = next < 0 ? "full_name,whatsapp_phone,email,company,tags\n"
          : String.format(Locale.ROOT, "Customer %d,05%08d,c%d@example.sa,Company %d,imported;batch%n", next,
              10_000_000 + next, next, next % 500);
      next++;
      chunk = line.getBytes(StandardCharsets.UTF_8);
      at = 0;
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int n = 0;
      while (n < len) {
        if (at == chunk.length && !fill()) {
          break;
        }
        int take = Math.min(len - n, chunk.length - at);
        System.arraycopy(chunk, at, b, off + n, take);
        at += take;
        n += take;
      }
      bytes += n;
      return n == 0 ? -1 : n;
    }
  }
}
