package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Invitation;
import io.crmkit.core.users.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CustomizedStartTest {
  private static final Instant NOW = Instant.parse("2030-01-01T09:00:00Z");

  @Test
  void crmUsesTheClockAndInvitationLifetimeTheTestSets() {
    try (CrmTestKit kit = CrmTestKit.start(crm -> crm
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .invitationTtl(Duration.ofHours(1)))) {
      ProvisionedOrganization acme = kit.provisionOrganization("acme");
      TenantScope scope = kit.crm().tenant(acme.organization().id()).as(acme.admin().id());

      Invitation invitation = scope.users().invite("omar@acme.example", Role.AGENT).invitation();

      assertThat(acme.organization().trialEndsAt()).as("trial end on the fixed clock")
          .hasValue(NOW.plus(Duration.ofDays(14)));
      assertThat(invitation.expiresAt()).as("invitation expiry").isEqualTo(NOW.plus(Duration.ofHours(1)));
      assertThat(kit.crm().runtimeRole()).as("the kit's runtime DataSource still wins").isEqualTo("crm_app");
    }
  }
}
