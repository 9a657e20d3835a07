package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotMemberException;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import org.junit.jupiter.api.Test;

class TenantIsolationTest {

  @Test
  void organizationsDoNotSeeEachOthersUsers() {
    try (CrmTestKit kit = CrmTestKit.start()) {
      ProvisionedOrganization acme = kit.provisionOrganization("acme");
      ProvisionedOrganization globex = kit.provisionOrganization("globex");
      TenantScope acmeAdmin = kit.crm().tenant(acme.organization().id()).as(acme.admin().id());
      TenantScope globexAdmin = kit.crm().tenant(globex.organization().id()).as(globex.admin().id());
      kit.crm().acceptInvitation(acmeAdmin.users().invite("omar@acme.example", Role.AGENT).token(),
          NewMember.named("Omar"));

      assertThat(acmeAdmin.users().list()).as("acme's users").extracting(User::email)
          .containsExactly("admin@acme.example", "omar@acme.example");
      assertThat(globexAdmin.users().list()).as("globex's users").extracting(User::email)
          .containsExactly("admin@globex.example");
      assertThat(acmeAdmin.users().get(globex.admin().id())).as("globex's admin looked up from acme")
          .isEmpty();
    }
  }

  @Test
  void aUserCannotActInAnotherOrganization() {
    try (CrmTestKit kit = CrmTestKit.start()) {
      ProvisionedOrganization acme = kit.provisionOrganization("acme");
      ProvisionedOrganization globex = kit.provisionOrganization("globex");
      TenantScope acmeAdminInGlobex = kit.crm().tenant(globex.organization().id()).as(acme.admin().id());

      assertThatThrownBy(() -> acmeAdminInGlobex.users().list())
          .isInstanceOf(NotMemberException.class)
          .extracting(e -> ((NotMemberException) e).organizationId())
          .isEqualTo(globex.organization().id());
    }
  }
}
