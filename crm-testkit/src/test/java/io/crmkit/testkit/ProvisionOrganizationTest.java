package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.Role;
import org.junit.jupiter.api.Test;

class ProvisionOrganizationTest {

  @Test
  void provisionsOnProfessionalInSaudiArabiaWithAnAdminAtTheSlugsDomain() {
    try (CrmTestKit kit = CrmTestKit.start()) {
      ProvisionedOrganization acme = kit.provisionOrganization("acme");

      assertThat(acme.organization().slug()).isEqualTo("acme");
      assertThat(acme.organization().planSlug()).isEqualTo("professional");
      assertThat(acme.organization().defaultRegion()).isEqualTo("SA");
      assertThat(acme.admin().email()).isEqualTo("admin@acme.example");
      assertThat(acme.admin().role()).isEqualTo(Role.ADMIN);
      assertThat(acme.admin().organizationId()).isEqualTo(acme.organization().id());

      TenantScope scope = kit.crm().tenant(acme.organization().id()).as(acme.admin().id());
      assertThat(scope.entitlements().plan().slug()).as("plan seen through the tenant scope")
          .isEqualTo("professional");
      assertThat(scope.entitlements().limit(Limit.USERS)).hasValue(50);
      assertThat(kit.crm().platform().findBySlug("acme"))
          .hasValueSatisfying(ref -> assertThat(ref.id()).isEqualTo(acme.organization().id()));
    }
  }

  @Test
  void refusesASlugTwice() {
    try (CrmTestKit kit = CrmTestKit.start()) {
      ProvisionedOrganization first = kit.provisionOrganization("acme");

      assertThatThrownBy(() -> kit.provisionOrganization("acme"))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("acme");
      assertThat(kit.crm().platform().findBySlug("acme"))
          .hasValueSatisfying(ref -> assertThat(ref.id()).isEqualTo(first.organization().id()));
    }
  }
}
