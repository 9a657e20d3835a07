package io.crmkit.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.Change;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Organization;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.platform.OrganizationUpdate;
import io.crmkit.core.spi.Inputs;
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
    String name = set(update.name().map(n -> Inputs.text("name", n, 255)));
    String domain = set(update.domain().map(d -> Inputs.text("domain", d, 255)));
    String language = set(update.defaultLanguage().map(l -> Inputs.language("defaultLanguage", l)));
    String zone = set(update.timeZone().map(z -> Inputs.timeZone("timeZone", z)));
    JsonNode settings = set(update.settings().map(m -> Inputs.customFields("settings", m)));
    boolean clearDomain = update.domain() instanceof Change.Clear;
    return scope.call(tx -> {
      SqlUserService.lock(tx);
      tx.requireRole(scope.actor(), "organization.update", Role.ADMIN);
      if (update.isEmpty()) {
        return read(tx);
      }
      if (zone != null && !tx.mapper(OrganizationMapper.class).isTimeZone(zone)) {
        throw new ValidationException("timeZone", "the database does not know the time zone " + zone);
      }
      tx.mapper(OrganizationMapper.class).update(tx.organizationId(), name, domain, clearDomain, language, zone,
          settings);
      return read(tx);
    });
  }

  /** The value a change sets, or null when it keeps (or clears) the field. */
  private static <T> T set(Change<T> change) {
    return change instanceof Change.To<T> to ? to.value() : null;
  }

  static Organization read(Tx tx) {
    Rows.OrganizationRow row = tx.mapper(OrganizationMapper.class).find(tx.organizationId());
    if (row == null) {
      throw new NotFoundException("organization", tx.organizationId());
    }
    return row.toOrganization();
  }
}
