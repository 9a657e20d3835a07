package io.crmkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.WebhookSignature;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppWebhook;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WhatsApp webhook ingest end to end (signature check, parse, route, store) for one tenant whose
 * {@code users} WhatsApp users (1,000 by default) write one text message per delivery, against a
 * hand-written JDBC baseline that sends the same inserts in a tenant transaction for the same kind
 * of message (find the contact and conversation, insert the message, update the conversation,
 * log the activity), in the same run. Each user has written once before, so both sides measure the
 * steady state: the contact, conversation and customer exist.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks exec:java -Dexec.mainClass=io.crmkit.benchmarks.WebhookBenchmark}.
 */
public final class WebhookBenchmark {
  private WebhookBenchmark() {}

  private static final String APP = BenchCrm.APP;
  private static final String SECRET = BenchCrm.SECRET;

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    try {
      run(users, 2, 3);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int users, int seconds, int rounds) throws Exception {
    try (BenchCrm.Setup setup = BenchCrm.open(2)) {
      HikariDataSource pool = setup.pool();
      Crm crm = setup.crm();
      ProvisionedOrganization org = crm.platform().provision(OrganizationDraft.builder().name("Bench").slug("bench")
          .plan("enterprise").defaultRegion("SA").admin("admin@bench.example").build());
      UUID orgId = org.organization().id();
      crm.tenant(orgId).as(org.admin().id()).service(WhatsAppProfiles.class).create(WhatsAppProfileDraft.builder()
          .name("Bench").phoneNumber("+966500000000").phoneNumberId("100200300400").metaAppId(APP)
          .session("bench-token").build());
      WhatsAppWebhook webhook = crm.service(WhatsAppWebhook.class);
      for (int u = 0; u < users; u++) {
        deliver(webhook, u, "wamid.warm." + u);
      }
      System.out.printf(Locale.ROOT, "server: %s; one tenant, %,d WhatsApp users who wrote before; %d rounds of %d s%n",
          TestPostgres.shared().provider(), users, rounds, seconds);

      AtomicLong n = new AtomicLong();
      Measure.compare("one inbound text message per delivery", rounds, seconds,
          "JDBC: set_config, find contact and conversation (locked), INSERT message, UPDATE conversation,"
              + " INSERT activity",
          () -> baseline(pool, orgId, (int) (n.incrementAndGet() % users), "wamid.base." + n.get()),
          "WhatsAppWebhook.receive: HMAC check, JSON parse, route, the same writes with their checks",
          () -> deliver(webhook, (int) (n.incrementAndGet() % users), "wamid.crm." + n.get()));
    }
  }

  private static String phone(int user) {
    return "9665" + String.format(Locale.ROOT, "%08d", user);
  }

  private static void deliver(WhatsAppWebhook webhook, int user, String id) {
    String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
        + "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
        + "\"966500000000\",\"phone_number_id\":\"100200300400\"},\"contacts\":[{\"profile\":{\"name\":\"User " + user
        + "\"},\"wa_id\":\"" + phone(user) + "\"}],\"messages\":[{\"from\":\"" + phone(user) + "\",\"id\":\"" + id
        + "\",\"timestamp\":\"" + (System.currentTimeMillis() / 1000) + "\",\"type\":\"text\",\"text\":{\"body\":"
        + "\"Where is my order?\"}}]}}]}]}";
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    WhatsAppWebhook.Response response = webhook.receive(raw, WebhookSignature.sign(SECRET, raw));
    if (response.status() != 200) {
      throw new IllegalStateException("webhook answered " + response);
    }
  }

  private static void baseline(HikariDataSource pool, UUID org, int user, String waMessageId) throws SQLException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
          PreparedStatement find = c.prepareStatement("select cv.id, cv.customer_id from crm.conversations cv"
              + " join crm.whatsapp_contacts ct on ct.organization_id = cv.organization_id and ct.id = cv.contact_id"
              + " where ct.organization_id = ? and ct.wa_phone = ? for update of cv");
          PreparedStatement insert = c.prepareStatement("insert into crm.messages (organization_id, conversation_id,"
              + " direction, wa_message_id, message_type, body, status) values (?, ?, 'inbound', ?, 'text', ?,"
              + " 'received') on conflict (organization_id, wa_message_id) where wa_message_id is not null do nothing"
              + " returning id");
          PreparedStatement update = c.prepareStatement("update crm.conversations set unread_count = unread_count + 1,"
              + " last_message_at = now(), last_inbound_at = now(), last_message_preview = ?, activity_at = now()"
              + " where organization_id = ? and id = ?");
          PreparedStatement activity = c.prepareStatement("insert into crm.customer_activities (organization_id,"
              + " customer_id, activity_type, description) values (?, ?, 'message', ?)")) {
        set.setString(1, org.toString());
        set.execute();
        find.setObject(1, org);
        find.setString(2, "+" + phone(user));
        UUID conversation;
        UUID customer;
        try (ResultSet rs = find.executeQuery()) {
          rs.next();
          conversation = rs.getObject(1, UUID.class);
          customer = rs.getObject(2, UUID.class);
        }
        insert.setObject(1, org);
        insert.setObject(2, conversation);
        insert.setString(3, waMessageId);
        insert.setString(4, "Where is my order?");
        insert.executeQuery().close();
        update.setString(1, "Where is my order?");
        update.setObject(2, org);
        update.setObject(3, conversation);
        update.executeUpdate();
        activity.setObject(1, org);
        activity.setObject(2, customer);
        activity.setString(3, "Where is my order?");
        activity.executeUpdate();
      }
      c.commit();
      c.setAutoCommit(true);
    }
  }
}
