package io.crmkit.testdb;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A PostgreSQL container from Testcontainers, for a test run that asks for a server image. */
final class ContainerServer implements PostgresServer {
  private final PostgreSQLContainer<?> container;

  private ContainerServer(PostgreSQLContainer<?> container) {
    this.container = container;
  }

  static ContainerServer start(String image) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(TestPostgres.IMAGE_VARIABLE + " asks for the image " + image
          + " but no Docker engine is reachable; unset it to use embedded PostgreSQL, or set "
          + TestPostgres.JDBC_URL_VARIABLE + " to use a running server");
    }
    PostgreSQLContainer<?> container =
        new PostgreSQLContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
            .withEnv("LANG", "C.UTF-8");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "crm-container-postgres-stop"));
    return new ContainerServer(container);
  }

  @Override
  public void stop() {
    container.stop();
  }

  @Override
  public String provider() {
    return "testcontainers";
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + database;
  }

  @Override
  public DataSource adminDataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl(database));
    ds.setUser(container.getUsername());
    ds.setPassword(container.getPassword());
    return ds;
  }
}
