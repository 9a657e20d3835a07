package io.crmkit.testdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server of a test's own, which it stops and starts again on the same data directory
 * and port: for tests of what a server restart does to work in flight. Slower to get than
 * {@link TestPostgres#shared()} (its own {@code initdb}), so only for those tests.
 *
 * <pre>{@code
 * try (RestartableServer server = RestartableServer.launch(); TestDatabase db = server.createDatabase()) {
 *   // … work on db …
 *   server.stop();  // fast shutdown: every session ends (SQLSTATE 57P01), new connections are refused
 *   server.start(); // back, with the same data on the same port
 * }
 * }</pre>
 *
 * <p>It runs the major version of the tests' server: with the embedded default, the same embedded
 * binaries; with an external server or a container, this machine's binaries of that version, from
 * {@value #BIN_VARIABLE} or else {@code /usr/lib/postgresql/<major>/bin} (Debian's layout), run as
 * the {@code postgres} OS user when the JVM runs as root (initdb refuses root). Without them it
 * fails rather than test another version. The roles of {@link TestPostgres} exist on it.
 */
public final class RestartableServer implements PostgresServer, AutoCloseable {
  /** Environment variable naming the bin directory of the PostgreSQL binaries to run. */
  public static final String BIN_VARIABLE = "CRM_TEST_PG_BIN";

  private final Engine engine;
  private final Path directory;
  private final TestPostgres postgres;

  private RestartableServer(Engine engine, Path directory) {
    this.engine = engine;
    this.directory = directory;
    this.postgres = TestPostgres.over(this);
  }

  /**
   * Starts a new server on a fresh data directory.
   *
   * @throws IllegalStateException if the binaries of the tests' server version are not on this machine
   */
  public static RestartableServer launch() {
    TestPostgres tests = TestPostgres.shared();
    Path directory;
    try {
      directory = Files.createTempDirectory("crm-restartable-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory", e);
    }
    Engine engine = tests.provider().equals("embedded") ? new Embedded(directory.resolve("data"))
        : new LocalBinaries(binaries(tests.serverVersionNumber() / 10000), directory);
    try {
      engine.start();
    } catch (RuntimeException e) {
      delete(directory);
      throw e;
    }
    RestartableServer server = new RestartableServer(engine, directory);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "crm-restartable-postgres-stop"));
    return server;
  }

  private static Path binaries(int major) {
    String configured = System.getenv(BIN_VARIABLE);
    Path bin = configured != null && !configured.isBlank() ? Path.of(configured.trim())
        : Path.of("/usr/lib/postgresql/" + major + "/bin");
    if (!Files.isExecutable(bin.resolve("pg_ctl")) || !Files.isExecutable(bin.resolve("initdb"))) {
      throw new IllegalStateException("a restartable server of PostgreSQL " + major + " needs its initdb and pg_ctl"
          + " in " + bin + "; set " + BIN_VARIABLE + " to their directory, or run on the embedded default");
    }
    return bin;
  }

  /** A fresh database on this server, as {@link TestPostgres#createDatabase()} makes them. */
  public TestDatabase createDatabase() {
    return postgres.createDatabase();
  }

  /**
   * Stops the server as an operator's restart does (a fast shutdown): every session is ended with
   * SQLSTATE 57P01, transactions in flight roll back, and connections are refused until
   * {@link #start()}. Returns once the server is down.
   */
  @Override
  public synchronized void stop() {
    engine.stop();
  }

  /** Starts the stopped server again on the same data directory and port; returns once it accepts connections. */
  public synchronized void start() {
    engine.start();
  }

  @Override
  public String provider() {
    return engine.name();
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + engine.port() + "/" + database;
  }

  @Override
  public DataSource adminDataSource(String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl(database));
    ds.setUser("postgres");
    return ds;
  }

  /** Stops the server if it runs and deletes its data directory. */
  @Override
  public synchronized void close() {
    if (Files.exists(directory)) {
      engine.stop();
      delete(directory);
    }
  }

  private static void delete(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }

  /** How a server is run. */
  private interface Engine {
    String name();

    int port();

    /** Starts the server (initializing the data directory the first time); nothing if it runs. */
    void start();

    /** Stops the server with a fast shutdown; nothing if it is stopped. */
    void stop();
  }

  /** The embedded binaries (zonky), kept on one data directory and port across starts. */
  private static final class Embedded implements Engine {
    private final Path data;
    private int port;
    private EmbeddedPostgres running;

    Embedded(Path data) {
      this.data = data;
    }

    @Override
    public String name() {
      return "embedded restartable";
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void start() {
      if (running != null) {
        return;
      }
      try {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setDataDirectory(data.toFile())
            .setCleanDataDirectory(false)
            .setLocaleConfig("locale", "C.UTF-8")
            .setLocaleConfig("encoding", "UTF8")
            .setServerConfig("max_connections", "50")
            .setServerConfig("fsync", "off");
        if (port != 0) {
          builder.setPort(port);
        }
        running = builder.start();
        port = running.getPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the restartable embedded server", e);
      }
    }

    @Override
    public void stop() {
      if (running == null) {
        return;
      }
      try {
        running.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the restartable embedded server", e);
      } finally {
        running = null;
      }
    }
  }

  /** This machine's binaries of a version, through initdb and pg_ctl. */
  private static final class LocalBinaries implements Engine {
    private final Path bin;
    private final Path directory;
    private final Path data;
    private final List<String> asUser;
    private final int port;
    private boolean running;

    LocalBinaries(Path bin, Path directory) {
      this.bin = bin;
      this.directory = directory;
      this.data = directory.resolve("data");
      this.port = freePort();
      boolean root = "root".equals(System.getProperty("user.name"));
      this.asUser = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
      if (root) {
        try {
          Files.setOwner(directory, directory.getFileSystem().getUserPrincipalLookupService()
              .lookupPrincipalByName("postgres"));
        } catch (IOException e) {
          throw new IllegalStateException("running as root, the server must run as the OS user postgres, which"
              + " cannot own " + directory, e);
        }
      }
    }

    @Override
    public String name() {
      return "restartable " + bin;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void start() {
      if (running) {
        return;
      }
      if (!Files.exists(data.resolve("PG_VERSION"))) {
        run("initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N");
      }
      run("pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l", directory.resolve("server.log").toString(), "-o",
          "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + directory
              + " -c fsync=off -c max_connections=50", "start");
      running = true;
    }

    @Override
    public void stop() {
      if (!running) {
        return;
      }
      run("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
      running = false;
    }

    private void run(String program, String... arguments) {
      List<String> command = new ArrayList<>(asUser);
      command.add(bin.resolve(program).toString());
      command.addAll(List.of(arguments));
      Path output = directory.resolve(program + ".out");
      try {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(program + " did not finish within two minutes");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " failed: "
              + Files.readString(output, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run " + program, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + program, e);
      }
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port", e);
      }
    }
  }
}
