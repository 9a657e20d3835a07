package io.crmkit.campaigns;

import io.crmkit.core.Crm;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.whatsapp.SendResult;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CampaignRunner} in a JVM of its own, on a test's database as the runtime role, and the
 * handle the test holds on it: the runner runs until a call handles nothing, through a gateway that
 * prints each send ({@code sent <tag> <wamid> <phone>}) on standard output the moment it makes it,
 * then answers slowly or never ({@link Mode}); the test reads the sends and kills the process.
 *
 * <pre>{@code
 * try (RunnerProcess child = RunnerProcess.start(db, RunnerProcess.Mode.HANGS_AFTER_ITS_FIRST_SEND, 10)) {
 *   RunnerProcess.Send send = child.awaitSends(1).get(0);
 *   child.kill();
 * }
 * }</pre>
 */
final class RunnerProcess implements AutoCloseable {
  /** How long the child may take to start and send, on a busy machine: a bound, not a measure. */
  private static final long PATIENCE_SECONDS = 40;

  /** What the child's gateway does after it has sent (printed) a message. */
  enum Mode {
    /** Answers each send after 150 ms, so a batch is still going when the test kills it. */
    ANSWERS_SLOWLY,
    /** Never answers its first send: a kill then lands between the gateway's call and the record. */
    HANGS_AFTER_ITS_FIRST_SEND
  }

  /**
   * One send the child made.
   *
   * @param tag the callback data it carried ({@code crmkit.campaign:<attempt id>})
   * @param wamid the id the child's WhatsApp gave it
   * @param phone the recipient's phone, E.164
   */
  record Send(String tag, String wamid, String phone) {
    UUID attempt() {
      return UUID.fromString(tag.substring(tag.indexOf(':') + 1));
    }
  }

  private final Process process;
  private final Path errors;
  private final List<Send> sends = new ArrayList<>();
  private boolean ended;

  private RunnerProcess(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
    Thread reader = new Thread(this::read, "runner-process-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a runner of batches of {@code batch} on {@code db} in a new JVM of this one's Java and class path. */
  static RunnerProcess start(TestDatabase db, Mode mode, int batch) throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path errors = Files.createTempFile("campaign-runner-", ".err");
    // A light JVM: it only has to start and send a few messages, on a machine others share.
    try {
      Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), RunnerProcess.class.getName(), db.jdbcUrl(), mode.name(),
          Integer.toString(batch))
          .redirectError(errors.toFile()).start();
      return new RunnerProcess(process, errors);
    } catch (IOException e) {
      Files.deleteIfExists(errors);
      throw e;
    }
  }

  private void read() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        String[] words = line.split(" ");
        if (words.length == 4 && words[0].equals("sent")) {
          synchronized (this) {
            sends.add(new Send(words[1], words[2], words[3]));
            notifyAll();
          }
        }
      }
    } catch (IOException e) {
      // The pipe broke with the process: what was read is what it sent.
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /**
   * Waits until the child has made {@code count} sends and returns those made so far.
   *
   * @throws AssertionError if the child ends first, or does not get there in time (with its standard error)
   */
  synchronized List<Send> awaitSends(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (sends.size() < count) {
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        throw new AssertionError("the runner process " + (ended ? "ended" : "did not get on") + " after "
            + sends.size() + " sends of " + count + "; its standard error:\n" + errors());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(sends);
  }

  /** Kills the child as {@code kill -9} would, waits for it to end, and reads what it printed before. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("the runner process outlived destroyForcibly()");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    synchronized (this) {
      while (!ended) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the runner process's output did not end with it");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /** The sends the child made (all of them, once {@link #kill()} returned). */
  synchronized List<Send> sends() {
    return List.copyOf(sends);
  }

  private String errors() {
    try {
      return Files.readString(errors, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() throws InterruptedException, IOException {
    try {
      process.destroyForcibly();
      process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /**
   * The child: {@code <jdbc url> <mode> <batch>}; runs batches until one handles nothing, as the
   * runtime role, with the tests' WhatsApp module and a gateway that prints each send, then does as
   * {@link Mode} says.
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    Mode mode = Mode.valueOf(args[1]);
    int batch = Integer.parseInt(args[2]);
    FakeWhatsAppGateway fake = new FakeWhatsAppGateway();
    AtomicInteger sent = new AtomicInteger();
    ScriptedGateway gateway = new ScriptedGateway(fake, tag -> {
      List<FakeWhatsAppGateway.Sent> all = fake.sent();
      String wamid = "wamid.child." + sent.incrementAndGet();
      System.out.println("sent " + tag + " " + wamid + " " + all.get(all.size() - 1).message().to());
      System.out.flush();
      try {
        if (mode == Mode.ANSWERS_SLOWLY) {
          Thread.sleep(150);
        } else {
          new CountDownLatch(1).await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new SendResult.Accepted(wamid);
    });
    try (Crm crm = Crm.builder().jdbcUrl(url, TestPostgres.RUNTIME_ROLE, TestPostgres.RUNTIME_PASSWORD)
        .module(TestCampaigns.whatsApp(gateway)).build()) {
      CampaignRunner runner = crm.service(CampaignRunner.class);
      while (runner.runOnce(batch) > 0) {
        // until nothing is due
      }
    }
  }
}
