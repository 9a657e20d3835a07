package io.crmkit.core.platform;

import java.util.Objects;
import java.util.UUID;

/**
 * The little that {@link Platform#findBySlug(String)} reveals about an organization:
 * enough to route a request, nothing of its data.
 *
 * @param id the organization id
 * @param name its display name
 */
public record OrganizationRef(UUID id, String name) {
  /** Creates the record. */
  public OrganizationRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
