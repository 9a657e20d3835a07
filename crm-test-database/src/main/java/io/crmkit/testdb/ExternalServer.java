package io.crmkit.testdb;

import java.net.URI;
import javax.sql.DataSource;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

/** A server the developer or CI already runs, reached through a privileged JDBC URL. */
final class ExternalServer implements PostgresServer {
  private final String host;
  private final int port;
  private final String user;
  private final String password;

  ExternalServer(String url) {
    if (!url.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException(TestPostgres.JDBC_URL_VARIABLE
          + " must be a jdbc:postgresql:// URL, was: " + url);
    }
    var props = org.postgresql.Driver.parseURL(url, null);
    if (props == null) {
      throw new IllegalArgumentException("cannot parse " + TestPostgres.JDBC_URL_VARIABLE + ": " + url);
    }
    URI uri = URI.create(url.substring("jdbc:".length()));
    this.host = uri.getHost() == null ? "localhost" : uri.getHost();
    this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
    this.user = PGProperty.USER.getOrDefault(props) == null
        ? System.getProperty("user.name") : PGProperty.USER.getOrDefault(props);
    this.password = PGProperty.PASSWORD.getOrDefault(props);
  }

  @Override
  public String provider() {
    return "external";
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  @Override
  public DataSource adminDataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl(database));
    ds.setUser(user);
    if (password != null) {
      ds.setPassword(password);
    }
    return ds;
  }
}
