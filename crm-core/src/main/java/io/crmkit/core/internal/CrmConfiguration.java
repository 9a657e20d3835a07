package io.crmkit.core.internal;

import io.crmkit.core.spi.CrmModule;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What a {@code Crm} was built with, checked by its builder and fixed from then on: the schema and
 * roles, the clock, the invitation lifetime, the data sources, the modules in dependency order and
 * the services they installed. Thread-safe.
 */
public final class CrmConfiguration {
  private final String schema;
  private final String ownerRole;
  private final String runtimeRole;
  private final String connectedRole;
  private final Clock clock;
  private final Duration invitationTtl;
  private final DataSource runtimeDataSource;
  private final DataSource migrationDataSource;
  private final List<CrmModule> modules;
  private final ModuleRegistry registry = new ModuleRegistry();

  /**
   * Creates the configuration; {@code runtimeRole} is null for a privileged Crm that did not name
   * one, {@code migrationDataSource} null when there is none (no migrations or platform work then).
   */
  public CrmConfiguration(String schema, String ownerRole, String runtimeRole, String connectedRole, Clock clock,
      Duration invitationTtl, DataSource runtimeDataSource, DataSource migrationDataSource,
      List<CrmModule> modules) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ownerRole = Objects.requireNonNull(ownerRole, "ownerRole");
    this.runtimeRole = runtimeRole;
    this.connectedRole = Objects.requireNonNull(connectedRole, "connectedRole");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.invitationTtl = Objects.requireNonNull(invitationTtl, "invitationTtl");
    this.runtimeDataSource = Objects.requireNonNull(runtimeDataSource, "runtimeDataSource");
    this.migrationDataSource = migrationDataSource;
    this.modules = List.copyOf(modules);
  }

  /** The schema CRMKit's tables live in. */
  public String schema() {
    return schema;
  }

  /** The NOLOGIN role that owns the schema. */
  public String ownerRole() {
    return ownerRole;
  }

  /** The role migrations grant to; null for a privileged Crm that did not name one. */
  public String runtimeRole() {
    return runtimeRole;
  }

  /** The role the runtime DataSource connects as. */
  public String connectedRole() {
    return connectedRole;
  }

  /** The modules, in dependency order, crm-core's first. */
  public List<CrmModule> modules() {
    return modules;
  }

  /** The services and extensions the modules installed. */
  public ModuleRegistry registry() {
    return registry;
  }

  /** The Crm's clock. */
  public Clock clock() {
    return clock;
  }

  Duration invitationTtl() {
    return invitationTtl;
  }

  DataSource runtimeDataSource() {
    return runtimeDataSource;
  }

  /** The privileged DataSource; null when the Crm has none. */
  DataSource migrationDataSource() {
    return migrationDataSource;
  }
}
