package io.crmkit.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.internal.CrmAccess;
import io.crmkit.core.internal.CrmConfiguration;
import io.crmkit.core.internal.CrmRuntime;
import io.crmkit.core.internal.InvitationAcceptance;
import io.crmkit.core.internal.Migrations;
import io.crmkit.core.internal.ModuleOrder;
import io.crmkit.core.internal.RuntimeRoleCheck;
import io.crmkit.core.internal.SqlPlatform;
import io.crmkit.core.internal.SqlTenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.Platform;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The entry object of CRMKit: one per application, thread-safe, services hang off it.
 *
 * <pre>{@code
 * Crm crm = Crm.builder()
 *     .dataSource(runtimeDataSource)          // connects as the runtime role (RLS applies)
 *     .migrationDataSource(adminDataSource)   // may SET ROLE crm_owner; for migrations and platform work
 *     .build();
 * crm.migrate();
 * ProvisionedOrganization acme = crm.platform().provision(OrganizationDraft.builder()
 *     .name("Acme").slug("acme").defaultRegion("SA").admin("sara@acme.example").build());
 * TenantScope scope = crm.tenant(acme.organization().id()).as(acme.admin().id());
 * scope.users().invite("omar@acme.example", Role.AGENT);
 * }</pre>
 *
 * <p>{@link #close()} closes the pool CRMKit created for {@link Builder#jdbcUrl}; data sources the
 * host passed in stay the host's to close.
 */
public final class Crm implements AutoCloseable {
  /** The schema CRMKit's tables live in unless {@link Builder#schema(String)} says otherwise. */
  public static final String DEFAULT_SCHEMA = "crm";
  /** The role that owns the schema unless {@link Builder#ownerRole(String)} says otherwise. */
  public static final String DEFAULT_OWNER_ROLE = "crm_owner";
  /** How long an invitation works unless {@link Builder#invitationTtl(Duration)} says otherwise. */
  public static final Duration DEFAULT_INVITATION_TTL = Duration.ofDays(7);

  static {
    // Lets crm-core's internals (the module SPI's bridge) reach a Crm's runtime without making it API.
    CrmAccess.install(crm -> crm.runtime);
  }

  private final CrmRuntime runtime;
  private final HikariDataSource ownedPool;
  private final DataSource migrationDataSource;
  private final ClassLoader classLoader;
  private final List<String> warnings;

  private Crm(CrmRuntime runtime, HikariDataSource ownedPool, DataSource migrationDataSource,
      ClassLoader classLoader, List<String> warnings) {
    this.runtime = runtime;
    this.ownedPool = ownedPool;
    this.migrationDataSource = migrationDataSource;
    this.classLoader = classLoader;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Problems found at start that do not stop CRMKit but make it work worse, each also logged at
   * WARN; for example a database whose {@code lc_ctype} does not classify Arabic letters, under
   * which trigram search finds no Arabic text.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** Starts configuring a {@code Crm}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Migrates every CRMKit module on the classpath, in dependency order, through the migration
   * DataSource: creates the schema (owned by the owner role) if needed, then runs each module's
   * Flyway as the owner role. Safe to call at every start; concurrent start-ups wait on an
   * advisory lock named for the schema.
   *
   * @throws IllegalStateException without a migration DataSource, or when the runtime DataSource is
   *     a privileged login and no {@link Builder#runtimeRole(String)} names the role to grant to
   */
  public void migrate() {
    Migrations.migrate(requireMigrationDataSource(), config().schema(), config().ownerRole(), requireGrantee(),
        config().modules(), classLoader);
  }

  /**
   * Checks, changing nothing, that the schema has every module's migrations as shipped: the
   * validate-only mode for hosts whose DBAs apply the DDL.
   *
   * @throws IllegalStateException naming the module that is behind or differs
   */
  public void validateSchema() {
    Migrations.validate(requireMigrationDataSource(), config().schema(), config().ownerRole(), requireGrantee(),
        config().modules(), classLoader);
  }

  /**
   * One ready Flyway configuration per module, in the order to run them, for hosts that run Flyway
   * themselves. The schema must exist first, owned by the owner role, and pg_trgm be installed
   * ({@code CREATE SCHEMA crm AUTHORIZATION crm_owner; CREATE EXTENSION IF NOT EXISTS pg_trgm WITH
   * SCHEMA crm}); the configurations name the extension's schema as it is when they are made.
   * {@link #migrate()} does all that, and takes a
   * lock against concurrent start-ups, which Flyway alone does not span across modules.
   */
  public List<ModuleMigrations> migrations() {
    return Migrations.configurations(requireMigrationDataSource(), config().schema(), config().ownerRole(),
            requireGrantee(), config().modules(), classLoader).stream()
        .map(e -> new ModuleMigrations(e.getKey(), e.getValue()))
        .toList();
  }

  /**
   * The clock this Crm was built with ({@link Builder#clock}): transactions, trials and usage
   * periods take the time from it, and so do modules' jobs (a campaign runner's pace and leases).
   */
  public Clock clock() {
    return config().clock();
  }

  /** The names of the modules found on the classpath, in migration order. */
  public List<String> modules() {
    return config().modules().stream().map(CrmModule::name).toList();
  }

  /**
   * A module's service across tenants (a webhook handler, a job), installed when this Crm was
   * built: {@code crm.service(WhatsAppWebhook.class)}. Tenant services come from a scope instead
   * ({@link TenantScope#service}).
   *
   * @throws IllegalArgumentException if no module of this Crm offers {@code type}
   */
  public <T> T service(Class<T> type) {
    return config().registry().crmService(type);
  }

  /** The platform operator's door (provisioning, plans); see {@link Platform}. */
  public Platform platform() {
    return new SqlPlatform(runtime);
  }

  /**
   * The door to one organization; say who acts with {@link TenantAccess#as(UUID)} or
   * {@link TenantAccess#asSystem(String)}.
   *
   * @throws TenantContextException if {@code organizationId} is null
   */
  public TenantAccess tenant(UUID organizationId) {
    if (organizationId == null) {
      // Fail closed before any SQL: there is no tenant work without a tenant.
      throw new TenantContextException("no organization id: tenant work needs the organization it acts for");
    }
    return new TenantAccess() {
      @Override
      public TenantScope as(UUID userId) {
        return new SqlTenantScope(runtime, organizationId, new Actor.Member(userId));
      }

      @Override
      public TenantScope asSystem(String name) {
        return new SqlTenantScope(runtime, organizationId, new Actor.System(name));
      }
    };
  }

  /**
   * Accepts an invitation: the invitee becomes a user of the invitation's organization with the
   * offered role. A token works once; a seat must still be free.
   *
   * @throws NotFoundException for an unknown, used or revoked token
   * @throws ValidationException if the invitation expired
   * @throws ConflictException if the address is already an active member
   * @throws LimitExceededException if the organization has no free seat
   */
  public User acceptInvitation(String token, NewMember member) {
    return new InvitationAcceptance(runtime).accept(token, member);
  }

  /** The schema CRMKit's tables live in. */
  public String schema() {
    return config().schema();
  }

  /** The role the runtime DataSource connects as. */
  public String runtimeRole() {
    return config().connectedRole();
  }

  /** Closes the connection pool CRMKit created, if any. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  private String requireGrantee() {
    if (config().runtimeRole() == null) {
      throw new IllegalStateException("the runtime DataSource connects as the privileged role \"" + config().connectedRole()
          + "\"; name the application's runtime role with Crm.builder().runtimeRole(...) so migrations grant to it");
    }
    return config().runtimeRole();
  }

  private CrmConfiguration config() {
    return runtime.configuration();
  }

  private DataSource requireMigrationDataSource() {
    if (migrationDataSource == null) {
      throw new IllegalStateException("no migration DataSource: set Crm.builder().migrationDataSource(...)");
    }
    return migrationDataSource;
  }

  /**
   * Configures a {@link Crm}; {@link #build()} validates everything and checks the runtime role
   * before any work. Not thread-safe; build once.
   */
  public static final class Builder {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private DataSource dataSource;
    private String jdbcUrl;
    private String username;
    private String password;
    private DataSource migrationDataSource;
    private String schema = DEFAULT_SCHEMA;
    private String ownerRole = DEFAULT_OWNER_ROLE;
    private String runtimeRole;
    private Clock clock = Clock.systemUTC();
    private Duration invitationTtl = DEFAULT_INVITATION_TTL;
    private final List<CrmListener> listeners = new ArrayList<>();
    private boolean allowPrivilegedRuntimeRole;
    private ClassLoader classLoader = Crm.class.getClassLoader();
    private final List<CrmModule> configuredModules = new ArrayList<>();

    private Builder() {}

    /**
     * A module with its settings, e.g. {@code WhatsAppModule.builder().sessionKeys(keys).build()}:
     * it takes the place of the one of the same name found on the class path. Modules without
     * settings are found and installed without this.
     */
    public Builder module(CrmModule module) {
      this.configuredModules.add(Objects.requireNonNull(module, "module"));
      return this;
    }

    /** The host's runtime DataSource: a role that row-level security applies to. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Instead of {@link #dataSource}: a JDBC URL and credentials; CRMKit then owns a HikariCP pool
     * (closed by {@link Crm#close()}). {@code password} may be null where the server needs none.
     */
    public Builder jdbcUrl(String jdbcUrl, String username, String password) {
      this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      this.username = Objects.requireNonNull(username, "username");
      this.password = password;
      return this;
    }

    /**
     * The privileged DataSource for migrations and platform operations: a login that is a member
     * of the owner role (it does {@code SET ROLE}, and resets it before a connection goes back)
     * and may create the schema. A pool here needs at least two connections: the migration lock
     * holds one while Flyway works on another.
     */
    public Builder migrationDataSource(DataSource migrationDataSource) {
      this.migrationDataSource = Objects.requireNonNull(migrationDataSource, "migrationDataSource");
      return this;
    }

    /** The schema for CRMKit's tables, {@value Crm#DEFAULT_SCHEMA} by default; a lowercase identifier. */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /** The NOLOGIN role that owns the schema, {@value Crm#DEFAULT_OWNER_ROLE} by default. */
    public Builder ownerRole(String ownerRole) {
      this.ownerRole = Objects.requireNonNull(ownerRole, "ownerRole");
      return this;
    }

    /**
     * The runtime role that migrations grant rights to. By default the role the runtime DataSource
     * connects as; when set, that connection must be this role, or (for admin tooling with
     * {@link #allowPrivilegedRuntimeRole()}) it names the application's role so migrations still
     * grant to it rather than to the privileged login.
     */
    public Builder runtimeRole(String runtimeRole) {
      this.runtimeRole = Objects.requireNonNull(runtimeRole, "runtimeRole");
      return this;
    }

    /** The clock for trials, invitation expiry and usage periods; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long invitations work; seven days by default. */
    public Builder invitationTtl(Duration invitationTtl) {
      this.invitationTtl = Objects.requireNonNull(invitationTtl, "invitationTtl");
      return this;
    }

    /** Adds a listener for events, delivered after commit. */
    public Builder listener(CrmListener listener) {
      this.listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Lets the runtime DataSource be a role that bypasses row-level security (superuser,
     * BYPASSRLS, owner). Only for admin tooling that must see every tenant; tenant isolation then
     * rests on the Java layer alone.
     */
    public Builder allowPrivilegedRuntimeRole() {
      this.allowPrivilegedRuntimeRole = true;
      return this;
    }

    /** The class loader modules and migrations are found with; this class's by default. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Validates the configuration, connects once to check the runtime role, and builds the Crm.
     *
     * @throws IllegalArgumentException naming the property that is missing or malformed
     * @throws IllegalStateException if the runtime role bypasses row-level security (naming the role
     *     and the fix), the modules on the classpath do not fit together, or a module misses a
     *     setting it needs (naming it)
     */
    public Crm build() {
      if ((dataSource == null) == (jdbcUrl == null)) {
        throw new IllegalArgumentException("set exactly one of dataSource(...) or jdbcUrl(...)");
      }
      if (!IDENTIFIER.matcher(schema).matches()) {
        throw new IllegalArgumentException("schema must be a lowercase SQL identifier, was: " + schema);
      }
      if (!IDENTIFIER.matcher(ownerRole).matches()) {
        throw new IllegalArgumentException("ownerRole must be a lowercase SQL identifier, was: " + ownerRole);
      }
      if (runtimeRole != null && !IDENTIFIER.matcher(runtimeRole).matches()) {
        throw new IllegalArgumentException("runtimeRole must be a lowercase SQL identifier, was: " + runtimeRole);
      }
      if (invitationTtl.isNegative() || invitationTtl.isZero()) {
        throw new IllegalArgumentException("invitationTtl must be positive, was: " + invitationTtl);
      }
      List<CrmModule> modules = ModuleOrder.discover(classLoader, configuredModules);
      if (modules.stream().noneMatch(m -> m.name().equals("core"))) {
        throw new IllegalStateException("crm-core's module is not visible to the class loader " + classLoader);
      }
      HikariDataSource pool = null;
      DataSource runtimeDataSource = dataSource;
      if (jdbcUrl != null) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setPoolName("crmkit");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool = new HikariDataSource(config);
        runtimeDataSource = pool;
      }
      try {
        RuntimeRoleCheck.Result role = RuntimeRoleCheck.inspect(runtimeDataSource, schema, ownerRole);
        if (!role.confined() && !allowPrivilegedRuntimeRole) {
          throw new IllegalStateException("refusing to start: the runtime role \"" + role.role() + "\" "
              + String.join(", ", role.problems()) + ", so row-level security does not apply to it and"
              + " tenants could see each other's rows. Connect the runtime DataSource as a role created"
              + " with NOSUPERUSER NOBYPASSRLS that is not a member of \"" + ownerRole + "\" (see README),"
              + " or call allowPrivilegedRuntimeRole() for admin tooling only.");
        }
        String grantee = runtimeRole;
        if (grantee == null) {
          // A privileged login (admin tooling) is not the application's role: migrating would grant
          // to it. Such a Crm must name the runtime role to migrate; see runtimeRole(...).
          grantee = role.confined() ? role.role() : null;
        } else if (role.confined() && !grantee.equals(role.role())) {
          throw new IllegalStateException("runtimeRole is \"" + grantee + "\" but the runtime DataSource connects as \""
              + role.role() + "\"");
        }
        CrmRuntime runtime = new CrmRuntime(new CrmConfiguration(schema, ownerRole, grantee, role.role(), clock,
            invitationTtl, runtimeDataSource, migrationDataSource, modules), listeners);
        Crm crm = new Crm(runtime, pool, migrationDataSource, classLoader,
            io.crmkit.core.internal.SearchCheck.warnings(runtimeDataSource));
        // Each module registers its services, in dependency order; one missing a setting refuses here.
        runtime.configuration().registry().install(crm, modules);
        return crm;
      } catch (RuntimeException e) {
        if (pool != null) {
          pool.close();
        }
        throw e;
      }
    }
  }
}
