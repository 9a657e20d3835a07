package io.crmkit.core.spi;

import io.crmkit.core.Crm;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * A CRMKit module (core, whatsapp, ticketing, …) as {@code Crm} sees it: its migrations and what
 * it adds when an organization is provisioned. Found with {@link java.util.ServiceLoader}; each
 * module jar lists its implementation in {@code META-INF/services/io.crmkit.core.spi.CrmModule}.
 *
 * <p>Migrations of a module live at {@code classpath:io/crmkit/<name>/db/migration}, never shared,
 * and are recorded in the module's own history table {@code flyway_history_<name>}.
 */
public interface CrmModule {

  /** The module's name: lowercase letters, e.g. {@code "core"}; also its migration folder. */
  String name();

  /** Names of the modules whose tables this module's migrations reference; migrated before it. */
  List<String> dependsOn();

  /** The Flyway location of this module's migrations. */
  default String migrationLocation() {
    return "classpath:io/crmkit/" + name() + "/db/migration";
  }

  /**
   * Adds the module's per-organization defaults to a new organization, in the provisioning
   * transaction, on a connection acting as the owner role. Runs after the dependencies' hooks.
   */
  default void provision(Connection connection, String schema, UUID organizationId) throws SQLException {}

  /**
   * Moves this module's rows of customer {@code duplicate} to customer {@code survivor} (its
   * conversations, tickets, campaign recipients, …), in the merge's transaction, on the runtime
   * connection with the tenant set, before the duplicate is deleted. Rows that would collide with
   * the survivor's are the module's to reconcile.
   */
  default void mergeCustomers(Connection connection, String schema, UUID organizationId, UUID survivor,
      UUID duplicate) throws SQLException {}
}
