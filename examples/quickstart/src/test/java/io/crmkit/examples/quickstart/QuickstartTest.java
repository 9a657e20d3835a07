package io.crmkit.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.core.customers.ImportPreview;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.examples.quickstart.Quickstart.Summary;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.Ticket;
import io.crmkit.ticketing.TicketStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void eachTenantSeesOnlyItsOwnUsers() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());

      assertThat(summary.acme().users()).as("acme's users").extracting(User::email, User::role).containsExactly(
          tuple("layla@acme.example", Role.MANAGER),
          tuple("omar@acme.example", Role.AGENT),
          tuple("sara@acme.example", Role.ADMIN));
      assertThat(summary.globex().users()).as("globex's users").extracting(User::email, User::role).containsExactly(
          tuple("hank@globex.example", Role.ADMIN),
          tuple("marge@globex.example", Role.AGENT));
      assertThat(summary.acme().usersOfOtherTenant()).as("globex users in acme's list").isZero();
      assertThat(summary.globex().usersOfOtherTenant()).as("acme users in globex's list").isZero();
      assertThat(summary.acme().otherAdminById()).as("globex's admin looked up from acme").isEmpty();
      assertThat(summary.globex().otherAdminById()).as("acme's admin looked up from globex").isEmpty();
    }
  }

  @Test
  void eachTenantSeesItsCustomersForecastAndTimeline() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());
      assertThat(summary.acme().customers()).extracting(c -> c.whatsappPhone().orElse("-"))
          .containsExactly("+966501234567", "-");
      assertThat(summary.globex().customers()).extracting(c -> c.whatsappPhone().orElseThrow())
          .as("the same digits read in the UAE").containsExactly("+971507654321");
      var proposal = summary.acme().forecast().get(2);
      assertThat(proposal.stage().name()).isEqualTo("Proposal");
      assertThat(proposal.customers()).isEqualTo(1);
      assertThat(proposal.weightedValueMinor()).containsEntry("SAR", 2_500_000L);
      assertThat(summary.acme().forecast().get(0).valueMinor()).containsEntry("SAR", 1_200_000L);
      assertThat(summary.acme().timeline()).extracting(a -> a.type())
          .as("his WhatsApp message and his tickets are on his timeline").containsExactly("ticket_opened",
              "ticket_status_changed", "ticket_note", "ticket_reply", "ticket_opened", "message", "call", "stage_change",
              "customer_created");
      assertThat(summary.globex().forecast()).allSatisfy(f -> assertThat(f.valueMinor()).doesNotContainKey("SAR"));
      assertThat(summary.acme().searches()).as("alef folding, then a close spelling")
          .containsEntry("احمد", List.of("أحمد الحربي")).containsEntry("kahtani", List.of("Fatimah Al-Qahtani"));
      assertThat(summary.acme().inbox()).as("Ahmed wrote on WhatsApp; his conversation is linked to him")
          .singleElement().satisfies(c -> {
            assertThat(c.contactPhone()).contains("+966501234567");
            assertThat(c.customerId()).contains(summary.acme().customers().get(0).id());
          });
      assertThat(summary.acme().firstConversation()).extracting(m -> m.inbound() + " " + m.status())
          .as("the replies (the agent's, then the ticket's) went out after their commits")
          .containsExactly("false sent", "false sent", "true received");
      assertThat(summary.globex().inbox()).as("Layla by her business-scoped id, Wei by his UAE number; never acme's")
          .extracting(c -> c.contactPhone().orElse("-") + " " + c.contactBsuid().orElse("-") + " "
              + c.contactName().orElse(""))
          .containsExactly("- AE.8812734019283746 Layla", "+971507654321 - Wei");
      assertThat(summary.globex().firstConversation()).extracting(m -> m.inbound() + " " + m.status())
          .as("the reply to her id went out").containsExactly("false sent", "true received");
      String year = Integer.toString(java.time.LocalDate.now(ZoneId.of("Asia/Riyadh")).getYear());
      assertThat(summary.acme().tickets()).extracting(t -> t.number() + " " + t.status() + " " + t.type())
          .as("numbered per organization, newest first").containsExactly("TICKET-" + year + "-0002 OPEN SALES_OFFER",
              "TICKET-" + year + "-0001 IN_PROGRESS SUPPORT");
      assertThat(summary.acme().tickets().get(1)).satisfies(t -> {
        assertThat(t.conversationId()).as("opened from Ahmed's conversation").contains(summary.acme().inbox().get(0).id());
        assertThat(t.customerId()).contains(summary.acme().customers().get(0).id());
        assertThat(t.sla().firstRespondedAt()).as("the public reply answered it").isPresent();
      });
      assertThat(summary.acme().firstConversation()).extracting(m -> m.body().orElse(""))
          .as("the ticket's public reply went to WhatsApp; the internal note did not")
          .contains("طلبك خرج للتوصيل اليوم").doesNotContain("Courier confirmed by phone");
      assertThat(summary.globex().tickets()).extracting(Ticket::number).as("globex numbers from 0001 too")
          .containsExactly("TICKET-" + year + "-0002", "TICKET-" + year + "-0001");
      assertThat(summary.globex().ticketCounts().byStatus()).containsEntry(TicketStatus.OPEN, 1L)
          .containsEntry(TicketStatus.RESOLVED, 1L);
      assertThat(summary.globex().searches()).as("never the other tenant's customers")
          .containsEntry("احمد", List.of()).containsEntry("kahtani", List.of());
    }
  }

  @Test
  void eachTenantSeesItsOwnOrganizationPlanAndLimits() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());

      assertThat(summary.acme().organization().slug()).startsWith("acme-");
      assertThat(summary.acme().organization().defaultRegion()).isEqualTo("SA");
      assertThat(summary.acme().organization().timeZone()).isEqualTo(ZoneId.of("Asia/Riyadh"));
      assertThat(summary.acme().plan().slug()).isEqualTo("professional");
      assertThat(summary.acme().limits()).containsKeys(Limit.values());
      assertThat(summary.acme().limits().get(Limit.USERS)).hasValue(50);

      assertThat(summary.globex().organization().slug()).startsWith("globex-");
      assertThat(summary.globex().organization().defaultRegion()).isEqualTo("AE");
      assertThat(summary.globex().organization().timeZone()).isEqualTo(ZoneId.of("Asia/Dubai"));
      assertThat(summary.globex().plan().slug()).as("upgraded from free for ticketing").isEqualTo("lite");
      assertThat(summary.globex().limits().get(Limit.USERS)).hasValue(10);
    }
  }

  @Test
  void findsAcmeBySlug() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());

      assertThat(summary.acmeBySlug()).hasValueSatisfying(ref -> {
        assertThat(ref.id()).isEqualTo(summary.acme().organization().id());
        assertThat(ref.name()).isEqualTo("Acme Trading");
      });
    }
  }

  @Test
  void runsAgainOnTheSameDatabase() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary first = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());
      Summary second = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());

      assertThat(second.acme().organization().id()).as("second run's acme")
          .isNotEqualTo(first.acme().organization().id());
      assertThat(second.acme().userEmails()).as("second run's acme users")
          .containsExactly("layla@acme.example", "omar@acme.example", "sara@acme.example");
      assertThat(second.globex().userEmails()).as("second run's globex users")
          .containsExactly("hank@globex.example", "marge@globex.example");
      assertThat(second.acme().users()).extracting(User::organizationId).containsOnly(second.acme().organization().id());
    }
  }

  @Test
  void printsWhatEachTenantSees() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();

      Quickstart.print(summary, new PrintStream(bytes, true, StandardCharsets.UTF_8));

      String acme = summary.acme().organization().slug();
      String globex = summary.globex().organization().slug();
      assertThat(bytes.toString(StandardCharsets.UTF_8))
          .contains("Acme Trading (" + acme + ")", "plan: Lite (lite)", "max_users=50", "max_users=10")
          .contains(acme + " sees 3 users, 0 of them the other tenant's; the other tenant's admin by id: not found")
          .contains(globex + " sees 2 users, 0 of them the other tenant's; the other tenant's admin by id: not found")
          .contains("findBySlug(\"" + acme + "\") -> Acme Trading (" + summary.acme().organization().id() + ")")
          .contains("Campaign \"عرض الربيع Spring offer\": completed, 3 recipients: 2 sent, 0 failed, 0 unknown,"
              + " 1 skipped");
    }
  }

  @Test
  void initechUpgradesThroughCheckoutAndTheSeatItsFreePlanRefusedIsAllowedAfter() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());
      QuickstartBilling.Result billing = summary.billing();
      assertThat(billing.before().plan().slug()).isEqualTo("free");
      assertThat(billing.before().oneMoreSeat()).as("free has three seats")
          .hasValue("max_users of 3 reached on plan free");
      assertThat(billing.checkout().toString()).startsWith("https://checkout.stripe.com/c/pay/cs_test_");
      assertThat(billing.deliveries()).as("the webhook took Stripe's events")
          .containsExactly("checkout.session.completed 200 ok", "customer.subscription.created 200 ok");
      assertThat(billing.after().plan().slug()).as("the plan followed the subscription").isEqualTo("professional");
      assertThat(billing.after().status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(billing.after().limits().get(Limit.USERS)).hasValue(50);
      assertThat(billing.after().oneMoreSeat()).as("the fourth invitation went out").isEmpty();
      assertThat(billing.subscription()).hasValueSatisfying(s -> {
        assertThat(s.planSlug()).contains("professional");
        assertThat(s.amountMinor()).contains(9900L);
      });

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Quickstart.print(summary, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertThat(bytes.toString(StandardCharsets.UTF_8)).containsSubsequence(
          "Billing: Initech (initech-",
          "  before: plan Free (free), trialing; max_users=3, max_customers=100, max_messages_per_day=50",
          "    one more seat: refused (max_users of 3 reached on plan free)",
          "  checkout: https://checkout.stripe.com/c/pay/cs_test_",
          "  after: plan Professional (professional), active; max_users=50, max_customers=10000,"
              + " max_messages_per_day=5000",
          "    one more seat: invited");
    }
  }

  @Test
  void acmesHubSpotExportIsPreviewedImportedByRecordIdAndAgainChangesNothing() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      QuickstartImport.Result imported = Quickstart.run(db.runtimeDataSource(), db.adminDataSource()).imported();
      assertThat(imported.preview().rows()).extracting(ImportPreview.Row::line).containsExactly(2L, 3L);
      assertThat(imported.preview().report().inserted()).as("the preview says what the import does").isEqualTo(2);
      assertThat(imported.first().inserted()).isEqualTo(2);
      assertThat(imported.first().errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
          .containsExactly(tuple(4L, "email"));
      assertThat(List.of(imported.again().inserted(), imported.again().updated(), imported.again().unchanged()))
          .containsExactly(0L, 0L, 2L);
      assertThat(imported.layla().fullName()).hasValue("Layla Khalil");
      assertThat(imported.layla().company()).as("HubSpot's Name column is the company's").hasValue("Khalil Group");
      assertThat(imported.layla().whatsappPhone()).hasValue("+971501234567");
      assertThat(imported.layla().externalId()).hasValue("501");
    }
  }

  @Test
  void acmesCampaignReachesItsVipCustomerAndTheTypedNumberAndSkipsWhatIsNoNumber() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      Summary summary = Quickstart.run(db.runtimeDataSource(), db.adminDataSource());
      assertThat(summary.campaign().campaign().status()).isEqualTo(CampaignStatus.COMPLETED);
      assertThat(summary.campaign().recipients()).extracting(r -> r.phone().orElseThrow() + " "
          + r.status().databaseName()).as("the tag's customers join at the start, after the numbers")
          .containsExactly("+966501112222 sent", "12345 skipped", "+966501234567 sent");
      assertThat(summary.campaign().progress()).as("the host's progress bar, ending where the campaign ended")
          .last().satisfies(last -> {
            assertThat(last.status()).isEqualTo(CampaignStatus.COMPLETED);
            assertThat(last.done()).isEqualTo(1.0);
            assertThat(last.sent()).isEqualTo(2);
            assertThat(last.remaining()).isZero();
          });
    }
  }
}
