package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerSort;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
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
 * default; pass 1000000 for a million), each through CRMKit and through hand-written JDBC sending
 * the core statements of the same operation in a tenant transaction, in the same run. A second
 * tenant holds a tenth as many customers, so the big one is not alone in its indexes.
 *
 * <p>Names are drawn from 30 first names and 20 family names, Latin and Arabic, with companies:
 * common names repeat thousands of times, as in a real customer base.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks exec:java -Dexec.mainClass=io.crmkit.benchmarks.CustomerBenchmark
 * -Dexec.args=1000000}.
 */
public final class CustomerBenchmark {
  private CustomerBenchmark() {}

  private static final int ROUNDS = 3;

  private static final String FIRST = "array['mohammed','ahmed','fatima','sara','omar','ali','khalid','noura','john',"
      + "'maria','david','peter','laila','youssef','hassan','mariam','abdullah','reem','faisal','hind','أحمد','محمد',"
      + "'فاطمة','علي','خالد','نورة','سارة','عمر','يوسف','مريم']";
  private static final String LAST = "array['Alharbi','Alqahtani','Smith','Johnson','Alotaibi','Alghamdi','Alzahrani',"
      + "'Brown','Garcia','Alshehri','Aldosari','Miller','الحربي','القحطاني','العتيبي','الغامدي','الزهراني','الشهري',"
      + "'الدوسري','المطيري']";

  public static void main(String[] args) throws Exception {
    int customers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try {
      run(customers, 2);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int customers, int seconds) throws Exception {
    try (BenchCrm.Setup setup = BenchCrm.open(2)) {
      TestDatabase db = setup.db();
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      ProvisionedOrganization org = provision(crm, "bench");
      ProvisionedOrganization neighbour = provision(crm, "neighbour");
      UUID orgId = org.organization().id();
      UUID stage = crm.tenant(orgId).as(org.admin().id()).pipeline().stages().get(0).id();
      long loadStart = System.nanoTime();
      fill(db, org, customers, 0);
      fill(db, neighbour, customers / 10, customers);
      try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("vacuum analyze crm.customers");
      }
      System.out.printf(Locale.ROOT, "server: %s; a tenant of %,d customers (and one of %,d), loaded in %.0f s;"
          + " %d s per figure%n", TestPostgres.shared().provider(), customers, customers / 10,
          (System.nanoTime() - loadStart) / 1e9, seconds);
      TenantScope scope = crm.tenant(orgId).as(org.admin().id());

      AtomicLong n = new AtomicLong(90_000_000L);
      Measure.compare("create one customer", ROUNDS, seconds,
          "JDBC: set_config, INSERT customer, INSERT activity", () -> jdbcCreate(pool, orgId, stage, n.incrementAndGet()),
          "customers().create (checks, limit counter, activity)", () -> scope.customers().create(CustomerDraft.builder()
              .fullName("New " + n.incrementAndGet()).whatsappPhone("+9665" + (n.get() % 100_000_000L)).build()));

      search(pool, scope, orgId, seconds, "alharbi", "a common family name (contained by 1 in 20)");
      search(pool, scope, orgId, seconds, "c4242@bench", "one customer's email");
      search(pool, scope, orgId, seconds, "mohamed", "a misspelt common name (no substring; close spellings)");
      search(pool, scope, orgId, seconds, "zebediah", "a name nobody has");
      double rlsRare = Measure.rate(seconds, () -> jdbcCall(pool, orgId, "select count(*) from (select id from"
          + " crm.customers where search_text like '%c4242@bench%' order by created_at desc, id desc limit 51) s"));
      System.out.printf(Locale.ROOT, "  for comparison: the email search as a plain query under RLS (what the"
          + " runtime role could do alone): %.1f ops/s%n", rlsRare);

      CustomerQuery byValue = CustomerQuery.builder().sort(CustomerSort.VALUE, true).build();
      Page<Customer> page = scope.customers().list(byValue, 200, Optional.empty());
      for (int i = 0; i < 100 && page.nextCursor().isPresent(); i++) {
        page = scope.customers().list(byValue, 200, page.nextCursor());
      }
      Optional<String> deep = page.nextCursor();
      Customer last = page.items().get(page.items().size() - 1);
      Measure.compare("page of 50 by value, 20,000 rows deep", ROUNDS, seconds, "JDBC: the same list_customers call",
          () -> jdbcCall(pool, orgId, listByValueAfter(last.estimatedValueMinor(), last.id())),
          "customers().list with the cursor", () -> scope.customers().list(byValue, 50, deep));
      String[] middle = middleByValue(db, orgId, customers / 2);
      Measure.compare("page of 50 by value, " + String.format(Locale.ROOT, "%,d", customers / 2) + " rows deep",
          ROUNDS, seconds, "JDBC: list_customers 20,000 rows deep",
          () -> jdbcCall(pool, orgId, listByValueAfter(last.estimatedValueMinor(), last.id())),
          "JDBC: the same call from the middle",
          () -> jdbcCall(pool, orgId, listByValueAfter(Long.parseLong(middle[0]), UUID.fromString(middle[1]))));
    }
  }

  private static ProvisionedOrganization provision(Crm crm, String slug) {
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("enterprise")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  /** Inserts {@code count} customers numbered from {@code from}, as the owner, triggers and indexes included. */
  private static void fill(TestDatabase db, ProvisionedOrganization org, int count, int from) throws SQLException {
    UUID id = org.organization().id();
    try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("insert into crm.customers (organization_id, full_name, company, email, whatsapp_phone, sales_stage_id,"
          + " estimated_value_minor, created_at)"
          + " select '" + id + "', (" + FIRST + ")[1 + abs(hashint4(g)) % 30] || ' ' || (" + LAST + ")[1 + abs(hashint4(g + 7)) % 20],"
          + " (array['Acme Trading','Globex','Initech','المراعي','Jarir',null])[1 + abs(hashint4(g + 3)) % 6],"
          + " 'c' || g || '@bench.example', '+9665' || lpad(g::text, 8, '0'),"
          + " (select id from crm.sales_stages where organization_id = '" + id + "' and is_default),"
          + " (g::bigint * 7919) % 100000000, now() - g * interval '1 second'"
          + " from generate_series(" + (from + 1) + ", " + (from + count) + ") g");
    }
  }

  private static String listByValueAfter(long value, UUID id) {
    return "select count(*) from crm.list_customers(null, null, null, null, null, null, null, null, null, null,"
        + " 'value', true, '" + value + "', '" + id + "', 51)";
  }

  /** The value and id of the customer {@code offset} rows into the tenant's value order (read as the owner). */
  private static String[] middleByValue(TestDatabase db, UUID org, int offset) throws SQLException {
    try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select estimated_value_minor, id from crm.customers where organization_id = '"
            + org + "' order by estimated_value_minor desc, id desc offset " + offset + " limit 1")) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  private static void search(HikariDataSource pool, TenantScope scope, UUID org, int seconds, String query,
      String what) throws Exception {
    Measure.compare("search '" + query + "': " + what, ROUNDS, seconds, "JDBC: the same search_customers call",
        () -> jdbcCall(pool, org, "select count(*) from crm.search_customers('" + query + "', null, null, null, null, 51)"),
        "customers().search", () -> scope.customers().search(query, 50, Optional.empty()));
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
