package io.crmkit.core.internal;

import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.platform.OrganizationUpdate;
import io.crmkit.core.users.Role;
import java.util.Objects;

/** {@link OrganizationSettings} over the organizations table. */
final class SqlOrganizationSettings implements OrganizationSettings {
  private final SqlTenantScope scope;

  SqlOrganizationSettings(SqlTenantScope scope) {
    this.scope = scope;
  }

  @Override
  public Organization get() {
    return scope.call(SqlOrganizationSettings::read);
  }

  @Override
  public Organization update(OrganizationUpdate update) {
    Objects.requireNonNull(update, "update");
    String name = update.name().map(n -> Inputs.text("name", n, 255)).orElse(null);
    String domain = update.domain().map(d -> Inputs.text("domain", d, 255)).orElse(null);
    String language = update.defaultLanguage().map(l -> Inputs.language("defaultLanguage", l)).orElse(null);
    String zone = update.timeZone().map(z -> Inputs.timeZone("timeZone", z)).orElse(null);
    return scope.call(tx -> {
      SqlUserService.lock(tx);
      tx.requireRole(scope.actor(), "organization.update", Role.ADMIN);
      if (update.isEmpty()) {
        return read(tx);
      }
      if (zone != null && !tx.mapper(OrganizationMapper.class).isTimeZone(zone)) {
        throw new ValidationException("timeZone", "the database does not know the time zone " + zone);
      }
      tx.mapper(OrganizationMapper.class).update(tx.organizationId(), name, domain, language, zone,
          update.settings().map(Json::fromMap).orElse(null));
      return read(tx);
    });
  }

  static Organization read(Tx tx) {
    Rows.OrganizationRow row = tx.mapper(OrganizationMapper.class).find(tx.organizationId());
    if (row == null) {
      throw new NotFoundException("organization", tx.organizationId());
    }
    return row.toOrganization();
  }
}
