package io.crmkit.core.spi;

import io.crmkit.core.Crm;
import java.util.List;
import java.util.UUID;

/**
 * A CRMKit module (core, whatsapp, ticketing, a bridge, …) as {@code Crm} sees it: its migrations,
 * its mappers, the services it installs, and its part in provisioning and customer merges. Found
 * with {@link java.util.ServiceLoader} (each module jar lists its implementation in
 * {@code META-INF/services/io.crmkit.core.spi.CrmModule}, which needs a public no-argument
 * constructor); a module with settings is given configured to {@code Crm.Builder.module(…)}, which
 * takes the place of the one found. {@link #install} runs once per {@code Crm}, and whatever state
 * a Crm's services share is made there, so one configured instance may serve several Crms.
 *
 * <p>Migrations of a module live at {@code classpath:io/crmkit/<name>/db/migration}, never shared,
 * and are recorded in the module's own history table {@code flyway_history_<name>}.
 *
 * <pre>{@code
 * public final class TicketingModule implements CrmModule {
 *   public String name() { return "ticketing"; }
 *   public List<String> dependsOn() { return List.of("core"); }
 *   public List<Class<?>> mappers() { return List.of(TicketMapper.class); }
 *   public void install(ModuleContext context) {
 *     context.tenantService(TicketService.class, scope -> new Tickets(scope));  // an internal class
 *   }
 * }
 * }</pre>
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
   * The module's MyBatis mapper interfaces. Each one's SQL is in the XML file of the same name
   * beside it (same package path under {@code src/main/resources}); all modules' mappers share one
   * MyBatis configuration per {@code Crm}, with its type handlers (UUIDs, {@code timestamptz} as
   * {@code Instant}, {@code jsonb} as {@code JsonNode}, {@code text[]} as {@code List<String>},
   * enums as their lowercase names).
   */
  default List<Class<?>> mappers() {
    return List.of();
  }

  /**
   * Installs the module on a {@code Crm} being built, after the modules it depends on: registers
   * its services and extensions. Refuses (with an {@link IllegalStateException} naming the
   * setting) when a setting it needs is missing, so a host learns at start, not at first use.
   */
  default void install(ModuleContext context) {}

  /**
   * Adds the module's per-organization defaults to a new organization, in the provisioning
   * transaction, acting as the owner role. Runs after the dependencies' hooks.
   */
  default void provision(ModuleTransaction tx, UUID organizationId) {}

  /**
   * Moves this module's rows of customer {@code duplicate} to customer {@code survivor} (its
   * conversations, tickets, campaign recipients, …), in the merge's tenant transaction, before the
   * duplicate is deleted. Rows that would collide with the survivor's are the module's to reconcile.
   */
  default void mergeCustomers(TenantTransaction tx, UUID survivor, UUID duplicate) {}
}
