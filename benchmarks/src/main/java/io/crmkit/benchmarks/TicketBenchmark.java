package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.TicketDraft;
import io.crmkit.ticketing.TicketService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * Ticket creation throughput with gapless per-organization numbering, 8 clients, against a
 * baseline that numbers from a plain sequence (fast, but neither per organization nor gapless),
 * measured in the same run on the same server, in two shapes:
 *
 * <ol>
 *   <li>one hot tenant: all 8 clients open tickets in one organization (they serialize on its
 *       counter row from the numbering statement to the commit);</li>
 *   <li>8 tenants: each client opens tickets in its own organization (no shared row).</li>
 * </ol>
 *
 * Each shape is measured at three levels: the SQL alone (a tenant transaction inserting the ticket,
 * numbered by the counter-row statement TicketService runs, against the same insert numbered by
 * {@code nextval}), first with the COMMIT sent after the statement's answer (as the issue's
 * pgbench measurement did), then with the COMMIT sent with the statement in one round trip (as
 * TicketService sends it, through {@code TenantTransaction.queryAndCommit}); and
 * {@code TicketService.open} end to end (role and plan checks, settings, the monthly limit's
 * counter, the numbered insert and its COMMIT) against the baseline insert sent with its COMMIT.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.crmkit.benchmarks.TicketBenchmark [-Dexec.args=seconds]}.
 */
public final class TicketBenchmark {
  private static final int CLIENTS = 8;

  private TicketBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    try {
      run(seconds);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int seconds) throws Exception {
    try (BenchCrm.Setup setup = BenchCrm.open(CLIENTS + 2)) {
      TestDatabase db = setup.db();
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      List<ProvisionedOrganization> orgs = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String slug = "bench-" + i;
        orgs.add(crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("enterprise")
            .defaultRegion("SA").admin("admin@" + slug + ".example").build()));
      }
      db.executeAsAdmin("create schema bench; create sequence bench.ticket_seq;"
          + " grant usage on schema bench to crm_app; grant usage on sequence bench.ticket_seq to crm_app");
      System.out.printf(Locale.ROOT, "server: %s, PostgreSQL %d; %d clients; 3 alternating rounds of %d s, medians%n",
          TestPostgres.shared().provider(), TestPostgres.shared().serverVersionNumber(), CLIENTS, seconds);

