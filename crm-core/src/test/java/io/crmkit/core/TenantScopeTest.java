package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotMemberException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.OrganizationUpdate;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Invitation;
import io.crmkit.core.users.IssuedInvitation;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TenantScopeTest {
  private static final List<CrmEvent> events = new CopyOnWriteArrayList<>();
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(4, b -> b.listener(events::add));
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void anUnknownUserOrAnotherTenantsUserIsNotAMember() {
    ProvisionedOrganization org = t.provision();
    ProvisionedOrganization other = t.provision();
    UUID orgId = org.organization().id();
    assertThatThrownBy(() -> t.crm.tenant(orgId).as(UUID.randomUUID()).users().list())
        .isInstanceOf(NotMemberException.class);
    assertThatThrownBy(() -> t.crm.tenant(orgId).as(other.admin().id()).organization().get())
        .isInstanceOf(NotMemberException.class)
        .satisfies(e -> assertThat(((NotMemberException) e).organizationId()).isEqualTo(orgId));
  }

  @Test
  void withoutAnOrganizationNothingReachesSql() {
    assertThatThrownBy(() -> t.crm.tenant(null)).isInstanceOf(TenantContextException.class);
  }

  @Test
  void onePersonCanBeAMemberOfTwoTenantsUnderOneEmail() {
    ProvisionedOrganization first = t.provision();
    ProvisionedOrganization second = t.provision();
    User inFirst = t.crm.acceptInvitation(t.adminScope(first).users().invite("both@example.com", Role.AGENT).token(),
        NewMember.of("Both", "host-both"));
    User inSecond = t.crm.acceptInvitation(t.adminScope(second).users().invite("both@example.com", Role.MANAGER).token(),
        NewMember.of("Both", "host-both"));
    assertThat(inFirst.id()).isNotEqualTo(inSecond.id());
    assertThat(t.crm.tenant(first.organization().id()).as(inFirst.id()).users().list()).hasSize(2);
    assertThatThrownBy(() -> t.crm.tenant(first.organization().id()).as(inSecond.id()).users().list())
        .as("a user id acts only in its own organization").isInstanceOf(NotMemberException.class);
  }

  @Test
  void systemActorsReadButCannotManage() {
    ProvisionedOrganization org = t.provision();
    TenantScope webhook = t.crm.tenant(org.organization().id()).asSystem("webhook");
    assertThat(webhook.users().list()).hasSize(1);
    assertThat(webhook.entitlements().hasFeature("ticketing")).isTrue();
    assertThatThrownBy(() -> webhook.users().invite("x@example.com", Role.AGENT))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> webhook.organization().update(OrganizationUpdate.builder().name("X").build()))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> t.crm.tenant(org.organization().id()).asSystem("has spaces"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inTransactionCommitsOnReturnAndRollsBackOnException() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    Integer seen = admin.inTransaction(tx -> {
      tx.users().invite("a@example.com", Role.AGENT);
      tx.users().invite("b@example.com", Role.AGENT);
      return tx.users().pendingInvitations().size();
    });
    assertThat(seen).as("calls in one transaction see each other's writes").isEqualTo(2);
    assertThat(admin.users().pendingInvitations()).hasSize(2);

    assertThatThrownBy(() -> admin.inTransaction(tx -> {
      tx.users().invite("c@example.com", Role.AGENT);
      throw new IOException("host failure");
    })).isInstanceOf(IOException.class).hasMessage("host failure");
    assertThat(admin.users().pendingInvitations()).extracting(Invitation::email)
        .containsExactlyInAnyOrder("a@example.com", "b@example.com");
  }

  @Test
  void eventsArriveOnlyAfterCommit() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    events.clear();
    List<Integer> seenInside = new ArrayList<>();
    admin.inTransaction(tx -> {
      IssuedInvitation issued = tx.users().invite("evt@example.com", Role.AGENT);
      seenInside.add(events.size());
      return issued;
    });
    assertThat(seenInside).containsExactly(0);
    assertThat(events).singleElement().isInstanceOfSatisfying(CrmEvent.InvitationCreated.class,
        e -> assertThat(e.email()).isEqualTo("evt@example.com"));

    events.clear();
    assertThatThrownBy(() -> admin.inTransaction(tx -> {
      tx.users().invite("never@example.com", Role.AGENT);
      throw new IllegalStateException("rolled back");
    })).hasMessage("rolled back");
    assertThat(events).as("no event for a rolled-back transaction").isEmpty();
  }

  @Test
  void joiningRunsInTheHostsTransactionAndDefersEventsToItsCommit() throws SQLException {
    ProvisionedOrganization org = t.provision();
    List<Runnable> hostHooks = new ArrayList<>();
    events.clear();
    try (Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      TenantScope joined = t.adminScope(org).joining(host, hostHooks::add);
      joined.users().invite("joined@example.com", Role.AGENT);
      assertThat(joined.users().pendingInvitations()).hasSize(1);
      assertThat(t.adminScope(org).users().pendingInvitations()).as("not visible before the host commits").isEmpty();
      host.rollback();
      assertThat(t.adminScope(org).users().pendingInvitations()).as("the host's rollback undoes it").isEmpty();
      hostHooks.clear();

      joined.users().invite("joined@example.com", Role.AGENT);
      assertThat(events).isEmpty();
      host.commit();
      hostHooks.forEach(Runnable::run);
    }
    assertThat(t.adminScope(org).users().pendingInvitations()).hasSize(1);
    assertThat(events).hasSize(1);
  }

  @Test
  void joiningRefusesAutoCommitAnotherRoleAndEventsWithoutAHook() throws SQLException {
    ProvisionedOrganization org = t.provision();
    try (Connection auto = t.runtime().getConnection()) {
      assertThatThrownBy(() -> t.adminScope(org).joining(auto).users().list())
          .isInstanceOf(TenantContextException.class).hasMessageContaining("auto-commit");
    }
    try (Connection admin = t.admin().getConnection()) {
      admin.setAutoCommit(false);
      assertThatThrownBy(() -> t.adminScope(org).joining(admin).users().list())
          .isInstanceOf(TenantContextException.class).hasMessageContaining("runtime role");
      admin.rollback();
    }
    try (Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      TenantScope joined = t.adminScope(org).joining(host);
      assertThat(joined.users().list()).hasSize(1);
      assertThatThrownBy(() -> joined.users().invite("nohook@example.com", Role.AGENT))
          .isInstanceOf(TenantContextException.class).hasMessageContaining("AfterCommit");
      host.commit();
    }
    assertThat(t.adminScope(org).users().pendingInvitations()).as("the refused call wrote nothing").isEmpty();
  }

  @Test
  void theTenantIsSetInEveryTransactionNotOncePerConnection() {
    // One pooled connection serves both tenants in turn; each call must set its own context.
    try (TestCrm single = TestCrm.start(1, b -> {})) {
      ProvisionedOrganization a = single.provision();
      ProvisionedOrganization b = single.provision();
      for (int i = 0; i < 3; i++) {
        assertThat(single.adminScope(a).users().list()).extracting(User::email).containsExactly(a.admin().email());
        assertThat(single.adminScope(b).users().list()).extracting(User::email).containsExactly(b.admin().email());
      }
    }
  }

  @Test
  void roleTableIsEnforced() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    UUID orgId = org.organization().id();
    User manager = join(admin, "manager@example.com", Role.MANAGER);
    User agent = join(admin, "agent@example.com", Role.AGENT);
    User member = join(admin, "member@example.com", Role.MEMBER);
    TenantScope asManager = t.crm.tenant(orgId).as(manager.id());
    TenantScope asAgent = t.crm.tenant(orgId).as(agent.id());
    TenantScope asMember = t.crm.tenant(orgId).as(member.id());

    // Everyone reads.
    for (TenantScope scope : List.of(admin, asManager, asAgent, asMember)) {
      assertThat(scope.users().list()).hasSize(4);
      assertThat(scope.organization().get().id()).isEqualTo(orgId);
      assertThat(scope.entitlements().limit(Limit.USERS)).hasValue(50);
    }
    // Invite: admins any role, managers agents and members only, nobody else.
    assertThat(admin.users().invite("new-admin@example.com", Role.ADMIN)).isNotNull();
    IssuedInvitation byManager = asManager.users().invite("new-agent@example.com", Role.AGENT);
    assertThatThrownBy(() -> asManager.users().invite("new-manager@example.com", Role.MANAGER))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asManager.users().invite("new-admin2@example.com", Role.ADMIN))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asAgent.users().invite("x@example.com", Role.MEMBER)).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asMember.users().invite("y@example.com", Role.MEMBER)).isInstanceOf(ForbiddenException.class);
    // Revoke: admins and managers (managers not an admin's invitation).
    UUID adminInvite = admin.users().pendingInvitations().stream()
        .filter(i -> i.role() == Role.ADMIN).findFirst().orElseThrow().id();
    assertThatThrownBy(() -> asManager.users().revokeInvitation(adminInvite)).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asAgent.users().revokeInvitation(byManager.invitation().id()))
        .isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> asMember.users().revokeInvitation(byManager.invitation().id()))
        .isInstanceOf(ForbiddenException.class);
    asManager.users().revokeInvitation(byManager.invitation().id());
    admin.users().revokeInvitation(adminInvite);
    // Change role and deactivate: admins only.
    for (TenantScope scope : List.of(asManager, asAgent, asMember)) {
      assertThatThrownBy(() -> scope.users().changeRole(member.id(), Role.AGENT)).isInstanceOf(ForbiddenException.class);
      assertThatThrownBy(() -> scope.users().deactivate(member.id())).isInstanceOf(ForbiddenException.class);
      assertThatThrownBy(() -> scope.organization().update(OrganizationUpdate.builder().name("Hijacked").build()))
          .isInstanceOf(ForbiddenException.class);
    }
    assertThat(admin.users().changeRole(member.id(), Role.AGENT).role()).isEqualTo(Role.AGENT);
    assertThat(admin.organization().update(OrganizationUpdate.builder().name("Renamed").build()).name())
        .isEqualTo("Renamed");
    assertThat(admin.users().deactivate(member.id()).active()).isFalse();
    assertThat(admin.users().pendingInvitations()).isEmpty();
  }

  @Test
  void workForAnotherTenantOrThePlatformInsideATransactionIsRefused() {
    ProvisionedOrganization org = t.provision();
    ProvisionedOrganization other = t.provision();
    TenantScope admin = t.adminScope(org);
    assertThatThrownBy(() -> admin.inTransaction(tx -> t.adminScope(other).users().list()))
        .isInstanceOf(TenantContextException.class).hasMessageContaining(org.organization().id().toString());
    assertThatThrownBy(() -> admin.inTransaction(tx -> {
      tx.users().invite("nested@example.com", Role.AGENT);
      return t.crm.platform().changePlan(org.organization().id(), "business");
    })).isInstanceOf(TenantContextException.class);
    assertThat(admin.users().pendingInvitations()).as("the outer work rolled back").isEmpty();
    assertThat(admin.organization().get().planSlug()).isEqualTo("professional");
    // The same tenant through another scope object joins rather than opening a second transaction.
    List<User> joined = admin.inTransaction(tx -> t.crm.tenant(org.organization().id()).asSystem("job").users().list());
    assertThat(joined).hasSize(1);
  }

  @Test
  void theTransactionScopeRefusesOtherThreadsAndUseAfterTheCallback() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    TenantScope[] leaked = new TenantScope[1];
    Object fromOtherThread = admin.inTransaction(tx -> {
      leaked[0] = tx;
      tx.users().invite("inside@example.com", Role.AGENT);
      return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return tx.users().invite("escaped@example.com", Role.AGENT);
        } catch (RuntimeException e) {
          return e;
        }
      }).get(30, java.util.concurrent.TimeUnit.SECONDS);
    });
    assertThat(fromOtherThread).isInstanceOf(TenantContextException.class);
    assertThatThrownBy(() -> leaked[0].users().list()).isInstanceOf(TenantContextException.class)
        .hasMessageContaining("ended");
    assertThat(admin.users().pendingInvitations()).extracting(Invitation::email).containsExactly("inside@example.com");
  }

  @Test
  void theCallbacksOwnExceptionsReachTheCallerUnchanged() {
    ProvisionedOrganization org = t.provision();
    java.sql.SQLException hostFailure = new java.sql.SQLException("host's own", "23505");
    assertThatThrownBy(() -> t.adminScope(org).inTransaction(tx -> {
      tx.users().list();
      throw hostFailure;
    })).isSameAs(hostFailure);
    RuntimeException wrapped = new IllegalStateException(new java.sql.SQLException("framework", "23505"));
    assertThatThrownBy(() -> t.adminScope(org).inTransaction(tx -> {
      throw wrapped;
    })).isSameAs(wrapped);
  }

  @Test
  void aDuplicateExternalReferenceIsAConflictNotARawDatabaseError() {
    ProvisionedOrganization org = t.provision();
    // The external reference is unique per organization: the second insert fails in the database.
    User first = t.crm.acceptInvitation(t.adminScope(org).users().invite("r1@example.com", Role.AGENT).token(),
        NewMember.of("R1", "same-ref"));
    IssuedInvitation second = t.adminScope(org).users().invite("r2@example.com", Role.AGENT);
    assertThatThrownBy(() -> t.crm.acceptInvitation(second.token(), NewMember.of("R2", "same-ref")))
        .isInstanceOf(ConflictException.class);
    assertThat(first.externalRef()).hasValue("same-ref");
  }

  @Test
  void aFailingAfterCommitActionDoesNotFailTheCommittedCall() {
    ProvisionedOrganization org = t.provision();
    List<String> ran = new CopyOnWriteArrayList<>();
    Integer result = TenantWork.call(t.adminScope(org), tx -> {
      tx.afterCommit(() -> {
        throw new IllegalStateException("mail server down");
      });
      tx.afterCommit(() -> ran.add("second"));
      return 42;
    });
    assertThat(result).isEqualTo(42);
    assertThat(ran).as("later actions still run").containsExactly("second");
  }

  @Test
  void anAdminWhoDeactivatesThemselvesLosesTheirRightsInTheSameTransaction() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    join(admin, "second-admin@example.com", Role.ADMIN);
    assertThatThrownBy(() -> admin.inTransaction(tx -> {
      tx.users().deactivate(org.admin().id());
      return tx.users().invite("after@example.com", Role.ADMIN);
    })).isInstanceOf(NotMemberException.class);
  }

  @Test
  void aDemotionCommittedWhileWaitingForTheLockIsSeen() throws Exception {
    ProvisionedOrganization org = t.provision();
    TenantScope first = t.adminScope(org);
    User second = join(first, "rival@example.com", Role.ADMIN);
    TenantScope rival = t.crm.tenant(org.organization().id()).as(second.id());
    try (Connection host = t.runtime().getConnection()) {
      host.setAutoCommit(false);
      // The rival demotes the first admin in a transaction that holds the organization's lock…
      rival.joining(host, action -> {}).users().changeRole(org.admin().id(), Role.AGENT);
      java.util.concurrent.CompletableFuture<Object> invite = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return first.users().invite("late-admin@example.com", Role.ADMIN);
        } catch (RuntimeException e) {
          return e;
        }
      });
      // …while the first admin's invitation waits for it.
      waitForALockWait();
      host.commit();
      assertThat(invite.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(ForbiddenException.class);
    }
    assertThat(first.users().pendingInvitations()).isEmpty();
  }

  private static void waitForALockWait() throws Exception {
    for (int i = 0; i < 200; i++) {
      if (!MigrationTest.query(t.admin(), "select pid from pg_stat_activity where datname = current_database()"
          + " and wait_event_type = 'Lock'").isEmpty()) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the invitation never waited for the organization's lock");
  }

  private static User join(TenantScope admin, String email, Role role) {
    return t.crm.acceptInvitation(admin.users().invite(email, role).token(), NewMember.named(email));
  }
}
