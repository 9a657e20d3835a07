package io.crmkit.testdb;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, empty database on the test server; closing it drops it.
 *
 * <p>{@link #adminDataSource()} connects as a superuser (what a host's migration connection is);
 * {@link #runtimeDataSource()} connects as {@value TestPostgres#RUNTIME_ROLE}, the role tests must
 * use for everything they check, because row-level security applies to it.
 */
public final class TestDatabase implements AutoCloseable {
  private final TestPostgres postgres;
  private final PostgresServer server;
  private final String name;

  TestDatabase(TestPostgres postgres, PostgresServer server, String name) {
    this.postgres = postgres;
    this.server = server;
    this.name = name;
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** A JDBC URL of this database, without credentials. */
  public String jdbcUrl() {
    return server.jdbcUrl(name);
  }

  /** A superuser connection to this database: for migrations and test setup only. */
  public DataSource adminDataSource() {
    return server.adminDataSource(name);
  }

  /** A connection to this database as the runtime role, which row-level security applies to. */
  public DataSource runtimeDataSource() {
    return loginDataSource(TestPostgres.RUNTIME_ROLE, TestPostgres.RUNTIME_PASSWORD);
  }

  /** A connection to this database as any login role, for tests that need a differently privileged one. */
  public DataSource loginDataSource(String role, String password) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl());
    ds.setUser(role);
    ds.setPassword(password);
    return ds;
  }

  /** Runs one statement on this database as the superuser: test setup only. */
  public void executeAsAdmin(String sql) {
    postgres.execute(name, sql);
  }

  /** Drops the database, ending any connection still open to it. */
  @Override
  public void close() {
    postgres.dropDatabase(name);
  }
}
