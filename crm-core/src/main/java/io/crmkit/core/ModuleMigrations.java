package io.crmkit.core;

import java.util.Objects;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * One module's ready Flyway configuration, for hosts that run Flyway themselves: create the schema
 * owned by the owner role and pg_trgm first ({@code CREATE SCHEMA crm AUTHORIZATION crm_owner;
 * CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA crm}), then call
 * {@code configuration().load().migrate()} for each, in the order {@link Crm#migrations()} gives.
 * The configuration is Flyway's own (mutable) type: take it, don't keep it.
 *
 * @param module the module's name, e.g. {@code "core"}
 * @param configuration its location, history table ({@code flyway_history_<module>}), schema,
 *     baseline (version 0), owner role and placeholders
 */
public record ModuleMigrations(String module, FluentConfiguration configuration) {
  /** Creates the record. */
  public ModuleMigrations {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(configuration, "configuration");
  }
}
