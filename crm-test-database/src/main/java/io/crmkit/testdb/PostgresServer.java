package io.crmkit.testdb;

import javax.sql.DataSource;

/** One way of having a PostgreSQL server: external, embedded or in a container. */
interface PostgresServer {
  /** Short name shown in logs and test reports. */
  String provider();

  /** A JDBC URL for the named database, without credentials. */
  String jdbcUrl(String database);

  /** A privileged (superuser) data source for the named database. */
  DataSource adminDataSource(String database);

  /** Stops the server if this JVM started it. */
  default void stop() {}
}
