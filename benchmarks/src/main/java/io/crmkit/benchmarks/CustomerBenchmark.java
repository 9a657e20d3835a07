package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.Customer;
import io.crmkit.core.CustomerDraft;
import io.crmkit.core.CustomerQuery;
import io.crmkit.core.CustomerSort;
import io.crmkit.core.OrganizationDraft;
import io.crmkit.core.Page;
import io.crmkit.core.ProvisionedOrganization;
import io.crmkit.core.TenantScope;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Customer create, search and deep keyset paging in a tenant of {@code customers} (100,000 by
 * default), each through CRMKit and through hand-written JDBC sending the core statements of the
 * same operation in a tenant transaction, in the same run.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks exec:java -Dexec.mainClass=io.crmkit.benchmarks.CustomerBenchmark}.
 */
public final class CustomerBenchmark {
  private CustomerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try {
      run(customers, 3);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int customers, int seconds) throws Exception {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      HikariConfig config = new HikariConfig();
      config.setDataSource(db.runtimeDataSource());
      config.setMaximumPoolSize(2);
      try (HikariDataSource pool = new HikariDataSource(config);
          Crm crm = Crm.builder().dataSource(pool).migrationDataSource(db.adminDataSource()).build()) {
        crm.migrate();
        ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("Bench").slug("bench")
            .plan("enterprise").defaultRegion("SA").admin("admin@bench.example").build());
        UUID orgId = org.organization().id();
        UUID stage = crm.tenant(orgId).as(org.admin().id()).pipeline().stages().get(0).id();
        try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement()) {
          s.execute("insert into crm.customers (organization_id, full_name, email, whatsapp_phone, sales_stage_id,"
              + " estimated_value_minor) select '" + orgId + "', 'Customer ' || g, 'c' || g || '@bench.example',"
              + " '+9665' || lpad(g::text, 8, '0'), '" + stage + "', (g * 7919) % 1000000"
              + " from generate_series(1, " + customers + ") g");
          s.execute("analyze crm.customers");
        }
        System.out.printf(Locale.ROOT, "server: %s; a tenant of %,d customers; %d s per figure%n",
            TestPostgres.shared().provider(), customers, seconds);
        TenantScope scope = crm.tenant(orgId).as(org.admin().id());

        AtomicLong n = new AtomicLong(90_000_000L);
        double jdbcCreate = Measure.rate(seconds, () -> jdbcCreate(pool, orgId, stage, n.incrementAndGet()));
        double crmCreate = Measure.rate(seconds, () -> scope.customers().create(CustomerDraft.builder()
            .fullName("New " + n.incrementAndGet()).whatsappPhone("+9665" + (n.get() % 100_000_000L)).build()));
        Measure.report("create one customer", "JDBC: set_config, INSERT customer, INSERT activity", jdbcCreate,
            "customers().create (checks, limit counter, activity, read back)", crmCreate);

        double jdbcSearch = Measure.rate(seconds, () -> jdbcCall(pool, orgId,
            "select count(*) from crm.search_customers('customer 4242', null, null, null, null, 51)"));
        double crmSearch = Measure.rate(seconds, () -> scope.customers().search("customer 4242", 50, Optional.empty()));
        Measure.report("search 'customer 4242' (substring, trigram index)", "JDBC: the same search_customers call",
            jdbcSearch, "customers().search", crmSearch);

        CustomerQuery byValue = CustomerQuery.builder().sort(CustomerSort.VALUE, true).build();
        Page<Customer> page = scope.customers().list(byValue, 200, Optional.empty());
        for (int i = 0; i < 100 && page.nextCursor().isPresent(); i++) {
          page = scope.customers().list(byValue, 200, page.nextCursor());
        }
        Optional<String> deep = page.nextCursor();
        Customer last = page.items().get(page.items().size() - 1);
        double jdbcPage = Measure.rate(seconds, () -> jdbcCall(pool, orgId, "select count(*) from crm.list_customers(null, null,"
            + " null, null, null, null, null, null, null, null, 'value', true, '" + last.estimatedValueMinor() + "', '"
            + last.id() + "', 51)"));
        double crmPage = Measure.rate(seconds, () -> scope.customers().list(byValue, 50, deep));
        Measure.report("page of 50 by value, 20,000 rows deep", "JDBC: the same list_customers call", jdbcPage,
            "customers().list with the cursor", crmPage);
      }
    }
  }

  private static void jdbcCreate(HikariDataSource pool, UUID org, UUID stage, long i) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
          PreparedStatement insert = c.prepareStatement("insert into crm.customers (organization_id, full_name,"
              + " whatsapp_phone, sales_stage_id) values (?, ?, ?, ?) returning id");
          PreparedStatement log = c.prepareStatement("insert into crm.customer_activities (organization_id,"
              + " customer_id, activity_type) values (?, ?, 'customer_created')")) {
        set.setString(1, org.toString());
        set.execute();
        insert.setObject(1, org);
        insert.setString(2, "Baseline " + i);
        insert.setString(3, "+9664" + (i % 100_000_000L));
        insert.setObject(4, stage);
        UUID id;
        try (ResultSet rs = insert.executeQuery()) {
          rs.next();
          id = rs.getObject(1, UUID.class);
        }
        log.setObject(1, org);
        log.setObject(2, id);
        log.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
    }
  }

  private static void jdbcCall(HikariDataSource pool, UUID org, String sql) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
          Statement s = c.createStatement()) {
        set.setString(1, org.toString());
        set.execute();
        try (ResultSet rs = s.executeQuery(sql)) {
          rs.next();
        }
      }
      c.commit();
      c.setAutoCommit(true);
    }
  }
}
