package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
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
import java.util.UUID;

/**
 * What the tenancy costs, each figure as a ratio to a baseline measured in the same run on the
 * same server (embedded PostgreSQL 17 unless CRM_TEST_JDBC_URL names another):
 *
 * <ol>
 *   <li>single-row inserts from one client: autocommit as the owner (no RLS, no context) against a
 *       tenant transaction each (BEGIN + set_config + INSERT + COMMIT, as CRMKit runs them);</li>
 *   <li>a page of 50 users as the runtime role: under RLS against a copy of the table without RLS,
 *       both with the same explicit {@code organization_id = ?}; and against the owner, to show
 *       what the role itself costs;</li>
 *   <li>a service call, {@code scope.users().get(id)} (member check + read), against the bare read.</li>
 * </ol>
 *
 * Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java}.
 */
public final class TenancyBenchmark {
  private static final int ORGANIZATIONS = 200;
  private static final int USERS_PER_ORGANIZATION = 1000;

  private TenancyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try {
      run(seconds);
    } finally {
      // Under `mvn exec:java` the JVM's shutdown hooks do not stop the server reliably.
      TestPostgres.stop();
    }
  }

  private static void run(int seconds) throws Exception {
    try (BenchCrm.Setup setup = BenchCrm.open(2)) {
      TestDatabase db = setup.db();
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      ProvisionedOrganization acme = crm.platform().provision(OrganizationDraft.builder()
          .name("Acme").slug("acme").plan("enterprise").defaultRegion("SA").admin("sara@acme.example").build());
      UUID org = acme.organization().id();
      seed(db);
      System.out.printf(Locale.ROOT, "server: %s, PostgreSQL %d; %d organizations x %d users; %d s per figure%n",
          TestPostgres.shared().provider(), TestPostgres.shared().serverVersionNumber(), ORGANIZATIONS + 1,
          USERS_PER_ORGANIZATION, seconds);

      double plainInsert = insertsAsOwner(db, org, seconds);
      double tenantInsert = insertsInTenantTransactions(pool, org, seconds);
      Measure.report("single-row insert, 1 client", "autocommit as owner", plainInsert,
          "BEGIN + set_config + INSERT + COMMIT as runtime role", tenantInsert);

      UUID busy = busiestOrganization(db);
      double plainPage = pages(pool, busy, "bench.users_without_rls", seconds);
      double rlsPage = pages(pool, busy, "crm.users", seconds);
      Measure.report("page of 50 users of a 1,000-user tenant", "runtime role, copy of users without RLS", plainPage,
          "runtime role, crm.users under RLS", rlsPage);
      double ownerPage = pages(db.adminDataSource(), busy, "crm.users", seconds, true);
      Measure.report("the same page, by role", "owner (superuser login, SET LOCAL ROLE), RLS not applied", ownerPage,
          "runtime role, crm.users under RLS", rlsPage);

      TenantScope scope = crm.tenant(org).as(acme.admin().id());
      double bareRead = bareReads(pool, org, acme.admin().id(), seconds);
      double serviceRead = serviceReads(scope, acme.admin().id(), seconds);
      Measure.report("read one user", "bare select in a tenant transaction", bareRead,
          "scope.users().get(id) (member check + select)", serviceRead);
    }
  }

  private static void seed(TestDatabase db) throws SQLException {
    try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("insert into crm.organizations (name, slug, package_id, default_region)"
          + " select 'Bulk ' || g, 'bulk-' || g, (select id from crm.packages where slug = 'free'), 'SA'"
          + " from generate_series(1, " + ORGANIZATIONS + ") g");
      s.execute("insert into crm.users (organization_id, email)"
          + " select o.id, 'user' || g || '@' || o.slug || '.example' from crm.organizations o"
          + " cross join generate_series(1, " + USERS_PER_ORGANIZATION + ") g where o.slug like 'bulk-%'");
      // The same rows and keys in a table without RLS, readable by the runtime role: the baseline
      // that isolates what the policy costs from what the role costs.
      s.execute("create schema bench");
      s.execute("create table bench.users_without_rls (like crm.users including defaults including indexes)");
      s.execute("insert into bench.users_without_rls select * from crm.users");
      s.execute("grant usage on schema bench to crm_app");
      s.execute("grant select on bench.users_without_rls to crm_app");
      s.execute("analyze");
    }
  }

  private static UUID busiestOrganization(TestDatabase db) throws SQLException {
    try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from crm.organizations where slug = 'bulk-100'")) {
      rs.next();
      return rs.getObject(1, UUID.class);
    }
  }

  private static final String INSERT = "insert into crm.integration_mappings (organization_id, source_module,"
      + " source_record_id, target_module, target_record_id, mapping_type)"
      + " values (?, 'crm', gen_random_uuid(), 'ticketing', gen_random_uuid(), 'customer_ticket')";

  private static double insertsAsOwner(TestDatabase db, UUID org, int seconds) throws Exception {
    try (Connection c = db.adminDataSource().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("set role crm_owner");
      }
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        return Measure.rate(seconds, () -> {
          ps.setObject(1, org);
          ps.executeUpdate();
        });
      }
    }
  }

  private static double insertsInTenantTransactions(HikariDataSource pool, UUID org, int seconds) throws Exception {
    return Measure.rate(seconds, () -> {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
            PreparedStatement ps = c.prepareStatement(INSERT)) {
          set.setString(1, org.toString());
          set.execute();
          ps.setObject(1, org);
          ps.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
      }
    });
  }

  private static final String PAGE = "select id, email, full_name, role from %s"
      + " where organization_id = ? and id > ? order by organization_id, id limit 50";

  private static double pages(javax.sql.DataSource ds, UUID org, String table, int seconds) throws Exception {
    return pages(ds, org, table, seconds, false);
  }

  private static double pages(javax.sql.DataSource ds, UUID org, String table, int seconds, boolean asOwner)
      throws Exception {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        if (asOwner) {
          s.execute("set local role crm_owner");
        }
      }
      try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
        set.setString(1, org.toString());
        set.execute();
      }
      UUID[] after = {new UUID(0, 0)};
      try (PreparedStatement ps = c.prepareStatement(String.format(Locale.ROOT, PAGE, table))) {
        double rate = Measure.rate(seconds, () -> {
          ps.setObject(1, org);
          ps.setObject(2, after[0]);
          int rows = 0;
          UUID last = null;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows++;
              last = rs.getObject(1, UUID.class);
            }
          }
          after[0] = rows == 50 ? last : new UUID(0, 0);
        });
        c.rollback();
        return rate;
      }
    }
  }

  private static double bareReads(HikariDataSource pool, UUID org, UUID user, int seconds) throws Exception {
    return Measure.rate(seconds, () -> {
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
            PreparedStatement ps = c.prepareStatement(
                "select * from crm.users where organization_id = ? and id = ?")) {
          set.setString(1, org.toString());
          set.execute();
          ps.setObject(1, org);
          ps.setObject(2, user);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
          }
        }
        c.commit();
        c.setAutoCommit(true);
      }
    });
  }

  private static double serviceReads(TenantScope scope, UUID user, int seconds) throws Exception {
    return Measure.rate(seconds, () -> {
      if (scope.users().get(user).isEmpty()) {
        throw new IllegalStateException("user vanished");
      }
    });
  }
}
