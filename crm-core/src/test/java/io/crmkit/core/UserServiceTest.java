package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.NotMemberException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Invitation;
import io.crmkit.core.users.IssuedInvitation;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserServiceTest {
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(8, b -> b.clock(clock));
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void anInviteeJoinsWithTheOfferedRoleAndTheTokenWorksOnce() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    IssuedInvitation issued = admin.users().invite("  Omar@Example.COM ", Role.AGENT);
    assertThat(issued.invitation().email()).isEqualTo("Omar@Example.COM");
    assertThat(issued.invitation().expiresAt()).isEqualTo(clock.instant().plus(Crm.DEFAULT_INVITATION_TTL));
    assertThat(issued.toString()).doesNotContain(issued.token());
    assertThat(admin.users().pendingInvitations()).extracting(Invitation::id).containsExactly(issued.invitation().id());

    User omar = t.crm.acceptInvitation(issued.token(), NewMember.of("Omar Haddad", "host-omar"));
    assertThat(omar.organizationId()).isEqualTo(org.organization().id());
    assertThat(omar.role()).isEqualTo(Role.AGENT);
    assertThat(omar.fullName()).hasValue("Omar Haddad");
    assertThat(omar.externalRef()).hasValue("host-omar");
    assertThat(omar.invitedBy()).hasValue(org.admin().id());
    assertThat(admin.users().pendingInvitations()).isEmpty();
    assertThat(t.crm.tenant(org.organization().id()).as(omar.id()).users().list()).hasSize(2);

    assertThatThrownBy(() -> t.crm.acceptInvitation(issued.token(), NewMember.named("Again")))
        .isInstanceOf(NotFoundException.class).hasMessageNotContaining(issued.token());
  }

  @Test
  void onlyTheTokensHashIsStored() throws Exception {
    ProvisionedOrganization org = t.provision();
    IssuedInvitation issued = t.adminScope(org).users().invite("hash@example.com", Role.MEMBER);
    String expected = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(issued.token().getBytes(StandardCharsets.US_ASCII)));
    assertThat(MigrationTest.query(t.admin(), "select encode(token_hash, 'hex') from crm.invitations where id = '"
        + issued.invitation().id() + "'")).containsExactly(expected);
    assertThat(MigrationTest.query(t.admin(), "select count(*) from crm.invitations i where"
        + " position('" + issued.token() + "' in i::text) > 0")).containsExactly("0");
  }

  @Test
  void unknownMalformedAndExpiredTokensAreRefused() {
    ProvisionedOrganization org = t.provision();
    assertThatThrownBy(() -> t.crm.acceptInvitation("not-a-token", NewMember.named("X")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> t.crm.acceptInvitation("A".repeat(43), NewMember.named("X")))
        .isInstanceOf(NotFoundException.class);
    IssuedInvitation issued = t.adminScope(org).users().invite("late@example.com", Role.AGENT);
    clock.advance(Crm.DEFAULT_INVITATION_TTL.plusSeconds(1));
    try {
      assertThatThrownBy(() -> t.crm.acceptInvitation(issued.token(), NewMember.named("Late")))
          .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("token");
      assertThat(t.adminScope(org).users().list()).hasSize(1);
      // The expired invitation no longer holds a seat or blocks a new invitation to the same address.
      assertThat(t.adminScope(org).users().pendingInvitations()).isEmpty();
      assertThat(t.adminScope(org).users().invite("late@example.com", Role.AGENT).token()).isNotEqualTo(issued.token());
    } finally {
      clock.advance(Duration.ofDays(30));
    }
  }

  @Test
  void duplicatesConflictNamingTheExistingRecordAndBadEmailsChangeNothing() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    IssuedInvitation first = admin.users().invite("dup@example.com", Role.AGENT);
    assertThatThrownBy(() -> admin.users().invite("DUP@example.com", Role.MEMBER))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).hasValue(first.invitation().id()));
    assertThatThrownBy(() -> admin.users().invite(org.admin().email().toUpperCase(), Role.MEMBER))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).hasValue(org.admin().id()));
    assertThatThrownBy(() -> admin.users().invite("not an email", Role.MEMBER))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("email");
    assertThat(admin.users().pendingInvitations()).hasSize(1);
  }

  @Test
  void seatsNeverExceedTheLimitUnderConcurrentInvitations() throws Exception {
    ProvisionedOrganization org = t.provision("free"); // max_users = 3, the admin holds one seat
    TenantScope admin = t.adminScope(org);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        String email = "agent" + i + "@example.com";
        Callable<Object> invite = () -> {
          start.await();
          try {
            return admin.users().invite(email, Role.AGENT);
          } catch (LimitExceededException e) {
            return e;
          }
        };
        results.add(pool.submit(invite));
      }
      start.countDown();
      int invited = 0;
      int refused = 0;
      for (Future<Object> result : results) {
        Object outcome = result.get();
        if (outcome instanceof IssuedInvitation) {
          invited++;
        } else {
          LimitExceededException e = (LimitExceededException) outcome;
          assertThat(e.limit()).isEqualTo(Limit.USERS);
          assertThat(e.value()).isEqualTo(3);
          assertThat(e.planSlug()).isEqualTo("free");
          refused++;
        }
      }
      assertThat(invited).isEqualTo(2);
      assertThat(refused).isEqualTo(18);
    } finally {
      pool.shutdown();
    }
    assertThat(admin.users().pendingInvitations()).hasSize(2);
  }

  @Test
  void acceptingRechecksSeatsAndDeactivationFreesOne() {
    ProvisionedOrganization org = t.provision("free");
    TenantScope admin = t.adminScope(org);
    IssuedInvitation one = admin.users().invite("one@example.com", Role.AGENT);
    IssuedInvitation two = admin.users().invite("two@example.com", Role.AGENT);
    assertThatThrownBy(() -> admin.users().invite("three@example.com", Role.AGENT))
        .isInstanceOf(LimitExceededException.class);
    User first = t.crm.acceptInvitation(one.token(), NewMember.named("One"));
    // The plan shrinks under a pending invitation: accepting it must not overshoot.
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.USERS, OptionalLong.of(2));
    assertThatThrownBy(() -> t.crm.acceptInvitation(two.token(), NewMember.named("Two")))
        .isInstanceOf(LimitExceededException.class);
    admin.users().deactivate(first.id());
    assertThat(t.crm.acceptInvitation(two.token(), NewMember.named("Two")).email()).isEqualTo("two@example.com");
  }

  @Test
  void aDeactivatedMemberCannotActAndComesBackAsTheSameUserWhenReinvited() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    User agent = t.crm.acceptInvitation(admin.users().invite("back@example.com", Role.AGENT).token(),
        NewMember.named("Back"));
    admin.users().deactivate(agent.id());
    TenantScope asAgent = t.crm.tenant(org.organization().id()).as(agent.id());
    assertThatThrownBy(() -> asAgent.users().list()).isInstanceOf(NotMemberException.class);
    IssuedInvitation asSomeoneElse = admin.users().invite("back@example.com", Role.MANAGER);
    // Coming back fills in what the invitee now says of itself…
    User again = t.crm.acceptInvitation(asSomeoneElse.token(), NewMember.of("Back Again", "host-back"));
    assertThat(again.id()).isEqualTo(agent.id());
    assertThat(again.role()).isEqualTo(Role.MANAGER);
    assertThat(again.active()).isTrue();
    assertThat(again.fullName()).hasValue("Back Again");
    assertThat(again.externalRef()).hasValue("host-back");
    // …but a different host reference than the one on record is someone else.
    admin.users().deactivate(agent.id());
    IssuedInvitation third = admin.users().invite("back@example.com", Role.AGENT);
    assertThatThrownBy(() -> t.crm.acceptInvitation(third.token(), NewMember.of("Impostor", "host-other")))
        .isInstanceOf(ConflictException.class);
    assertThat(admin.users().get(agent.id())).get().extracting(User::active).isEqualTo(false);
  }

  @Test
  void theLastActiveAdminCannotBeDemotedOrDeactivated() {
    ProvisionedOrganization org = t.provision();
    TenantScope admin = t.adminScope(org);
    UUID adminId = org.admin().id();
    assertThatThrownBy(() -> admin.users().changeRole(adminId, Role.AGENT)).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> admin.users().deactivate(adminId)).isInstanceOf(ConflictException.class);
    User second = t.crm.acceptInvitation(admin.users().invite("admin2@example.com", Role.ADMIN).token(),
        NewMember.named("Second"));
    assertThat(admin.users().changeRole(adminId, Role.AGENT).role()).isEqualTo(Role.AGENT);
    assertThat(t.crm.tenant(org.organization().id()).as(second.id()).users().get(adminId))
        .get().extracting(User::role).isEqualTo(Role.AGENT);
  }

  @Test
  void unknownUsersAndInvitationsAreNotFound() {
    ProvisionedOrganization org = t.provision();
    ProvisionedOrganization other = t.provision();
    TenantScope admin = t.adminScope(org);
    assertThat(admin.users().get(other.admin().id())).as("another tenant's user does not exist here").isEmpty();
    assertThatThrownBy(() -> admin.users().changeRole(other.admin().id(), Role.MEMBER))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.users().deactivate(other.admin().id())).isInstanceOf(NotFoundException.class);
    IssuedInvitation theirs = t.adminScope(other).users().invite("theirs@example.com", Role.AGENT);
    assertThatThrownBy(() -> admin.users().revokeInvitation(theirs.invitation().id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(t.adminScope(other).users().pendingInvitations()).hasSize(1);
  }
}
