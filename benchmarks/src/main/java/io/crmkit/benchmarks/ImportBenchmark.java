package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Imports {@code rows} customers (100,000 by default) from one generated CSV file through CRMKit's
 * {@code customers().importCsv}, against hand-written JDBC loading the same file with every rule of
 * the import: the honest baseline of issue 16. Each round loads the file into two fresh
 * organizations (baseline first, then CRMKit), then imports it again into each (every row matches,
 * nothing changes); the figures are medians over the rounds.
 *
 * <p>The baseline, as the runtime role in tenant transactions of {@code perTransaction} rows each
 * (the whole file in one by default): reads the CSV with Jackson, normalizes the WhatsApp phone to
 * E.164 with libphonenumber in the organization's region and lower-cases the email (in the timed
 * part, since the import must do that work too), drops rows that repeat a phone or email of the same
 * transaction (first wins), and streams the rest with {@code COPY ... FROM STDIN} into a TEMP
 * staging table. Then one statement matches every row by WhatsApp phone, else by email (email_lower),
 * refuses the rows whose phone and email name different customers, inserts the new ones in the
 * default stage (locked FOR KEY SHARE), updates only the matched rows that change, takes
 * max_customers for the inserted count through {@code take_within_limit} (race-free: the counter
 * row is held to the commit) and logs {@code customer_created} per new customer and
 * {@code customer_updated} per changed one.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.crmkit.benchmarks.ImportBenchmark -Dexec.args="100000 3 100000"} (rows,
 * rounds, baseline rows per transaction; these are the defaults).
 */
public final class ImportBenchmark {
  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int perTransaction = args.length > 2 ? Integer.parseInt(args[2]) : rows;
    try {
      run(rows, rounds, perTransaction);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int rows, int rounds, int perTransaction) throws Exception {
    byte[] file = file(rows);
    try (BenchCrm.Setup setup = BenchCrm.open(2)) {
      TestDatabase db = setup.db();
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      System.out.printf(Locale.ROOT, "server: %s, PostgreSQL %d; %,d rows; baseline: %,d rows per transaction;"
          + " CRMKit: importCsv with ImportOptions.DEFAULTS (%d rows per transaction)%n",
          TestPostgres.shared().provider(), TestPostgres.shared().serverVersionNumber(), rows, perTransaction,
          ImportOptions.DEFAULTS.batchSize());

      // Warm-up: a tenth of the file each way, into organizations of their own.
      byte[] small = file(rows / 10);
      ImportBaseline.baseline(pool, provision(crm, "warm-jdbc"), small, perTransaction, CpuClock.of(db));
      importCsv(crm, provision(crm, "warm-crm"), small);

      double prepare = ImportBaseline.prepareOnly(file);
      CpuClock cpu = CpuClock.of(db);
      List<ProvisionedOrganization> viaJdbc = new ArrayList<>();
      List<ProvisionedOrganization> viaCrm = new ArrayList<>();
      List<ImportBaseline.Load> loads = new ArrayList<>();
      List<Cost> imports = new ArrayList<>();
      Measure.compareRuns(String.format(Locale.ROOT, "import %,d new customers into a fresh organization", rows),
          rounds, "rows/s",
          "JDBC: Java prepares, COPY to TEMP table, one merge statement", () -> {
            ProvisionedOrganization org = provision(crm, "jdbc-" + viaJdbc.size());
            viaJdbc.add(org);
            ImportBaseline.Load load = ImportBaseline.baseline(pool, org, file, perTransaction, cpu);
            loads.add(load);
            check(db, org, rows, rows, 0, load.inserted() == rows && load.updated() == 0 && load.refused() == 0);
            return rows / load.cost().seconds();
          },
          "customers().importCsv", () -> {
            ProvisionedOrganization org = provision(crm, "crm-" + viaCrm.size());
            viaCrm.add(org);
            Cost.Start start = cpu.start();
            ImportReport report = importCsv(crm, org, file);
            Cost cost = start.stop();
            imports.add(cost);
            check(db, org, rows, rows, 0, report.inserted() == rows && report.errors().isEmpty());
            return rows / cost.seconds();
          });
      sameCustomers(db, viaJdbc.get(0), viaCrm.get(0));
      split(loads, imports, prepare);

      List<ImportBaseline.Load> loadsAgain = new ArrayList<>();
      List<Cost> importsAgain = new ArrayList<>();
      int[] next = {0, 0};
      Measure.compareRuns(String.format(Locale.ROOT, "import the same %,d rows again (every row matches, none"
          + " changes)", rows), rounds, "rows/s",
          "JDBC: the same load", () -> {
            ProvisionedOrganization org = viaJdbc.get(next[0]++);
            ImportBaseline.Load load = ImportBaseline.baseline(pool, org, file, perTransaction, cpu);
            loadsAgain.add(load);
            check(db, org, rows, rows, 0, load.inserted() == 0 && load.updated() == 0 && load.refused() == 0);
            return rows / load.cost().seconds();
          },
          "customers().importCsv", () -> {
            ProvisionedOrganization org = viaCrm.get(next[1]++);
            Cost.Start start = cpu.start();
            ImportReport report = importCsv(crm, org, file);
            Cost cost = start.stop();
            importsAgain.add(cost);
            check(db, org, rows, rows, 0, report.inserted() == 0 && report.updated() == 0
                && report.unchanged() == rows && report.errors().isEmpty());
            return rows / cost.seconds();
          });
      split(loadsAgain, importsAgain, prepare);
    }
  }

