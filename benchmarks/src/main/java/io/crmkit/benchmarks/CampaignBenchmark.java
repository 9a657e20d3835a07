package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.campaigns.SendingLimits;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * Campaign dispatch: recipients handled per second by {@code CampaignRunner.runOnce} with 1 and 4
 * runners and the zero-delay fake gateway, against a hand-written {@code SKIP LOCKED} loop doing the
 * same writes on the same tables (lease a batch; per recipient mark it sending and take a unit of the
 * day's {@code max_messages_per_day} and commit, call the gateway, record sent with its result row and
 * the campaign's counts and commit), in the same run. The profile's rate is set to 1,000 a second,
 * above what either reaches here.
 * Each round sends a fresh campaign of {@value #RECIPIENTS} recipients to the end, then checks that
 * every recipient was sent to once; a warm-up round of each comes first, not counted.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.crmkit.benchmarks.CampaignBenchmark}.
 */
public final class CampaignBenchmark {
  private static final int RECIPIENTS = 4000;
  private static final int BATCH = 50;
  private static final int ROUNDS = 5;

  private CampaignBenchmark() {}

  public static void main(String[] args) throws Exception {
    try {
      run();
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run() throws Exception {
    try (BenchCrm.Setup setup = BenchCrm.open(12)) {
      TestDatabase db = setup.db();
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("Bench")
          .slug("bench").plan("enterprise").defaultRegion("SA").admin("admin@bench.example").build());
      TenantScope admin = crm.tenant(org.organization().id()).as(org.admin().id());
      UUID profile = admin.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Bench")
          .phoneNumber("+966500000001").phoneNumberId("900000000000001").metaAppId(BenchCrm.APP).session("token")
          .build()).id();
      // An upgraded number's throughput: the runners' shared pace is not what is measured.
      admin.service(CampaignService.class).setSendingLimits(profile, new SendingLimits(1000, OptionalInt.empty()));
      System.out.printf(Locale.ROOT, "server: %s, PostgreSQL %d; %d recipients a round, batches of %d,"
          + " %d alternating rounds, medians%n", TestPostgres.shared().provider(),
          TestPostgres.shared().serverVersionNumber(), RECIPIENTS, BATCH, ROUNDS);
      int phones = 0;
      // A warm-up of each, not counted: the JIT, the pool's connections, the plans.
      Campaign warmLoop = campaign(admin, profile, phones);
      phones += RECIPIENTS;
      Campaign warmRunner = campaign(admin, profile, phones);
      phones += RECIPIENTS;
      rate(4, () -> handWritten(pool, org.organization().id(), warmLoop.id()));
      rate(4, () -> crm.service(CampaignRunner.class).runOnce(BATCH));
      check(db.adminDataSource(), warmLoop.id(), warmRunner.id());
      for (int runners : new int[] {1, 4}) {
        double[] base = new double[ROUNDS];
        double[] measured = new double[ROUNDS];
        double[] ratios = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
          Campaign forLoop = campaign(admin, profile, phones);
          phones += RECIPIENTS;
          Campaign forRunner = campaign(admin, profile, phones);
          phones += RECIPIENTS;
          base[round] = rate(runners, () -> handWritten(pool, org.organization().id(), forLoop.id()));
          measured[round] = rate(runners, () -> crm.service(CampaignRunner.class).runOnce(BATCH));
          ratios[round] = measured[round] / base[round];
          check(db.adminDataSource(), forLoop.id(), forRunner.id());
        }
        java.util.Arrays.sort(base);
        java.util.Arrays.sort(measured);
        java.util.Arrays.sort(ratios);
        Measure.report(runners + " runner(s), recipients handled per second", "hand-written SKIP LOCKED loop,"
            + " same writes", base[ROUNDS / 2], "CampaignRunner.runOnce(" + BATCH + ")", measured[ROUNDS / 2]);
        System.out.printf(Locale.ROOT, "  per-round ratios %.2f to %.2f%n", ratios[0], ratios[ROUNDS - 1]);
      }
    }
  }

  /** A running campaign of {@value #RECIPIENTS} new numbers, from the {@code first}-th on. */
  private static Campaign campaign(TenantScope admin, UUID profile, int first) {
    CampaignService campaigns = admin.service(CampaignService.class);
    Campaign campaign = campaigns.create(CampaignDraft.builder("Bench " + first, profile, CampaignContent.template(
        "bench_offer", "en_US", List.of(TemplateComponent.body(List.of(TemplateParameter.of("{{first_name|there}}"))))))
        .delay(Duration.ZERO, Duration.ZERO).build());
    List<String> numbers = IntStream.range(first, first + RECIPIENTS).mapToObj(i -> String.format("+96650%07d", i))
        .toList();
    campaigns.addRecipients(campaign.id(), RecipientSelection.phones(numbers));
    return campaigns.start(campaign.id());
  }

  /** One call of a runner: how many recipients it handled (0: the campaign is done). */
  private interface Pass {
    int run() throws Exception;
  }

  /** Recipients per second of {@code runners} threads calling {@code pass} until a call handles none. */
  private static double rate(int runners, Pass pass) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(runners);
    AtomicInteger handled = new AtomicInteger();
    long start = System.nanoTime();
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < runners; i++) {
        work.add(threads.submit(() -> {
          for (int n = pass.run(); n > 0; n = pass.run()) {
            handled.addAndGet(n);
          }
          return null;
        }));
      }
      for (Future<?> w : work) {
        w.get();
      }
    } finally {
      threads.shutdownNow();
    }
    return handled.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** The baseline: one batch of the campaign, with the writes CampaignRunner makes, by hand. */
  private static int handWritten(DataSource pool, UUID org, UUID campaign) throws SQLException {
    UUID lease = UUID.randomUUID();
    List<UUID> claimed = new ArrayList<>();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      tenant(c, org);
      try (PreparedStatement ps = c.prepareStatement("update crm.campaign_recipients r set lease_token = ?,"
          + " lease_until = now() + interval '2 minutes' where (r.organization_id, r.id) in (select organization_id, id"
          + " from crm.campaign_recipients where organization_id = ? and campaign_id = ? and status = 'pending'"
          + " and lease_token is null order by position limit ? for update skip locked) returning r.id")) {
        ps.setObject(1, lease);
        ps.setObject(2, org);
        ps.setObject(3, campaign);
        ps.setInt(4, BATCH);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            claimed.add(rs.getObject(1, UUID.class));
          }
        }
      }
      c.commit();
      for (UUID recipient : claimed) {
        UUID attempt = UUID.randomUUID();
        execute(c, org, "update crm.campaign_recipients set status = 'sending', attempt_id = ?, attempts = attempts + 1"
            + " where organization_id = ? and id = ? and lease_token = ?;"
            + " select crm.take_within_limit(?, 'messages_sent', current_date, 1, 'max_messages_per_day')",
            attempt, org, recipient, lease, org);
        String wamid = "wamid.loop." + attempt;  // the zero-delay gateway's answer
        execute(c, org, "update crm.campaign_recipients set status = 'sent', wa_message_id = ?, sent_at = now(),"
            + " lease_token = null, lease_until = null where organization_id = ? and id = ?;"
            + " insert into crm.campaign_results (organization_id, campaign_id, recipient_id, attempt_id, status,"
            + " wa_message_id) values (?, ?, ?, ?, 'sent', ?);"
            + " update crm.campaigns set sent_count = sent_count + 1, current_index = current_index + 1"
            + " where organization_id = ? and id = ?", wamid, org, recipient, org, campaign, recipient, attempt, wamid,
            org, campaign);
      }
    }
    return claimed.size();
  }

  /** Runs {@code sql} in one tenant transaction of {@code c} and commits. */
  private static void execute(Connection c, UUID org, String sql, Object... parameters) throws SQLException {
    tenant(c, org);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        ps.setObject(i + 1, parameters[i]);
      }
      ps.execute();
    }
    c.commit();
  }

  private static void tenant(Connection c, UUID org) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
      ps.setString(1, org.toString());
      ps.execute();
    }
  }

  /** Every recipient of both campaigns sent to exactly once. */
  private static void check(DataSource admin, UUID... campaigns) throws SQLException {
    try (Connection c = admin.getConnection()) {
      for (UUID campaign : campaigns) {
        try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where status = 'sent'),"
            + " (select count(*) from crm.campaign_results where campaign_id = ?),"
            + " (select count(*) - count(distinct recipient_id) from crm.campaign_results where campaign_id = ?)"
            + " from crm.campaign_recipients where campaign_id = ?")) {
          ps.setObject(1, campaign);
          ps.setObject(2, campaign);
          ps.setObject(3, campaign);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) != RECIPIENTS || rs.getLong(2) != RECIPIENTS || rs.getLong(3) != 0) {
              throw new IllegalStateException("campaign " + campaign + ": " + rs.getLong(1) + " sent, "
                  + rs.getLong(2) + " results, " + rs.getLong(3) + " recipients sent more than once");
            }
          }
        }
      }
    }
  }
}
