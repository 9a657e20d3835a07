package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void provisionsAndReads() {
    try (TestCrm t = TestCrm.start()) {
      ProvisionedOrganization org = t.provision();
      TenantScope scope = t.adminScope(org);
      assertThat(scope.users().list()).extracting(User::email).containsExactly(org.admin().email());
      IssuedInvitation inv = scope.users().invite("Omar@Example.com", Role.AGENT);
      User omar = t.crm.acceptInvitation(inv.token(), NewMember.named("Omar"));
      assertThat(omar.role()).isEqualTo(Role.AGENT);
      assertThat(scope.entitlements().limit(Limit.USERS)).hasValue(50);
      assertThat(scope.organization().get().defaultLanguage()).isEqualTo("ar");
    }
  }
}
