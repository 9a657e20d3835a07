package io.crmkit.testkit;

import io.crmkit.testdb.TenancyAttack;
import io.crmkit.testdb.TenancyCatalog;
import io.crmkit.testdb.TenancyViolation;
import io.crmkit.testdb.TestPostgres;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The foundation's tenancy rules checked over a whole migrated schema, every module in it: first
 * the catalog (row security with the bare-equality policy on every tenant table, the tenant in
 * every key and foreign key, SECURITY DEFINER functions owned by the owner with a pinned
 * search_path and no EXECUTE for PUBLIC, no table the runtime role reaches without a policy; see
 * {@link TenancyViolation.Rule}), then an attack through plain JDBC as the runtime role: a row of
 * tenant A in every tenant table is read, updated, deleted and referenced as tenant B, and must
 * stay invisible and unchanged. A table a module adds later without these fails the check.
 *
 * <pre>{@code
 * try (CrmTestKit kit = CrmTestKit.start()) {
 *   UUID a = kit.provisionOrganization("acme").organization().id();
 *   UUID b = kit.provisionOrganization("globex").organization().id();
 *   // … give A a row in every tenant table, through the services …
 *   TenancyCheck.of(kit).assertClean(a, b);
 * }
 * }</pre>
 *
 * <p>A tenant table is one with an {@code organization_id} column, and the tenant root
 * {@code organizations} (its {@code id} is the tenant). Tables that are deliberately not tenant
 * tables are listed, each with its reason: {@link #CRMKIT_EXCEPTIONS}, and a host's or module's own
 * through {@link #except}. Tenant A needs a row in every tenant table (a table without one is a
 * violation: the attack could not try it); B is best a tenant with no rows but those provisioning
 * gives it, so that a copy of A's row collides with no unique value of B's.
 *
 * <p>Immutable and thread-safe; each call reads the database afresh.
 */
public final class TenancyCheck {
  /** CRMKit's own tables that are not tenant tables, and why. */
  public static final Map<String, String> CRMKIT_EXCEPTIONS = crmKitExceptions();

  private final DataSource superuser;
  private final String schema;
  private final String ownerRole;
  private final String runtimeRole;
  private final Map<String, String> exceptions;

  private TenancyCheck(DataSource superuser, String schema, String ownerRole, String runtimeRole,
      Map<String, String> exceptions) {
    this.superuser = superuser;
    this.schema = schema;
    this.ownerRole = ownerRole;
    this.runtimeRole = runtimeRole;
    this.exceptions = exceptions;
  }

  /**
   * A check of {@code schema}, with {@link #CRMKIT_EXCEPTIONS} as its exceptions.
   *
   * @param superuser connections as a superuser (the migration login), which reads every tenant's
   *     rows and takes the runtime role with {@code SET ROLE} for the attack
   * @param schema CRMKit's schema, e.g. {@code crm}
   * @param ownerRole the NOLOGIN role that owns it, e.g. {@code crm_owner}
   * @param runtimeRole the role the application connects as, e.g. {@code crm_app}
   */
  public static TenancyCheck of(DataSource superuser, String schema, String ownerRole, String runtimeRole) {
    return new TenancyCheck(Objects.requireNonNull(superuser, "superuser"), Objects.requireNonNull(schema, "schema"),
        Objects.requireNonNull(ownerRole, "ownerRole"), Objects.requireNonNull(runtimeRole, "runtimeRole"),
        CRMKIT_EXCEPTIONS);
  }

  /** A check of the kit's database: its schema, {@value TestPostgres#OWNER_ROLE} and the kit's runtime role. */
  public static TenancyCheck of(CrmTestKit kit) {
    Objects.requireNonNull(kit, "kit");
    return of(kit.adminDataSource(), kit.crm().schema(), TestPostgres.OWNER_ROLE, kit.crm().runtimeRole());
  }

  /**
   * This check with one more table that is deliberately not a tenant table.
   *
   * @param table the table's name, unqualified
   * @param reason why it is not a tenant table, for the reader of the test
   * @throws IllegalArgumentException if the reason is blank
   */
  public TenancyCheck except(String table, String reason) {
    Objects.requireNonNull(table, "table");
    if (Objects.requireNonNull(reason, "reason").isBlank()) {
      throw new IllegalArgumentException("an exception needs its reason: " + table);
    }
    Map<String, String> more = new LinkedHashMap<>(exceptions);
    more.put(table, reason);
    return new TenancyCheck(superuser, schema, ownerRole, runtimeRole, Collections.unmodifiableMap(more));
  }

  /** The tables that are not tenant tables, each with its reason, in the order listed. */
  public Map<String, String> exceptions() {
    return exceptions;
  }

  /** The breaches of the catalog rules; empty when the schema keeps them all. */
  public List<TenancyViolation> catalogViolations() {
    return TenancyCatalog.violations(superuser, schema, ownerRole, runtimeRole, exceptions.keySet());
  }

  /**
   * Attacks A's rows as B through plain JDBC as the runtime role, and reports every attempt and
   * what got through. The attempts that are refused or find nothing commit nothing of A's.
   *
   * @throws IllegalArgumentException if A and B are the same tenant
   */
  public TenancyAttack.Report attack(UUID tenantA, UUID tenantB) {
    return TenancyAttack.run(superuser, schema, runtimeRole, exceptions.keySet(),
        Objects.requireNonNull(tenantA, "tenantA"), Objects.requireNonNull(tenantB, "tenantB"));
  }

  private static Map<String, String> crmKitExceptions() {
    Map<String, String> exceptions = new LinkedHashMap<>();
    exceptions.put("packages", "the plan catalog, shared by every tenant; the runtime role only reads it, and its"
        + " policy shows a tenant its own plan (not the bare equality, by design)");
    exceptions.put("whatsapp_routes", "which tenant a WhatsApp number reaches, across tenants; no privilege for the"
        + " runtime role, read only through route_whatsapp_webhook()");
    return Collections.unmodifiableMap(exceptions);
  }

  /** The catalog's violations, then the attack's. */
  public List<TenancyViolation> violations(UUID tenantA, UUID tenantB) {
    List<TenancyViolation> all = new ArrayList<>(catalogViolations());
    all.addAll(attack(tenantA, tenantB).violations());
    return List.copyOf(all);
  }

  /**
   * Passes when {@link #violations} is empty.
   *
   * @throws AssertionError naming each violation, one a line
   */
  public void assertClean(UUID tenantA, UUID tenantB) {
    List<TenancyViolation> found = violations(tenantA, tenantB);
    if (!found.isEmpty()) {
      throw new AssertionError(found.size() + " tenancy violation(s) in schema " + schema + ":\n"
          + found.stream().map(TenancyViolation::toString).collect(Collectors.joining("\n")));
    }
  }
}