      for (boolean hot : new boolean[] {true, false}) {
        String shape = hot ? "one hot tenant (8 clients, 1 organization)" : "8 tenants (1 client each)";
        IntFunction<UUID> orgOf = client -> orgs.get(hot ? 0 : client).organization().id();
        compare(shape + ", SQL only, COMMIT sent after the statement's answer", seconds,
            "INSERT numbered by nextval, in a tenant transaction",
            client -> () -> sequenceInsert(pool, orgOf.apply(client), false),
            "INSERT numbered by the counter row (UPDATE ... RETURNING), in a tenant transaction",
            client -> () -> counterInsert(pool, orgOf.apply(client), false));
        compare(shape + ", SQL only, COMMIT sent with the statement", seconds,
            "INSERT numbered by nextval; COMMIT", client -> () -> sequenceInsert(pool, orgOf.apply(client), true),
            "INSERT numbered by the counter row; COMMIT",
            client -> () -> counterInsert(pool, orgOf.apply(client), true));
        IntFunction<TicketService> serviceOf = client -> {
          ProvisionedOrganization org = orgs.get(hot ? 0 : client);
          return crm.tenant(org.organization().id()).as(org.admin().id()).service(TicketService.class);
        };
        compare(shape + ", TicketService.open", seconds,
            "INSERT numbered by nextval; COMMIT", client -> () -> sequenceInsert(pool, orgOf.apply(client), true),
            "TicketService.open (checks, settings, monthly limit, numbered insert; COMMIT)", client -> {
              TicketService tickets = serviceOf.apply(client);
              return () -> tickets.open(TicketDraft.builder("Benchmark ticket").build());
            });
      }
      System.out.printf(Locale.ROOT, "check: %s%n", gaps(db.adminDataSource()));
    }
  }

  /**
   * The baseline. With {@code commitInline}, the COMMIT goes to the server with the statement, in
   * one round trip, as {@code TenantTransaction.queryAndCommit} sends it.
   */
  private static void sequenceInsert(DataSource pool, UUID org, boolean commitInline) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      tenant(c, org);
      try (PreparedStatement ps = c.prepareStatement("insert into crm.tickets (organization_id, number_period, number,"
          + " ticket_number, title) select ?, '-', n, 'S-' || n, 'Benchmark ticket'"
          + " from (select nextval('bench.ticket_seq') n) s" + (commitInline ? "\n;COMMIT" : ""))) {
        ps.setObject(1, org);
        ps.execute();
      }
      if (!commitInline) {
        c.commit();
      }
    }
  }

  /**
   * The statement TicketService.open numbers and inserts with (its format written in Java, padded
   * in SQL), without the monthly limit's unit; {@code commitInline} as in {@link #sequenceInsert}.
   */
  private static void counterInsert(DataSource pool, UUID org, boolean commitInline) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      tenant(c, org);
      try (PreparedStatement ps = c.prepareStatement("with n as (update crm.ticket_counters set last_number = last_number + 1"
          + " where organization_id = ? and period = '2000' returning last_number)"
          + " insert into crm.tickets (organization_id, number_period, number, ticket_number, title)"
          + " select ?, '2000', n.last_number, 'TICKET-2000-' || case when n.last_number >= 1000 then n.last_number::text"
          + " else lpad(n.last_number::text, 4, '0') end, 'Benchmark ticket' from n" + (commitInline ? "\n;COMMIT" : ""))) {
        ps.setObject(1, org);
        ps.setObject(2, org);
        ps.execute();
        if (ps.getUpdateCount() == 0) {
          // The counter row is created once, at 0; only then does the statement number anything.
          c.rollback();
          tenant(c, org);
          try (PreparedStatement init = c.prepareStatement("insert into crm.ticket_counters (organization_id, period,"
              + " last_number) values (?, '2000', 0) on conflict do nothing")) {
            init.setObject(1, org);
            init.executeUpdate();
          }
          c.commit();
          counterInsert(pool, org, commitInline);
          return;
        }
      }
      if (!commitInline) {
        c.commit();
      }
    }
  }

  private static void tenant(Connection c, UUID org) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
      ps.setString(1, org.toString());
      ps.execute();
    }
  }

  /** Per organization and period: numbers from 1 without a gap? */
  private static String gaps(DataSource admin) throws SQLException {
    try (Connection c = admin.getConnection(); var rs = c.createStatement().executeQuery("select count(*) filter"
        + " (where n <> c), count(*) from (select number_period, number n, count(*) over (partition by organization_id,"
        + " number_period order by number) c from crm.tickets"
        + " where number_period <> '-') x")) {
      rs.next();
      return rs.getLong(2) + " numbered tickets, " + rs.getLong(1) + " out of sequence (0: consecutive from 1, no gaps)";
    }
  }

  /** {@link Measure#compare} with {@link #CLIENTS} concurrent clients per side, 3 rounds. */
  private static void compare(String what, int seconds, String baselineName, IntFunction<Measure.Op> baseline,
      String subjectName, IntFunction<Measure.Op> subject) throws Exception {
    Measure.compareRates(what, 3, seconds, baselineName, () -> rate(seconds, baseline), subjectName,
        () -> rate(seconds, subject));
  }

  /** Operations per second of {@link #CLIENTS} clients together, after a warm-up of a third of the time. */
  private static double rate(int seconds, IntFunction<Measure.Op> opFor) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    try {
      AtomicBoolean measuring = new AtomicBoolean(false);
      AtomicBoolean stop = new AtomicBoolean(false);
      List<Future<long[]>> counts = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        Measure.Op op = opFor.apply(client);
        counts.add(threads.submit(() -> {
          long done = 0;
          long start = 0;
          while (!stop.get()) {
            op.run();
            if (measuring.get()) {
              if (start == 0) {
                start = System.nanoTime();
              }
              done++;
            }
          }
          return new long[] {done, start == 0 ? System.nanoTime() : start, System.nanoTime()};
        }));
      }
      Thread.sleep(seconds * 1000L / 3);
      measuring.set(true);
      Thread.sleep(seconds * 1000L);
      stop.set(true);
      double total = 0;
      for (Future<long[]> count : counts) {
        long[] c = count.get();
        total += c[0] / Math.max(1e-9, (c[2] - c[1]) / 1e9);
      }
      return total;
    } finally {
      threads.shutdownNow();
    }
  }
}
