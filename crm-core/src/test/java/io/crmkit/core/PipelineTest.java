package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.pipeline.StageForecast;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void everyNewOrganizationGetsTheSeedsSixStagesWithOneDefault() {
    ProvisionedOrganization first = t.provision();
    ProvisionedOrganization later = t.provision();
    for (ProvisionedOrganization org : List.of(first, later)) {
      List<SalesStage> stages = t.adminScope(org).pipeline().stages();
      assertThat(stages).extracting(SalesStage::name)
          .containsExactly("Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost");
      assertThat(stages).extracting(SalesStage::probability).containsExactly(10, 25, 50, 75, 100, 0);
      assertThat(stages).extracting(SalesStage::color)
          .containsExactly("#6B7280", "#3B82F6", "#F59E0B", "#8B5CF6", "#10B981", "#EF4444");
      assertThat(stages).filteredOn(SalesStage::isDefault).extracting(SalesStage::name).containsExactly("Lead");
    }
    assertThat(t.adminScope(first).pipeline().stages()).extracting(SalesStage::id)
        .doesNotContainAnyElementsOf(t.adminScope(later).pipeline().stages().stream().map(SalesStage::id).toList());
  }

  @Test
  void adminsAndManagersShapeThePipeline() {
    ProvisionedOrganization org = t.provision();
    Pipeline pipeline = t.adminScope(org).pipeline();
    SalesStage onHold = pipeline.createStage("On hold", "#aabbcc", 5);
    assertThat(onHold.displayOrder()).isEqualTo(7);
    assertThat(onHold.color()).isEqualTo("#AABBCC");
    assertThatThrownBy(() -> pipeline.createStage("on HOLD", "#000000", 5)).isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).hasValue(onHold.id()));
    assertThatThrownBy(() -> pipeline.createStage("Bad", "red", 5)).isInstanceOf(ValidationException.class)
        .extracting("field").isEqualTo("color");
    assertThatThrownBy(() -> pipeline.setProbability(onHold.id(), 101)).isInstanceOf(ValidationException.class);
    assertThat(pipeline.renameStage(onHold.id(), "Paused").name()).isEqualTo("Paused");
    assertThat(pipeline.recolorStage(onHold.id(), "#112233").color()).isEqualTo("#112233");
    assertThat(pipeline.setProbability(onHold.id(), 15).probability()).isEqualTo(15);

    List<UUID> reversed = new java.util.ArrayList<>(pipeline.stages().stream().map(SalesStage::id).toList());
    java.util.Collections.reverse(reversed);
    assertThat(pipeline.reorder(reversed)).extracting(SalesStage::id).containsExactlyElementsOf(reversed);
    assertThatThrownBy(() -> pipeline.reorder(reversed.subList(1, reversed.size())))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("stageIds");

    assertThat(pipeline.setDefault(onHold.id()).isDefault()).isTrue();
    assertThat(pipeline.stages()).filteredOn(SalesStage::isDefault).extracting(SalesStage::id)
        .containsExactly(onHold.id());
    Customer lands = t.adminScope(org).customers().create(CustomerDraft.builder().fullName("Lands").build());
    assertThat(lands.stageId()).isEqualTo(onHold.id());

    User agent = t.crm.acceptInvitation(t.adminScope(org).users().invite("agent@p.example", Role.AGENT).token(),
        NewMember.named("Agent"));
    assertThatThrownBy(() -> t.crm.tenant(org.organization().id()).as(agent.id()).pipeline()
        .createStage("Mine", "#000000", 1)).isInstanceOf(ForbiddenException.class);
  }

  @Test
  void aStageWithCustomersIsDeletedOnlyByMovingThemWithAnActivityEach() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    List<SalesStage> stages = admin.pipeline().stages();
    SalesStage qualified = stages.get(1);
    SalesStage proposal = stages.get(2);
    Customer c = admin.customers().create(CustomerDraft.builder().fullName("Mover").stage(qualified.id()).build());
    assertThatThrownBy(() -> admin.pipeline().deleteStage(qualified.id(), Optional.empty()))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> admin.pipeline().deleteStage(stages.get(0).id(), Optional.of(proposal.id())))
        .as("the default stage").isInstanceOf(ValidationException.class);
    admin.pipeline().deleteStage(qualified.id(), Optional.of(proposal.id()));
    assertThat(admin.pipeline().stages()).extracting(SalesStage::name).doesNotContain("Qualified");
    assertThat(admin.customers().get(c.id())).get().extracting(Customer::stageId).isEqualTo(proposal.id());
    assertThat(admin.customers().timeline(c.id(), 1, Optional.empty()).items()).singleElement()
        .satisfies(a -> {
          assertThat(a.type()).isEqualTo("stage_change");
          assertThat(a.metadata()).containsEntry("from", qualified.id().toString())
              .containsEntry("to", proposal.id().toString());
        });
    SalesStage empty = admin.pipeline().createStage("Empty", "#000000", 0);
    admin.pipeline().deleteStage(empty.id(), Optional.empty());
    assertThat(admin.pipeline().stages()).hasSize(5);
  }

  @Test
  void deletingAStageWaitsForACustomerBeingCreatedInIt() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    SalesStage fresh = admin.pipeline().createStage("Fresh", "#123456", 20);
    try (java.sql.Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      admin.joining(host, action -> {}).customers().create(CustomerDraft.builder().fullName("Late").stage(fresh.id())
          .build());
      java.util.concurrent.CompletableFuture<Throwable> delete = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          admin.pipeline().deleteStage(fresh.id(), Optional.empty());
          return null;
        } catch (RuntimeException e) {
          return e;
        }
      });
      for (int i = 0; i < 200 && MigrationTest.query(t.admin(), "select pid from pg_stat_activity"
          + " where datname = current_database() and wait_event_type = 'Lock'").isEmpty(); i++) {
        Thread.sleep(25);
      }
      host.commit();
      assertThat(delete.get(30, java.util.concurrent.TimeUnit.SECONDS))
          .as("the delete counted the customer that committed while it waited")
          .isInstanceOf(ConflictException.class).hasMessageContaining("has 1 customer");
    }
    assertThat(admin.pipeline().stages()).extracting(SalesStage::id).contains(fresh.id());
  }

  @Test
  void theForecastSumsValuesAndWeighsThemByProbability() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    List<SalesStage> stages = admin.pipeline().stages(); // Lead 10%, Qualified 25%, Proposal 50%, ...
    CustomerService customers = admin.customers();
    customers.create(CustomerDraft.builder().fullName("A").stage(stages.get(2).id()).estimatedValue(10_000, "SAR")
        .assignedTo(org.admin().id()).build());
    customers.create(CustomerDraft.builder().fullName("B").stage(stages.get(2).id()).estimatedValue(5_000, "SAR").build());
    customers.create(CustomerDraft.builder().fullName("C").stage(stages.get(2).id()).estimatedValue(300, "USD").build());
    customers.create(CustomerDraft.builder().fullName("D").estimatedValue(1_000, "SAR").build());
    List<StageForecast> all = admin.pipeline().forecast(Optional.empty());
    assertThat(all).extracting(f -> f.stage().name()).containsExactly("Lead", "Qualified", "Proposal", "Negotiation",
        "Won", "Lost");
    StageForecast proposal = all.get(2);
    assertThat(proposal.customers()).isEqualTo(3);
    assertThat(proposal.valueMinor()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("SAR", 15_000L, "USD", 300L));
    assertThat(proposal.weightedValueMinor()).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of("SAR", 7_500L, "USD", 150L));
    assertThat(all.get(0).weightedValueMinor()).containsEntry("SAR", 100L);
    assertThat(all.get(1).customers()).isZero();
    List<StageForecast> mine = admin.pipeline().forecast(Optional.of(org.admin().id()));
    assertThat(mine.get(2).customers()).isEqualTo(1);
    assertThat(mine.get(2).valueMinor()).containsExactly(java.util.Map.entry("SAR", 10_000L));
  }

  @Test
  void organizationsThatExistedBeforeTheStagesGetThemFromTheMigration() throws SQLException {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource()).build()) {
      db.executeAsAdmin("CREATE SCHEMA crm AUTHORIZATION crm_owner");
      crm.migrations().get(0).configuration().target("8").load().migrate();
      db.executeAsAdmin("insert into crm.organizations (name, slug, package_id, default_region)"
          + " select 'Old ' || g, 'old-' || g, (select id from crm.packages where slug = 'free'), 'SA'"
          + " from generate_series(1, 3) g");
      crm.migrate();
      assertThat(MigrationTest.query(db.adminDataSource(), "select o.slug || ' ' || count(s.id) || ' '"
          + " || count(*) filter (where s.is_default) from crm.organizations o"
          + " join crm.sales_stages s on s.organization_id = o.id group by o.slug order by o.slug"))
          .containsExactly("old-1 6 1", "old-2 6 1", "old-3 6 1");
    }
  }
}
