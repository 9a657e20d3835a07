package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomerServiceTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(8, b -> {});
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void phonesAreStoredInE164ReadInTheOrganizationsRegion() {
    CustomerService customers = t.adminScope(t.provision()).customers(); // region SA
    assertThat(customers.create(CustomerDraft.builder().whatsappPhone("050 123 4567").build()).whatsappPhone())
        .hasValue("+966501234567");
    assertThat(customers.create(CustomerDraft.builder().whatsappPhone("00966 55 123 4567").build()).whatsappPhone())
        .hasValue("+966551234567");
    assertThat(customers.create(CustomerDraft.builder().whatsappPhone("+971 50 123 4567").build()).whatsappPhone())
        .hasValue("+971501234567");
    assertThat(customers.create(CustomerDraft.builder().whatsappPhone("٠٥٤١٢٣٤٥٦٧").build()).whatsappPhone())
        .as("Arabic-Indic digits").hasValue("+966541234567");
    assertThat(customers.findByPhone("+966 50 123 4567")).get().extracting(c -> c.whatsappPhone().orElseThrow())
        .isEqualTo("+966501234567");
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndCreatesNothing() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().whatsappPhone("call me maybe").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("whatsappPhone");
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().fullName("X").phone("123").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("phone");
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().email("nope").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("email");
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().company("Only a company").build()))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().fullName("S").leadScore(101).build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("leadScore");
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().fullName("S").assignedTo(UUID.randomUUID())
        .build())).isInstanceOf(ValidationException.class).extracting("field").isEqualTo("assignedTo");
    assertThat(usage(org)).isZero();
  }

  @Test
  void aNewCustomerLandsInTheDefaultStageWithACreatedActivity() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    Customer c = admin.customers().create(CustomerDraft.builder().fullName("أحمد الحربي").email("Ahmed@Example.com")
        .tag("vip").tag("riyadh").customFields(Map.of("city", "Riyadh")).estimatedValue(150_000, "SAR").build());
    SalesStage lead = admin.pipeline().stages().get(0);
    assertThat(c.stageId()).isEqualTo(lead.id());
    assertThat(c.createdBy()).hasValue(org.admin().id());
    assertThat(c.tags()).containsExactly("vip", "riyadh");
    assertThat(c.customFields()).containsEntry("city", "Riyadh");
    assertThat(c.estimatedValueMinor()).isEqualTo(150_000);
    assertThat(admin.customers().findByEmail("AHMED@example.COM")).get().extracting(Customer::id).isEqualTo(c.id());
    assertThat(admin.customers().timeline(c.id(), 10, Optional.empty()).items())
        .extracting(Activity::type, a -> a.performedBy().orElseThrow())
        .containsExactly(tuple("customer_created", org.admin().id()));
  }

  @Test
  void duplicatesAreRefusedByTheDatabaseNamingTheExistingCustomer() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    Customer first = customers.create(CustomerDraft.builder().whatsappPhone("0501110000").email("a@example.com").build());
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().whatsappPhone("+966 50 111 0000").build()))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).hasValue(first.id()));
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().email("A@EXAMPLE.com").build()))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).hasValue(first.id()));
  }

  @Test
  void concurrentCreatesOfOnePhoneGiveOneCustomerAndConflictsNamingIt() throws Exception {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    List<Object> outcomes = race(8, i -> customers.create(CustomerDraft.builder().whatsappPhone("0502220000")
        .fullName("Racer " + i).build()));
    List<Customer> created = outcomes.stream().filter(Customer.class::isInstance).map(Customer.class::cast).toList();
    assertThat(created).hasSize(1);
    assertThat(outcomes).filteredOn(ConflictException.class::isInstance).hasSize(7)
        .allSatisfy(e -> assertThat(((ConflictException) e).existingId()).hasValue(created.get(0).id()));
    assertThat(usage(org)).as("one unit of max_customers").isEqualTo(1);
  }

  @Test
  void findOrCreateByPhoneIsIdempotentUnderConcurrency() throws Exception {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    List<Object> outcomes = race(8, i -> customers.findOrCreateByPhone(i % 2 == 0 ? "0503330000" : "+966503330000",
        CustomerDraft.ofWhatsappPhone("ignored", CustomerSource.WHATSAPP)));
    Set<UUID> ids = outcomes.stream().map(o -> ((CustomerService.FoundCustomer) o).customer().id())
        .collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
    assertThat(outcomes).filteredOn(o -> ((CustomerService.FoundCustomer) o).created()).hasSize(1);
    assertThat(customers.findByPhone("0503330000")).get().extracting(Customer::source).isEqualTo(CustomerSource.WHATSAPP);
  }

  @Test
  void maxCustomersHoldsUnderConcurrentCreatesAndDeletionGivesAUnitBack() throws Exception {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.CUSTOMERS, OptionalLong.of(5));
    CustomerService customers = t.adminScope(org).customers();
    List<Object> outcomes = race(20, i -> customers.create(CustomerDraft.builder().fullName("C" + i).build()));
    assertThat(outcomes).filteredOn(Customer.class::isInstance).hasSize(5);
    assertThat(outcomes).filteredOn(LimitExceededException.class::isInstance).hasSize(15)
        .allSatisfy(e -> assertThat((LimitExceededException) e)
            .extracting(LimitExceededException::limit, LimitExceededException::value, LimitExceededException::planSlug)
            .containsExactly(Limit.CUSTOMERS, 5L, org.organization().planSlug()));
    assertThat(usage(org)).isEqualTo(5);
    Customer one = (Customer) outcomes.stream().filter(Customer.class::isInstance).findFirst().orElseThrow();
    customers.logActivity(one.id(), "call", Optional.of("Called about the offer"), Map.of());
    customers.delete(one.id());
    assertThat(customers.get(one.id())).isEmpty();
    assertThat(MigrationTest.query(t.admin(), "select count(*) from crm.customer_activities where customer_id = '"
        + one.id() + "'")).as("its timeline went with it").containsExactly("0");
    assertThat(customers.create(CustomerDraft.builder().fullName("Sixth, after a deletion").build())).isNotNull();
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().fullName("Sixth again").build()))
        .isInstanceOf(LimitExceededException.class);
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.CUSTOMERS, OptionalLong.empty());
    assertThat(customers.create(CustomerDraft.builder().fullName("Sixth, unlimited now").build())).isNotNull();
    assertThat(usage(org)).as("unlimited still counts").isEqualTo(6);
  }

  @Test
  void stageChangesAssignmentsAndNotesBuildTheTimelineNewestFirst() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    CustomerService customers = admin.customers();
    List<SalesStage> stages = admin.pipeline().stages();
    Customer c = customers.create(CustomerDraft.builder().fullName("Timeline").build());
    customers.moveToStage(c.id(), stages.get(1).id());
    customers.moveToStage(c.id(), stages.get(1).id()); // no change, no activity
    customers.assign(c.id(), Optional.of(org.admin().id()));
    for (int i = 0; i < 5; i++) {
      customers.logActivity(c.id(), "note", Optional.of("note " + i), Map.of("n", i));
    }
    List<Activity> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      Page<Activity> page = customers.timeline(c.id(), 3, cursor);
      all.addAll(page.items());
      cursor = page.nextCursor();
      pages++;
    } while (cursor.isPresent());
    assertThat(pages).isEqualTo(3);
    assertThat(all).extracting(Activity::type).containsExactly("note", "note", "note", "note", "note", "assigned",
        "stage_change", "customer_created");
    assertThat(all).extracting(Activity::description).startsWith(Optional.of("note 4"));
    Activity move = all.get(6);
    assertThat(move.metadata()).containsEntry("from", stages.get(0).id().toString())
        .containsEntry("to", stages.get(1).id().toString());
    assertThatThrownBy(() -> customers.timeline(c.id(), 3, Optional.of("forged"))).isInstanceOf(ValidationException.class)
        .extracting("field").isEqualTo("cursor");
  }

  @Test
  void tagsFollowTheOneRuleEveryModuleUses() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    Customer c = customers.create(CustomerDraft.builder().fullName("Tagged").tag("vip").tag(" vip ").tag("gold")
        .build());
    assertThat(c.tags()).as("stripped, each once, first order kept").containsExactly("vip", "gold");
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= io.crmkit.core.spi.Inputs.MAX_TAGS; i++) {
      many.add("t" + i);
    }
    for (List<String> bad : List.of(List.of(" "), List.of("a\tb"), List.of("x".repeat(65)), many)) {
      assertThatThrownBy(() -> customers.tag(c.id(), bad)).as("%s", bad)
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("tags"));
    }
    assertThatThrownBy(() -> customers.list(CustomerQuery.builder().tagsAny(List.of("a\u0000")).build(), 10,
        Optional.empty())).isInstanceOf(ValidationException.class).extracting("field").isEqualTo("tags");
    assertThat(customers.get(c.id()).orElseThrow().tags()).containsExactly("vip", "gold");
  }

  @Test
  void tagsCustomFieldsScoreAndValueChangeOnlyWhatTheySay() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    Customer c = customers.create(CustomerDraft.builder().fullName("Fields").tag("a").customFields(Map.of("x", 1))
        .build());
    assertThat(customers.tag(c.id(), List.of("b", "a", "c")).tags()).containsExactly("a", "b", "c");
    assertThat(customers.untag(c.id(), List.of("b")).tags()).containsExactly("a", "c");
    assertThat(customers.setCustomFields(c.id(), Map.of("y", "two")).customFields())
        .containsEntry("x", 1).containsEntry("y", "two");
    assertThat(customers.setLeadScore(c.id(), 80).leadScore()).isEqualTo(80);
    Customer valued = customers.setEstimatedValue(c.id(), 99_900, "SAR");
    assertThat(valued.estimatedValueMinor()).isEqualTo(99_900);
    assertThat(valued.currency()).isEqualTo("SAR");
    assertThat(valued.fullName()).hasValue("Fields");
    assertThatThrownBy(() -> customers.setLeadScore(c.id(), -1)).isInstanceOf(ValidationException.class);
    java.util.Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("z", null);
    for (Map<String, Object> bad : List.of(Map.<String, Object>of("k".repeat(65), 1), Map.<String, Object>of(" ", 1),
        Map.<String, Object>of("big", "x".repeat(64_001)), withNull)) {
      assertThatThrownBy(() -> customers.setCustomFields(c.id(), bad)).as("the one rule for custom fields")
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("customFields"));
    }
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().fullName("Big").customFields(
        Map.of("big", "x".repeat(64_001))).build())).isInstanceOf(ValidationException.class);
    assertThat(customers.get(c.id()).orElseThrow().customFields()).as("nothing changed")
        .containsOnlyKeys("x", "y");
  }

  @Test
  void anotherTenantsCustomersDoNotExistHere() {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    Customer theirs = t.adminScope(b).customers().create(CustomerDraft.builder().whatsappPhone("0504440000").build());
    CustomerService mine = t.adminScope(a).customers();
    assertThat(mine.get(theirs.id())).isEmpty();
    assertThat(mine.findByPhone("0504440000")).isEmpty();
    assertThatThrownBy(() -> mine.delete(theirs.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> mine.moveToStage(theirs.id(), t.adminScope(a).pipeline().stages().get(1).id()))
        .isInstanceOf(NotFoundException.class);
    Customer own = mine.create(CustomerDraft.builder().whatsappPhone("0504440000").build());
    assertThat(own.id()).as("the same phone is another customer in another tenant").isNotEqualTo(theirs.id());
    assertThatThrownBy(() -> mine.assign(own.id(), Optional.of(b.admin().id())))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("userId");
    assertThatThrownBy(() -> mine.moveToStage(own.id(), t.adminScope(b).pipeline().stages().get(1).id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(t.adminScope(b).customers().get(theirs.id())).isPresent();
  }

  @Test
  void membersReadButDoNotWriteAndOnlyManagersDelete() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    Customer c = admin.customers().create(CustomerDraft.builder().fullName("Guarded").build());
    User member = t.crm.acceptInvitation(admin.users().invite("m@example.com", Role.MEMBER).token(), NewMember.named("M"));
    User agent = t.crm.acceptInvitation(admin.users().invite("g@example.com", Role.AGENT).token(), NewMember.named("G"));
    TenantScope asMember = t.crm.tenant(org.organization().id()).as(member.id());
    TenantScope asAgent = t.crm.tenant(org.organization().id()).as(agent.id());
    assertThat(asMember.customers().get(c.id())).isPresent();
    assertThatThrownBy(() -> asMember.customers().create(CustomerDraft.builder().fullName("No").build()))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asMember.customers().setLeadScore(c.id(), 5)).isInstanceOf(ForbiddenException.class);
    assertThat(asAgent.customers().setLeadScore(c.id(), 5).leadScore()).isEqualTo(5);
    assertThatThrownBy(() -> asAgent.customers().delete(c.id())).isInstanceOf(ForbiddenException.class);
    admin.customers().delete(c.id());
    assertThat(admin.customers().get(c.id())).isEmpty();
  }

  /**
   * Deactivation keeps a member's customers assigned (the host reassigns them, found by assignee).
   * An assignment racing the deactivation therefore ends as if it came first: it does not wait for
   * the deactivation, and its customer is found and reassigned with the others.
   */
  @Test
  void aDeactivatedMembersCustomersStayAssignedAndAnAssignmentRacingTheDeactivationToo() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    User agent = t.crm.acceptInvitation(admin.users().invite("leaving@example.com", Role.AGENT).token(),
        NewMember.named("Leaving"));
    Customer before = admin.customers().create(CustomerDraft.builder().fullName("Assigned before").build());
    Customer racing = admin.customers().create(CustomerDraft.builder().fullName("Assigned meanwhile").build());
    admin.customers().assign(before.id(), Optional.of(agent.id()));

    CountDownLatch deactivated = new CountDownLatch(1);
    CountDownLatch assigned = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<User> deactivation = pool.submit(() -> admin.inTransaction(scope -> {
        User done = scope.users().deactivate(agent.id());
        deactivated.countDown();
        assertThat(assigned.await(10, TimeUnit.SECONDS)).as("the assignment did not wait").isTrue();
        return done;
      }));
      assertThat(deactivated.await(10, TimeUnit.SECONDS)).isTrue();
      admin.customers().assign(racing.id(), Optional.of(agent.id()));
      assigned.countDown();
      assertThat(deactivation.get(10, TimeUnit.SECONDS).active()).isFalse();
    } finally {
      pool.shutdownNow();
    }

    assertThat(admin.customers().list(CustomerQuery.builder().assignedTo(agent.id()).build(), 10, Optional.empty())
        .items()).extracting(Customer::id).containsExactlyInAnyOrder(before.id(), racing.id());
    Customer third = admin.customers().create(CustomerDraft.builder().fullName("Assigned after").build());
    assertThatThrownBy(() -> admin.customers().assign(third.id(), Optional.of(agent.id())))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("userId");
  }

  @Test
  void mergingMovesTheTimelineFillsGapsAndRemovesTheDuplicate() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    Customer survivor = customers.create(CustomerDraft.builder().fullName("Sara").email("sara@example.com").tag("vip")
        .customFields(Map.of("city", "Riyadh", "tier", "gold")).build());
    Customer duplicate = customers.create(CustomerDraft.builder().whatsappPhone("0505550000").company("Acme")
        .tag("whatsapp").tag("vip").customFields(Map.of("tier", "silver", "lang", "ar")).leadScore(40).build());
    customers.logActivity(duplicate.id(), "call", Optional.of("Called from WhatsApp"), Map.of());
    long before = usage(org);

    Customer merged = customers.merge(survivor.id(), duplicate.id());
    assertThat(merged.id()).isEqualTo(survivor.id());
    assertThat(merged.fullName()).hasValue("Sara");
    assertThat(merged.whatsappPhone()).as("taken over, though unique").hasValue("+966505550000");
    assertThat(merged.company()).hasValue("Acme");
    assertThat(merged.tags()).containsExactly("vip", "whatsapp");
    assertThat(merged.customFields()).containsEntry("city", "Riyadh").containsEntry("tier", "gold")
        .containsEntry("lang", "ar");
    assertThat(merged.leadScore()).isEqualTo(40);
    assertThat(customers.get(duplicate.id())).isEmpty();
    assertThat(customers.findByPhone("0505550000")).get().extracting(Customer::id).isEqualTo(survivor.id());
    assertThat(customers.timeline(survivor.id(), 10, Optional.empty()).items()).extracting(Activity::type)
        .containsExactly("merged", "call", "customer_created", "customer_created");
    assertThat(usage(org)).isEqualTo(before - 1);
    Activity mergedActivity = customers.timeline(survivor.id(), 1, Optional.empty()).items().get(0);
    assertThat(mergedActivity.metadata()).containsEntry("merged", duplicate.id().toString())
        .containsEntry("whatsappPhone", "+966505550000").doesNotContainKey("discarded.fullName");
    assertThatThrownBy(() -> customers.merge(survivor.id(), survivor.id())).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> customers.merge(survivor.id(), duplicate.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aMergeWaitsForAnActivityBeingLoggedOnTheDuplicateAndKeepsIt() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    Customer survivor = admin.customers().create(CustomerDraft.builder().fullName("Survivor").build());
    Customer duplicate = admin.customers().create(CustomerDraft.builder().fullName("Duplicate").build());
    try (java.sql.Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      admin.joining(host, action -> {}).customers().logActivity(duplicate.id(), "call", Optional.of("important call"),
          Map.of());
      java.util.concurrent.CompletableFuture<Customer> merge = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> admin.customers().merge(survivor.id(), duplicate.id()));
      waitForALockWait();
      host.commit();
      merge.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(admin.customers().timeline(survivor.id(), 10, Optional.empty()).items())
        .extracting(a -> a.description().orElse("")).contains("important call");
  }

  @Test
  void aLimitErrorCaughtInsideATransactionLeavesNoUncountedCustomer() throws Exception {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.CUSTOMERS, OptionalLong.of(1));
    TenantScope admin = t.adminScope(org);
    admin.customers().create(CustomerDraft.builder().fullName("First").build());
    boolean refused = admin.inTransaction(tx -> {
      try {
        tx.customers().create(CustomerDraft.builder().fullName("Second").build());
        return false;
      } catch (LimitExceededException e) {
        return true; // the host carries on and commits
      }
    });
    assertThat(refused).isTrue();
    assertThat(query("select count(*) from crm.customers where organization_id = '" + org.organization().id() + "'"))
        .containsExactly("1");
    assertThat(usage(org)).isEqualTo(1);
  }

  @Test
  void aPartialUpdateSetsAndClearsOnlyTheFieldsGivenAndLogsEachChange() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    Customer c = customers.create(CustomerDraft.builder().fullName("Sara Old").email("sara@old.example")
        .company("Old Co").position("CTO").whatsappPhone("0501110000").build());

    Customer updated = customers.update(c.id(), CustomerUpdate.builder().fullName("Sara New")
        .whatsappPhone("00966 50 111 0001").email("Sara@New.Example").clearCompany().build());

    assertThat(updated.fullName()).contains("Sara New");
    assertThat(updated.whatsappPhone()).as("normalized with the region").contains("+966501110001");
    assertThat(updated.email()).contains("Sara@New.Example");
    assertThat(updated.company()).isEmpty();
    assertThat(updated.position()).as("not in the update, untouched").contains("CTO");
    assertThat(customers.findByEmail("sara@new.example")).get().extracting(Customer::id).isEqualTo(c.id());
    assertThat(customers.findByPhone("0501110000")).isEmpty();
    assertThat(customers.search("sara new", 10, Optional.empty()).items()).extracting(Customer::id)
        .containsExactly(c.id());
    assertThat(customers.timeline(c.id(), 10, Optional.empty()).items())
        .extracting(Activity::type, a -> a.metadata().getOrDefault("field", ""))
        .containsExactlyInAnyOrder(tuple("customer_updated", "fullName"), tuple("customer_updated", "whatsappPhone"),
            tuple("customer_updated", "email"), tuple("customer_updated", "company"), tuple("customer_created", ""));

    Customer same = customers.update(c.id(), CustomerUpdate.builder().fullName(" Sara New ").position("CTO").build());
    assertThat(same.updatedAt()).as("nothing changed, nothing written").isEqualTo(updated.updatedAt());
    assertThat(customers.timeline(c.id(), 10, Optional.empty()).items()).hasSize(5);
  }

  @Test
  void anUpdateThatFailsNamesTheFieldOrTheHolderAndChangesNothing() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    Customer holder = customers.create(CustomerDraft.builder().fullName("Holder").email("taken@example.com")
        .whatsappPhone("0502220000").build());
    Customer c = customers.create(CustomerDraft.builder().fullName("Mover").email("mover@example.com").build());

    assertThatThrownBy(() -> customers.update(c.id(), CustomerUpdate.builder().whatsappPhone("050 222 0000").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.existingId()).contains(holder.id()));
    assertThatThrownBy(() -> customers.update(c.id(), CustomerUpdate.builder().email("TAKEN@example.com").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.existingId()).contains(holder.id()));
    assertThatThrownBy(() -> customers.update(c.id(), CustomerUpdate.builder().fullName("Renamed").email("not an email")
        .build())).isInstanceOf(ValidationException.class).extracting("field").isEqualTo("email");
    assertThatThrownBy(() -> customers.update(c.id(), CustomerUpdate.builder().phone("12").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("phone");
    assertThatThrownBy(() -> customers.update(c.id(), CustomerUpdate.builder().clearFullName().clearEmail().build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("a name, a phone or an email");
    assertThat(customers.get(c.id())).get().extracting(Customer::fullName, Customer::email, Customer::updatedAt)
        .containsExactly(Optional.of("Mover"), Optional.of("mover@example.com"), c.updatedAt());
    assertThat(customers.timeline(c.id(), 10, Optional.empty()).items()).hasSize(1);

    ProvisionedOrganization other = t.provision();
    assertThatThrownBy(() -> t.adminScope(other).customers().update(c.id(), CustomerUpdate.builder().fullName("X")
        .build())).isInstanceOf(NotFoundException.class);
    User member = t.crm.acceptInvitation(t.adminScope(org).users().invite("reader@example.com", Role.MEMBER).token(),
        NewMember.named("Reader"));
    assertThatThrownBy(() -> t.crm.tenant(org.organization().id()).as(member.id()).customers().update(c.id(),
        CustomerUpdate.builder().fullName("X").build())).isInstanceOf(ForbiddenException.class);
  }

  @Test
  void fieldChangesAreLoggedOnlyWhenTheValueChanges() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    Customer c = customers.create(CustomerDraft.builder().fullName("Logged").build());
    customers.tag(c.id(), List.of("vip"));
    customers.tag(c.id(), List.of("vip"));
    customers.setLeadScore(c.id(), 30);
    customers.setLeadScore(c.id(), 30);
    assertThat(customers.timeline(c.id(), 10, Optional.empty()).items())
        .extracting(Activity::type, a -> a.metadata().getOrDefault("field", ""))
        .containsExactly(tuple("customer_updated", "leadScore"), tuple("customer_updated", "tags"),
            tuple("customer_created", ""));
  }

  @Test
  void theRecentActivityFeedSpansCustomersOfThisTenantOnly() {
    ProvisionedOrganization org = t.provision();
    ProvisionedOrganization other = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    Customer a = customers.create(CustomerDraft.builder().fullName("A").build());
    Customer b = customers.create(CustomerDraft.builder().fullName("B").build());
    customers.logActivity(a.id(), "note", Optional.of("on A"), Map.of());
    t.adminScope(other).customers().create(CustomerDraft.builder().fullName("Elsewhere").build());
    Page<Activity> first = customers.recentActivity(2, Optional.empty());
    assertThat(first.items()).extracting(Activity::customerId).containsExactly(a.id(), b.id());
    Page<Activity> second = customers.recentActivity(2, first.nextCursor());
    assertThat(second.items()).extracting(Activity::customerId).containsExactly(a.id());
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void timelinePagesKeepEveryActivityWhenTimestampsTie() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    Customer c = customers.create(CustomerDraft.builder().fullName("Ties").build());
    t.executeAsAdmin("insert into crm.customer_activities (organization_id, customer_id, activity_type, created_at)"
        + " select '" + org.organization().id() + "', '" + c.id() + "', 'note', '2026-01-01T00:00:00.123456Z'"
        + " from generate_series(1, 7)");
    List<UUID> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Activity> page = customers.timeline(c.id(), 2, cursor);
      page.items().forEach(a -> seen.add(a.id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).hasSize(8).doesNotHaveDuplicates();
  }

  @Test
  void phonesOutsideE164AndEmailsWithUnicodeSpacesAreRefusedInJava() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().whatsappPhone("+49 30 123456789012").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("whatsappPhone");
    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().email("a\u2003b@example.com").build()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("email");
    assertThatThrownBy(() -> customers.importCsv(new java.io.ByteArrayInputStream(new byte[0]), ImportOptions.DEFAULTS))
        .as("an empty file has no header").isInstanceOf(ValidationException.class).extracting("field").isEqualTo("header");
  }

  private static void waitForALockWait() throws Exception {
    for (int i = 0; i < 200; i++) {
      if (!query("select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
          .isEmpty()) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("nothing ever waited for a lock");
  }

  private static long usage(ProvisionedOrganization org) {
    List<String> rows = query("select coalesce(sum(value), 0) from crm.usage_counters where organization_id = '"
        + org.organization().id() + "' and metric = 'customers'");
    return Long.parseLong(rows.get(0));
  }

  private static List<String> query(String sql) {
    try {
      return MigrationTest.query(t.admin(), sql);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private interface Attempt {
    Object run(int i) throws Exception;
  }

  private static List<Object> race(int n, Attempt attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 8));
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int index = i;
        Callable<Object> call = () -> {
          start.await();
          try {
            return attempt.run(index);
          } catch (CrmException e) {
            return e;
          }
        };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdown();
    }
  }
}
