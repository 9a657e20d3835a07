package io.crmkit.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * A migrated CRM on a fresh PostgreSQL database, connected as the runtime role: what a host
 * application's tests start from.
 *
 * <pre>{@code
 * try (CrmTestKit kit = CrmTestKit.start()) {
 *   ProvisionedOrganization acme = kit.provisionOrganization("acme");
 *   TenantScope scope = kit.crm().tenant(acme.organization().id()).as(acme.admin().id());
 *   scope.users().invite("omar@acme.example", Role.AGENT);
 *   assertThat(scope.users().pendingInvitations()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Each kit has its own database on the server that {@link TestPostgres#shared()} picks for the
 * JVM: an external server when {@value TestPostgres#JDBC_URL_VARIABLE} is set, else a Testcontainers
 * container of the image {@value TestPostgres#IMAGE_VARIABLE} names (Docker must be running),
 * otherwise embedded PostgreSQL, started once and shared by every kit. The {@link Crm} connects through a small
 * HikariCP pool as {@value TestPostgres#RUNTIME_ROLE}, which row-level security applies to, and
 * migrates through a superuser connection, as a host's deployment would. Kits are independent, so
 * test classes (and parallel tests) may each start their own.
 *
 * <p>Thread-safe: the accessors return the same objects from any thread. {@link #close()} drops
 * the database, so nothing a test wrote outlives the kit.
 */
public final class CrmTestKit implements AutoCloseable {
  /** The most connections the runtime pool holds; enough for tests that run calls concurrently. */
  public static final int RUNTIME_POOL_SIZE = 5;
  /** The plan {@link #provisionOrganization(String)} puts organizations on. */
  public static final String DEFAULT_PLAN = "professional";
  /** The region {@link #provisionOrganization(String)} gives organizations. */
  public static final String DEFAULT_REGION = "SA";

  private final TestDatabase database;
  private final HikariDataSource runtimePool;
  private final Crm crm;

  private CrmTestKit(TestDatabase database, HikariDataSource runtimePool, Crm crm) {
    this.database = database;
    this.runtimePool = runtimePool;
    this.crm = crm;
  }

  /**
   * Creates a fresh database, builds a {@link Crm} on it connected as the runtime role, and
   * migrates every CRMKit module on the classpath. A module with settings on the class path
   * (crm-whatsapp) needs them: use {@link #start(Consumer)} with
   * {@code b -> b.module(WhatsAppModule.builder()…build())}.
   *
   * @throws IllegalStateException if the test server cannot be reached or started, or the
   *     migrations fail; the database is dropped again before this is thrown
   */
  public static CrmTestKit start() {
    return start(builder -> {});
  }

  /**
   * Like {@link #start()}, letting the test configure the {@link Crm} first: a fixed clock,
   * a listener, a shorter invitation lifetime, a module's settings. The kit sets the runtime and migration data
   * sources after {@code customizer} has run, so those of the kit always win; do not call
   * {@link Crm.Builder#jdbcUrl} in it.
   *
   * @param customizer called once with the builder before the kit sets its data sources
   * @throws IllegalArgumentException if the customized configuration is invalid (see
   *     {@link Crm.Builder#build()}); the database is dropped again before this is thrown
   * @throws IllegalStateException if the test server cannot be reached or started, or the
   *     migrations fail; the database is dropped again before this is thrown
   */
  public static CrmTestKit start(Consumer<Crm.Builder> customizer) {
    Objects.requireNonNull(customizer, "customizer");
    TestDatabase database = TestPostgres.shared().createDatabase();
    HikariDataSource pool = null;
    Crm crm = null;
    try {
      pool = runtimePool(database);
      Crm.Builder builder = Crm.builder();
      customizer.accept(builder);
      crm = builder.dataSource(pool).migrationDataSource(database.adminDataSource()).build();
      crm.migrate();
      return new CrmTestKit(database, pool, crm);
    } catch (RuntimeException e) {
      closeAll(crm, pool, database, e);
      throw e;
    }
  }

  /** The CRM under test, built on {@link #runtimeDataSource()} and migrated. */
  public Crm crm() {
    return crm;
  }

  /**
   * The pooled connections as {@value TestPostgres#RUNTIME_ROLE}, the same the {@link Crm} uses:
   * for tests that go around the API with plain JDBC to check what the database itself allows.
   * Row-level security applies to it; a connection without a tenant set sees no tenant's rows.
   */
  public DataSource runtimeDataSource() {
    return runtimePool;
  }

  /**
   * Superuser connections to the kit's database: for test setup and for inspecting what the
   * runtime role must not see. Never hand it to code under test as its runtime connection.
   */
  public DataSource adminDataSource() {
    return database.adminDataSource();
  }

  /**
   * The JDBC URL of the kit's database, without credentials, e.g. for a host's own pool; connect
   * with user and password {@value TestPostgres#RUNTIME_ROLE} to get the runtime role.
   */
  public String jdbcUrl() {
    return database.jdbcUrl();
  }

  /**
   * Provisions an organization through {@link io.crmkit.core.platform.Platform#provision}, with the given
   * slug as its slug and name, on the {@value #DEFAULT_PLAN} plan in region
   * {@value #DEFAULT_REGION}, and {@code admin@<slug>.example} as its first admin.
   *
   * @param slug lowercase letters, digits and inner hyphens; unique within this kit
   * @return the organization and its admin, who can act at once through
   *     {@code crm().tenant(org.organization().id()).as(org.admin().id())}
   * @throws io.crmkit.core.exception.ValidationException if the slug is malformed
   * @throws io.crmkit.core.exception.ConflictException if this kit already has an organization with the slug
   */
  public ProvisionedOrganization provisionOrganization(String slug) {
    Objects.requireNonNull(slug, "slug");
    return crm.platform().provision(OrganizationDraft.builder()
        .name(slug)
        .slug(slug)
        .plan(DEFAULT_PLAN)
        .defaultRegion(DEFAULT_REGION)
        .admin("admin@" + slug + ".example")
        .build());
  }

  /**
   * Closes the {@link Crm} and the runtime pool, then drops the database, ending any connection
   * still open to it. Every step runs even if an earlier one fails; the first failure is thrown
   * after all have run.
   *
   * @throws IllegalStateException if the database could not be dropped
   */
  @Override
  public void close() {
    closeAll(crm, runtimePool, database, null);
  }

  private static HikariDataSource runtimePool(TestDatabase database) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(database.runtimeDataSource());
    config.setMaximumPoolSize(RUNTIME_POOL_SIZE);
    // Opening connections on demand keeps many idle kits from filling a shared server.
    config.setMinimumIdle(0);
    config.setPoolName("crm-testkit-" + database.name());
    return new HikariDataSource(config);
  }

  private static void closeAll(Crm crm, HikariDataSource pool, TestDatabase database, RuntimeException cause) {
    RuntimeException failure = cause;
    for (AutoCloseable step : new AutoCloseable[] {crm, pool, database}) {
      if (step == null) {
        continue;
      }
      try {
        step.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
    }
    if (cause == null && failure != null) {
      throw failure;
    }
  }
}
