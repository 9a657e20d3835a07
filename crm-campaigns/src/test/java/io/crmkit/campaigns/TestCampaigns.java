package io.crmkit.campaigns;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.testdb.Jdbc;
import io.crmkit.testdb.MutableClock;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A migrated Crm with crm-whatsapp (a fake gateway) and crm-campaigns on a fresh database, as the
 * runtime role, with a clock the tests move; and tenants with a WhatsApp profile.
 */
final class TestCampaigns implements AutoCloseable {
  private static final AtomicLong NUMBERS = new AtomicLong(700_000_000_000_000L);
  /** The Meta app whose secret signs the tests' webhook deliveries. */
  static final String META_APP = "111";
  static final String APP_SECRET = "s111";
  final TestDatabase db;
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T09:00:00Z"));
  final FakeWhatsAppGateway gateway = new FakeWhatsAppGateway();
  /** What the Crms' campaign listeners were told, in order. */
  final List<CampaignEvent> events = new CopyOnWriteArrayList<>();
  /** How long runners hold their claims (the module's default). */
  static final Duration LEASE = Duration.ofMinutes(2);
  final Crm crm;

  private TestCampaigns() {
    db = TestPostgres.shared().createDatabase();
    crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).clock(clock)
        .module(CampaignsModule.builder().sleeper(clock::advance).listener(events::add).build())
        .module(whatsApp(gateway)).build();
    crm.migrate();
  }

  static TestCampaigns start() {
    return new TestCampaigns();
  }

  /** A tenant of {@code plan} in Riyadh, with an active WhatsApp profile. */
  Tenant tenant(String plan) {
    String slug = "org-" + UUID.randomUUID().toString().substring(0, 8);
    ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug)
        .plan(plan).defaultRegion("SA").timeZone(ZoneId.of("Asia/Riyadh")).admin("admin@" + slug + ".example")
        .build());
    TenantScope admin = crm.tenant(org.organization().id()).as(org.admin().id());
    UUID profile = admin.service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder().name("Marketing")
        .phoneNumber("+966500000001").phoneNumberId(Long.toString(NUMBERS.incrementAndGet())).metaAppId(META_APP)
        .session("token").build()).id();
    return new Tenant(this, org, profile);
  }

  Tenant tenant() {
    return tenant("professional");
  }

  /**
   * Ends the campaigns earlier tests left scheduled, running or paused (waiting for a day the clock
   * reaches later, say): runners serve every tenant of the database.
   */
  void stopEarlierCampaigns() {
    db.executeAsAdmin("update crm.campaigns set status = 'stopped', completed_at = now()"
        + " where status in ('scheduled', 'running', 'paused')");
  }

  /** Runs {@code crm}'s runner until a call handles nothing; how many it handled. */
  static int drain(Crm crm) {
    CampaignRunner runner = crm.service(CampaignRunner.class);
    int total = 0;
    for (int handled = runner.runOnce(50); handled > 0; handled = runner.runOnce(50)) {
      total += handled;
    }
    return total;
  }

  /** The tests' clock moved by {@code offset}, as an SQL timestamptz literal. */
  String at(Duration offset) {
    return "'" + clock.instant().plus(offset) + "'::timestamptz";
  }

  /** The rows of {@code sql}, read as the superuser, each as one text. */
  List<String> rows(String sql, Object... parameters) {
    try (Connection c = db.adminDataSource().getConnection()) {
      return Jdbc.rows(c, sql, parameters);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A second Crm on the tests' database (another process, as far as the runners can tell) with
   * {@code gateway}, on the same clock.
   */
  Crm crm(WhatsAppGateway gateway) {
    return crm(gateway, clock::advance);
  }

  /** As {@link #crm(WhatsAppGateway)}, its runners waiting through {@code sleeper}. */
  Crm crm(WhatsAppGateway gateway, Sleeper sleeper) {
    return Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).clock(clock)
        .module(CampaignsModule.builder().sleeper(sleeper).listener(events::add).build())
        .module(whatsApp(gateway)).build();
  }

  /**
   * A Crm on the tests' database with {@code gateway} that lives in real time: the system clock,
   * and runners that really sleep until their send slots.
   */
  Crm realTimeCrm(WhatsAppGateway gateway) {
    return Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
        .module(whatsApp(gateway)).build();
  }

  /** crm-whatsapp as every Crm of these tests has it (the same session key, app and secret), with {@code gateway}. */
  static WhatsAppModule whatsApp(WhatsAppGateway gateway) {
    return WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32]))).gateway(gateway)
        .verifyToken("v").app(META_APP, APP_SECRET).build();
  }

  /**
   * A signed delivery of a text {@code body} from {@code from} (a phone's digits) to {@code tenant}'s
   * number, through crm-whatsapp's webhook: it also opens the user's 24-hour window.
   */
  void writes(Tenant tenant, String from, String body) {
    writes(tenant, from, body, Instant.now());
  }

  /** As {@link #writes(Tenant, String, String)}, sent by the user at {@code at}. */
  void writes(Tenant tenant, String from, String body, Instant at) {
    deliver(tenant, "'contacts':[{'profile':{'name':'User'},'wa_id':'" + from + "'}],'messages':[{'from':'" + from
        + "','id':'wamid." + UUID.randomUUID() + "','timestamp':'" + at.getEpochSecond()
        + "','type':'text','text':{'body':'" + body + "'}}]");
  }

  /**
   * A signed delivery of one status of {@code wamid}, tagged {@code tag}, to {@code tenant}'s number
   * (a failed one with WhatsApp's 131026).
   */
  void status(Tenant tenant, String wamid, String state, String tag) {
    deliver(tenant, "'statuses':[{'id':'" + wamid + "','status':'" + state + "','timestamp':'"
        + Instant.now().getEpochSecond() + "','recipient_id':'1','biz_opaque_callback_data':'" + tag + "'"
        + ("failed".equals(state) ? ",'errors':[{'code':131026,'title':'Message undeliverable'}]" : "") + "}]");
  }

  /**
   * A signed user_preferences delivery to {@code tenant}'s number: the user {@code waId} (digits)
   * said {@code value} ({@code stop} or {@code resume}) about marketing messages at {@code at}.
   */
  void preference(Tenant tenant, String waId, String value, Instant at) {
    deliver(tenant, "user_preferences", "'contacts':[{'profile':{'name':'User'},'wa_id':'" + waId + "'}],"
        + "'user_preferences':[{'wa_id':'" + waId + "','detail':'User requested to " + value + " marketing messages',"
        + "'category':'marketing_messages','value':'" + value + "','timestamp':" + at.getEpochSecond() + "}]");
  }

  /** A signed delivery of one change with {@code content} (JSON with ' for ") to {@code tenant}'s number. */
  private void deliver(Tenant tenant, String content) {
    deliver(tenant, "messages", content);
  }

  private void deliver(Tenant tenant, String field, String content) {
    String number = rows("select phone_number_id from crm.whatsapp_profiles where id = ?", tenant.profileId()).get(0);
    byte[] delivery = ("{'object':'whatsapp_business_account','entry':[{'id':'1','changes':[{'field':'" + field + "',"
        + "'value':{'messaging_product':'whatsapp','metadata':{'display_phone_number':'1','phone_number_id':'"
        + number + "'}," + content + "}}]}]}").replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    int status = crm.service(WhatsAppWebhook.class).receive(delivery, WebhookSignature.sign(APP_SECRET, delivery))
        .status();
    if (status != 200) {
      throw new IllegalStateException("the webhook answered " + status);
    }
  }

  @Override
  public void close() {
    crm.close();
    db.close();
  }

  /** A tenant: its organization, its admin's scope and its WhatsApp profile. */
  record Tenant(TestCampaigns t, ProvisionedOrganization org, UUID profileId) {
    UUID id() {
      return org.organization().id();
    }

    TenantScope admin() {
      return t.crm.tenant(id()).as(org.admin().id());
    }

    CampaignService campaigns() {
      return admin().service(CampaignService.class);
    }

    /** A member with {@code role}, as a scope. */
    TenantScope member(Role role) {
      String email = role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
      return t.crm.tenant(id()).as(t.crm.acceptInvitation(admin().users().invite(email, role).token(),
          NewMember.named("A " + role)).id());
    }

    Customer customer(String name, String whatsappPhone) {
      CustomerDraft.Builder draft = CustomerDraft.builder();
      if (name != null) {
        draft.fullName(name);
      }
      if (whatsappPhone != null) {
        draft.whatsappPhone(whatsappPhone);
      }
      return admin().customers().create(draft.build());
    }
  }
}
