package io.crmkit.core.platform;

import io.crmkit.core.users.User;
import java.util.Objects;

/**
 * The result of provisioning: the organization and its first admin.
 *
 * @param organization the new organization
 * @param admin its first admin, who can act at once with {@code crm.tenant(org).as(admin.id())}
 */
public record ProvisionedOrganization(Organization organization, User admin) {
  /** Creates the record. */
  public ProvisionedOrganization {
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(admin, "admin");
  }
}