  /** The generated file: name, national (Saudi) WhatsApp number, email, company of 500, two tags. */
  private static byte[] file(int rows) {
    StringBuilder csv = new StringBuilder("full_name,whatsapp_phone,email,company,tags\n");
    for (int i = 0; i < rows; i++) {
      csv.append(String.format(Locale.ROOT, "Customer %d,05%08d,c%d@example.sa,Company %d,imported;batch%n",
          i, 10_000_000 + i, i, i % 500));
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ProvisionedOrganization provision(Crm crm, String slug) {
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("enterprise")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  private static ImportReport importCsv(Crm crm, ProvisionedOrganization org, byte[] file) {
    return crm.tenant(org.organization().id()).as(org.admin().id()).customers()
        .importCsv(new ByteArrayInputStream(file), ImportOptions.DEFAULTS);
  }


  /** Wall-clock time and CPU time (this JVM's, the server's) of one side's run, in nanoseconds. */
  record Cost(long wallNanos, long clientCpuNanos, long serverCpuNanos) {
    double seconds() {
      return wallNanos / 1e9;
    }

    /** Readings taken when a run started. */
    record Start(CpuClock clock, long wall, long client, long server) {
      Cost stop() {
        return new Cost(System.nanoTime() - wall, clock.clientNanos() - client, clock.serverNanos() - server);
      }
    }
  }

  /**
   * CPU time of this JVM (every thread: the import's, JIT, GC) and of the PostgreSQL server (its
   * postmaster and every child: the backends, and autovacuum, checkpointer and WAL writer too),
   * the server's read from /proc when it runs on this machine; -1 where it cannot be read.
   */
  record CpuClock(long postmaster) {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    static CpuClock of(TestDatabase db) {
      try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("show data_directory")) {
        rs.next();
        String dataDirectory = rs.getString(1);
        try (var procs = Files.list(Path.of("/proc"))) {
          for (Path proc : (Iterable<Path>) procs::iterator) {
            String name = proc.getFileName().toString();
            if (name.chars().allMatch(Character::isDigit)) {
              try {
                String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                if (cmdline.contains(" -D " + dataDirectory + " ") || cmdline.endsWith(" -D " + dataDirectory)) {
                  return new CpuClock(Long.parseLong(name));
                }
              } catch (IOException e) {
                // the process is gone, or not ours to read
              }
            }
          }
        }
      } catch (SQLException | IOException e) {
        // no data directory to read, or no /proc: the server's CPU is not reported
      }
      return new CpuClock(-1);
    }

    Cost.Start start() {
      return new Cost.Start(this, System.nanoTime(), clientNanos(), serverNanos());
    }

    long clientNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    long serverNanos() {
      if (postmaster < 0) {
        return -1;
      }
      long ticks = 0;
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path proc : (Iterable<Path>) procs::iterator) {
          String name = proc.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(proc.resolve("stat"));
            // After the command in parentheses: state, ppid, ..., utime (12th), stime (13th).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (Long.parseLong(name) == postmaster || Long.parseLong(f[1]) == postmaster) {
              ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
          } catch (IOException | RuntimeException e) {
            // the process ended while being read
          }
        }
      } catch (IOException e) {
        return -1;
      }
      return ticks * NANOS_PER_TICK;
    }
  }

  /** Where the time of each side's median round went. */
  private static void split(List<ImportBaseline.Load> loads, List<Cost> imports, double prepareSeconds) {
    List<ImportBaseline.Load> byTime = new ArrayList<>(loads);
    byTime.sort((a, b) -> Long.compare(a.cost().wallNanos, b.cost().wallNanos));
    ImportBaseline.Load load = byTime.get(byTime.size() / 2);
    List<Cost> importsByTime = new ArrayList<>(imports);
    importsByTime.sort((a, b) -> Long.compare(a.wallNanos, b.wallNanos));
    Cost imported = importsByTime.get(importsByTime.size() / 2);
    System.out.printf(Locale.ROOT, "  median rounds: baseline %.2f s (read, normalize and COPY %.2f s, of which the"
        + " Java side alone takes %.2f s; ANALYZE %.2f s; merge statement %.2f s; COMMIT %.2f s), CPU %s;%n"
        + "                 importCsv %.2f s, CPU %s%n", load.cost().seconds(), load.copyNanos() / 1e9, prepareSeconds,
        load.analyzeNanos() / 1e9, load.mergeNanos() / 1e9, load.commitNanos() / 1e9, cpu(load.cost()), imported.seconds(),
        cpu(imported));
  }

  private static String cpu(Cost cost) {
    return String.format(Locale.ROOT, "client %.2f s, server %s", cost.clientCpuNanos / 1e9,
        cost.serverCpuNanos < 0 ? "not read" : String.format(Locale.ROOT, "%.2f s", cost.serverCpuNanos / 1e9));
  }

  /**
   * Fails unless the organization holds {@code customers} customers, {@code created} customer_created
   * activities and {@code updatedActivities} customer_updated ones, its customers counter says
   * {@code customers}, and {@code reported} (what the side itself said) holds.
   */
  private static void check(TestDatabase db, ProvisionedOrganization organization, long customers, long created,
      long updatedActivities, boolean reported) throws SQLException {
    UUID org = organization.organization().id();
    try (Connection c = db.adminDataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("select (select count(*) from crm.customers where organization_id = ?),"
            + " (select count(*) from crm.customer_activities where organization_id = ? and activity_type = 'customer_created'),"
            + " (select count(*) from crm.customer_activities where organization_id = ? and activity_type = 'customer_updated'),"
            + " (select value from crm.usage_counters where organization_id = ? and metric = 'customers'"
            + " and period_start = date '1970-01-01')")) {
      for (int i = 1; i <= 4; i++) {
        ps.setObject(i, org);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long[] got = {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        if (!reported || got[0] != customers || got[1] != created || got[2] != updatedActivities
            || got[3] != customers) {
          throw new IllegalStateException(String.format(Locale.ROOT, "organization %s: %d customers, %d created and"
              + " %d updated activities, counter %d (expected %d, %d, %d, %d); report as expected: %s",
              organization.organization().slug(), got[0], got[1], got[2], got[3], customers, created,
              updatedActivities, customers, reported));
        }
      }
    }
  }

  /** Fails unless both organizations hold the same customers, field by field (ids, stage and creator aside). */
  private static void sameCustomers(TestDatabase db, ProvisionedOrganization a, ProvisionedOrganization b)
      throws SQLException {
    String columns = "whatsapp_phone, full_name, email, email_lower, phone, company, position, lead_score, source,"
        + " tags, notes, custom_fields, search_text, name_sort, fuzzy_text,"
        + " (select is_default from crm.sales_stages s where s.organization_id = c.organization_id"
        + " and s.id = c.sales_stage_id) as default_stage, created_by is not null as by_member";
    try (Connection c = db.adminDataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("select count(*) from ((select " + columns
            + " from crm.customers c where organization_id = ? except all select " + columns
            + " from crm.customers c where organization_id = ?) union all (select " + columns
            + " from crm.customers c where organization_id = ? except all select " + columns
            + " from crm.customers c where organization_id = ?)) d")) {
      ps.setObject(1, a.organization().id());
      ps.setObject(2, b.organization().id());
      ps.setObject(3, b.organization().id());
      ps.setObject(4, a.organization().id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != 0) {
          throw new IllegalStateException(rs.getLong(1) + " customers differ between the baseline's and CRMKit's");
        }
      }
    }
  }
}
