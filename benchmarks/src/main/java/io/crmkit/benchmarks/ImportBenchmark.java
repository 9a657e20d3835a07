package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * Imports {@code rows} customers (100,000 by default) from CSV through CRMKit, and as a baseline
 * writes the same rows with hand-written JDBC: the same jsonb_to_recordset INSERT per batch of 500
 * in a tenant transaction, without parsing, validation, matching, counters or activities. Each
 * into its own fresh organization on the same database, in the same run.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.crmkit.benchmarks.ImportBenchmark}.
 */
public final class ImportBenchmark {
  private ImportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try {
      run(rows);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int rows) throws Exception {
    StringBuilder csv = new StringBuilder("full_name,whatsapp_phone,email,company,tags\n");
    for (int i = 0; i < rows; i++) {
      csv.append(String.format(Locale.ROOT, "Customer %d,05%08d,c%d@example.sa,Company %d,imported;batch%n",
          i, 10_000_000 + i, i, i % 500));
    }
    byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      HikariConfig config = new HikariConfig();
      config.setDataSource(db.runtimeDataSource());
      config.setMaximumPoolSize(2);
      try (HikariDataSource pool = new HikariDataSource(config);
          Crm crm = BenchCrm.start(pool, db.adminDataSource())) {
        crm.migrate();
        ProvisionedOrganization viaCrm = provision(crm, "via-crm");
        ProvisionedOrganization viaJdbc = provision(crm, "via-jdbc");

        long start = System.nanoTime();
        baseline(pool, viaJdbc.organization().id(), rows);
        double baselineSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        ImportReport report = crm.tenant(viaCrm.organization().id()).as(viaCrm.admin().id()).customers()
            .importCsv(new ByteArrayInputStream(file), ImportOptions.DEFAULTS);
        double crmSeconds = (System.nanoTime() - start) / 1e9;
        if (report.inserted() != rows || !report.errors().isEmpty()) {
          throw new IllegalStateException("import did not insert every row: " + report.inserted() + ", "
              + report.errors().size() + " errors");
        }
        System.out.printf(Locale.ROOT, "server: %s; %d rows, batches of 500%n", TestPostgres.shared().provider(), rows);
        System.out.printf(Locale.ROOT, "  baseline  hand-written JDBC insert of pre-normalized rows   %6.1f s  %8.0f rows/s%n",
            baselineSeconds, rows / baselineSeconds);
        System.out.printf(Locale.ROOT, "  measured  CRMKit importCsv (parse, validate, match, count, log) %6.1f s  %8.0f rows/s"
            + "  (%.2f x baseline throughput)%n", crmSeconds, rows / crmSeconds, baselineSeconds / crmSeconds);
      }
    }
  }

  private static ProvisionedOrganization provision(Crm crm, String slug) {
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("enterprise")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  private static void baseline(HikariDataSource pool, UUID org, int rows) throws SQLException {
    String insert = "insert into crm.customers (organization_id, whatsapp_phone, full_name, email, company,"
        + " sales_stage_id, source, tags) select ?, r.whatsapp_phone, r.full_name, r.email, r.company,"
        + " (select id from crm.sales_stages where organization_id = ? and is_default), 'import', r.tags"
        + " from jsonb_to_recordset(?::jsonb) as r(whatsapp_phone text, full_name text, email text, company text,"
        + " tags text[]) on conflict do nothing";
    for (int from = 0; from < rows; from += 500) {
      StringBuilder json = new StringBuilder("[");
      for (int i = from; i < Math.min(rows, from + 500); i++) {
        if (i > from) {
          json.append(',');
        }
        json.append(String.format(Locale.ROOT, "{\"whatsapp_phone\":\"+9665%08d\",\"full_name\":\"Customer %d\","
            + "\"email\":\"c%d@example.sa\",\"company\":\"Company %d\",\"tags\":[\"imported\",\"batch\"]}",
            10_000_000 + i, i, i, i % 500));
      }
      json.append(']');
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
            PreparedStatement ps = c.prepareStatement(insert)) {
          set.setString(1, org.toString());
          set.execute();
          ps.setObject(1, org);
          ps.setObject(2, org);
          ps.setString(3, json.toString());
          ps.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
      }
    }
  }
}
