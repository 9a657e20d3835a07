package io.crmkit.benchmarks;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.Crm;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Imports {@code rows} customers (100,000 by default) from one generated CSV file through CRMKit's
 * {@code customers().importCsv}, against hand-written JDBC loading the same file with every rule of
 * the import: the honest baseline of issue 16. Each round loads the file into two fresh
 * organizations (baseline first, then CRMKit), then imports it again into each (every row matches,
 * nothing changes); the figures are medians over the rounds.
 *
 * <p>The baseline, as the runtime role in tenant transactions of {@code perTransaction} rows each
 * (the whole file in one by default): reads the CSV with Jackson, normalizes the WhatsApp phone to
 * E.164 with libphonenumber in the organization's region and lower-cases the email (in the timed
 * part, since the import must do that work too), drops rows that repeat a phone or email of the same
 * transaction (first wins), and streams the rest with {@code COPY ... FROM STDIN} into a TEMP
 * staging table. Then one statement matches every row by WhatsApp phone, else by email (email_lower),
 * refuses the rows whose phone and email name different customers, inserts the new ones in the
 * default stage (locked FOR KEY SHARE), updates only the matched rows that change, takes
 * max_customers for the inserted count through {@code take_within_limit} (race-free: the counter
 * row is held to the commit) and logs {@code customer_created} per new customer and
 * {@code customer_updated} per changed one.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am install -DskipTests && ./mvnw -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.crmkit.benchmarks.ImportBenchmark -Dexec.args="100000 3 100000"} (rows,
 * rounds, baseline rows per transaction; these are the defaults).
 */
public final class ImportBenchmark {
  private ImportBenchmark() {}

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

  /** Matches, inserts, updates, counts and logs the staged rows; the parameters are org, stage, member. */
  private static final String MERGE = """
      with m as materialized (
        select s.*, p.id as phone_id, e.id as email_id, e.whatsapp_phone as email_owner_phone
          from pg_temp.import_rows s
          left join crm.customers p on p.organization_id = ?1 and p.whatsapp_phone = s.whatsapp_phone
          left join crm.customers e on e.organization_id = ?1 and e.email_lower = s.email_key),
      ok as materialized (
        select m.*, coalesce(phone_id, email_id) as target from m
         where (phone_id is null or email_id is null or phone_id = email_id)
           and not (phone_id is null and email_id is not null and email_owner_phone is not null
                    and whatsapp_phone is not null)),
      ins as (
        insert into crm.customers (organization_id, whatsapp_phone, full_name, email, company, sales_stage_id,
                                   source, tags, created_by)
        select ?1, whatsapp_phone, full_name, email, company, ?2, 'import', coalesce(tags, '{}'), ?3
          from ok where target is null
        on conflict do nothing
        returning id),
      upd as (
        update crm.customers c
           set whatsapp_phone = coalesce(r.whatsapp_phone, c.whatsapp_phone),
               full_name = coalesce(r.full_name, c.full_name),
               email = coalesce(r.email, c.email),
               company = coalesce(r.company, c.company),
               tags = array(select t from unnest(c.tags || coalesce(r.tags, '{}')) with ordinality as u(t, n)
                             group by t order by min(n))
          from ok r
         where c.organization_id = ?1 and c.id = r.target
           and (c.whatsapp_phone, c.full_name, c.email, c.company, c.tags)
               is distinct from
               (coalesce(r.whatsapp_phone, c.whatsapp_phone), coalesce(r.full_name, c.full_name),
                coalesce(r.email, c.email), coalesce(r.company, c.company),
                array(select t from unnest(c.tags || coalesce(r.tags, '{}')) with ordinality as u(t, n)
                       group by t order by min(n)))
        returning c.id),
      counted as (
        select n, case when n > 0 then crm.take_within_limit(?1, 'customers', date '1970-01-01', n, 'max_customers')
                  end as taken
          from (select count(*) as n from ins) i),
      logged as (
        insert into crm.customer_activities (organization_id, customer_id, activity_type, performed_by, metadata)
        select ?1, id, 'customer_created', ?3, '{"source": "import"}'::jsonb from ins
        union all
        select ?1, id, 'customer_updated', ?3, '{"source": "import"}' from upd
        returning 1)
      select (select count(*) from m), (select count(*) from ok), (select count(*) from ok where target is null),
             (select n from counted), (select taken from counted), (select count(*) from upd),
             (select count(*) from logged)
      """;
  private static final String MERGE_SQL = MERGE.replaceAll("\\?[123]", "?");
  /** For each {@code ?} of {@link #MERGE_SQL}, which value it takes: 0 the organization, 1 the stage, 2 the member. */
  private static final int[] MERGE_PARAMETERS = Pattern.compile("\\?([123])").matcher(MERGE).results()
      .mapToInt(m -> m.group(1).charAt(0) - '1').toArray();

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int perTransaction = args.length > 2 ? Integer.parseInt(args[2]) : rows;
    try {
      run(rows, rounds, perTransaction);
    } finally {
      TestPostgres.stop();
    }
  }

  private static void run(int rows, int rounds, int perTransaction) throws Exception {
    byte[] file = file(rows);
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      HikariConfig config = new HikariConfig();
      config.setDataSource(db.runtimeDataSource());
      config.setMaximumPoolSize(2);
      try (HikariDataSource pool = new HikariDataSource(config);
          Crm crm = BenchCrm.start(pool, db.adminDataSource())) {
        crm.migrate();
        System.out.printf(Locale.ROOT, "server: %s, PostgreSQL %d; %,d rows; baseline: %,d rows per transaction;"
            + " CRMKit: importCsv with ImportOptions.DEFAULTS (%d rows per transaction)%n",
            TestPostgres.shared().provider(), TestPostgres.shared().serverVersionNumber(), rows, perTransaction,
            ImportOptions.DEFAULTS.batchSize());

        // Warm-up: a tenth of the file each way, into organizations of their own.
        byte[] small = file(rows / 10);
        baseline(pool, provision(crm, "warm-jdbc"), small, perTransaction, CpuClock.of(db));
        importCsv(crm, provision(crm, "warm-crm"), small);

        double prepare = prepareOnly(file);
        CpuClock cpu = CpuClock.of(db);
        List<ProvisionedOrganization> viaJdbc = new ArrayList<>();
        List<ProvisionedOrganization> viaCrm = new ArrayList<>();
        List<Load> loads = new ArrayList<>();
        List<Cost> imports = new ArrayList<>();
        Measure.compareRuns(String.format(Locale.ROOT, "import %,d new customers into a fresh organization", rows),
            rounds, "rows/s",
            "JDBC: Java prepares, COPY to TEMP table, one merge statement", () -> {
              ProvisionedOrganization org = provision(crm, "jdbc-" + viaJdbc.size());
              viaJdbc.add(org);
              Load load = baseline(pool, org, file, perTransaction, cpu);
              loads.add(load);
              check(db, org, rows, rows, 0, load.inserted == rows && load.updated == 0 && load.refused == 0);
              return rows / load.cost.seconds();
            },
            "customers().importCsv", () -> {
              ProvisionedOrganization org = provision(crm, "crm-" + viaCrm.size());
              viaCrm.add(org);
              Cost.Start start = cpu.start();
              ImportReport report = importCsv(crm, org, file);
              Cost cost = start.stop();
              imports.add(cost);
              check(db, org, rows, rows, 0, report.inserted() == rows && report.errors().isEmpty());
              return rows / cost.seconds();
            });
        sameCustomers(db, viaJdbc.get(0), viaCrm.get(0));
        split(loads, imports, prepare);

        List<Load> loadsAgain = new ArrayList<>();
        List<Cost> importsAgain = new ArrayList<>();
        int[] next = {0, 0};
        Measure.compareRuns(String.format(Locale.ROOT, "import the same %,d rows again (every row matches, none"
            + " changes)", rows), rounds, "rows/s",
            "JDBC: the same load", () -> {
              ProvisionedOrganization org = viaJdbc.get(next[0]++);
              Load load = baseline(pool, org, file, perTransaction, cpu);
              loadsAgain.add(load);
              check(db, org, rows, rows, 0, load.inserted == 0 && load.updated == 0 && load.refused == 0);
              return rows / load.cost.seconds();
            },
            "customers().importCsv", () -> {
              ProvisionedOrganization org = viaCrm.get(next[1]++);
              Cost.Start start = cpu.start();
              ImportReport report = importCsv(crm, org, file);
              Cost cost = start.stop();
              importsAgain.add(cost);
              check(db, org, rows, rows, 0, report.inserted() == 0 && report.updated() == 0
                  && report.unchanged() == rows && report.errors().isEmpty());
              return rows / cost.seconds();
            });
        split(loadsAgain, importsAgain, prepare);
      }
    }
  }

  /** The generated file: name, national (Saudi) WhatsApp number, email, company of 500, two tags. */
  private static byte[] file(int rows) {
    StringBuilder csv = new StringBuilder("full_name,whatsapp_phone,email,company,tags\n");
    for (int i = 0; i < rows; i++) {
      csv.append(String.format(Locale.ROOT, "Customer %d,05%08d,c%d@example.sa,Company %d,imported;batch%n",
          i, 10_000_000 + i, i, i % 500));
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static ProvisionedOrganization provision(Crm crm, String slug) {
    return crm.platform().provision(OrganizationDraft.builder().name(slug).slug(slug).plan("enterprise")
        .defaultRegion("SA").admin("admin@" + slug + ".example").build());
  }

  private static ImportReport importCsv(Crm crm, ProvisionedOrganization org, byte[] file) {
    return crm.tenant(org.organization().id()).as(org.admin().id()).customers()
        .importCsv(new ByteArrayInputStream(file), ImportOptions.DEFAULTS);
  }

  /** What one baseline load did, and where its time went (nanoseconds of the wall clock per phase). */
  record Load(long inserted, long updated, long refused, long copyNanos, long analyzeNanos, long mergeNanos,
      long commitNanos, Cost cost) {}

  /** Wall-clock time and CPU time (this JVM's, the server's) of one side's run, in nanoseconds. */
  record Cost(long wallNanos, long clientCpuNanos, long serverCpuNanos) {
    double seconds() {
      return wallNanos / 1e9;
    }

    /** Readings taken when a run started. */
    record Start(CpuClock clock, long wall, long client, long server) {
      Cost stop() {
        return new Cost(System.nanoTime() - wall, clock.clientNanos() - client, clock.serverNanos() - server);
      }
    }
  }

  /**
   * CPU time of this JVM (every thread: the import's, JIT, GC) and of the PostgreSQL server (its
   * postmaster and every child: the backends, and autovacuum, checkpointer and WAL writer too),
   * the server's read from /proc when it runs on this machine; -1 where it cannot be read.
   */
  record CpuClock(long postmaster) {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    static CpuClock of(TestDatabase db) {
      try (Connection c = db.adminDataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("show data_directory")) {
        rs.next();
        String dataDirectory = rs.getString(1);
        try (var procs = Files.list(Path.of("/proc"))) {
          for (Path proc : (Iterable<Path>) procs::iterator) {
            String name = proc.getFileName().toString();
            if (name.chars().allMatch(Character::isDigit)) {
              try {
                String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                if (cmdline.contains(" -D " + dataDirectory + " ") || cmdline.endsWith(" -D " + dataDirectory)) {
                  return new CpuClock(Long.parseLong(name));
                }
              } catch (IOException e) {
                // the process is gone, or not ours to read
              }
            }
          }
        }
      } catch (SQLException | IOException e) {
        // no data directory to read, or no /proc: the server's CPU is not reported
      }
      return new CpuClock(-1);
    }

    Cost.Start start() {
      return new Cost.Start(this, System.nanoTime(), clientNanos(), serverNanos());
    }

    long clientNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    long serverNanos() {
      if (postmaster < 0) {
        return -1;
      }
      long ticks = 0;
      try (var procs = Files.list(Path.of("/proc"))) {
        for (Path proc : (Iterable<Path>) procs::iterator) {
          String name = proc.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(proc.resolve("stat"));
            // After the command in parentheses: state, ppid, ..., utime (12th), stime (13th).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (Long.parseLong(name) == postmaster || Long.parseLong(f[1]) == postmaster) {
              ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
          } catch (IOException | RuntimeException e) {
            // the process ended while being read
          }
        }
      } catch (IOException e) {
        return -1;
      }
      return ticks * NANOS_PER_TICK;
    }
  }

  /**
   * The hand-written load: per transaction, the tenant context, the region and the default stage
   * (FOR KEY SHARE), the rows prepared in Java and streamed by COPY into a staging table dropped at
   * commit, ANALYZE of it, then {@link #MERGE}.
   */
  private static Load baseline(DataSource pool, ProvisionedOrganization organization, byte[] file,
      int perTransaction, CpuClock cpu) throws SQLException, IOException {
    UUID org = organization.organization().id();
    UUID member = organization.admin().id();
    Cost.Start start = cpu.start();
    long inserted = 0;
    long updated = 0;
    long refused = 0;
    long copy = 0;
    long analyze = 0;
    long merge = 0;
    long commit = 0;
    try (Connection c = pool.getConnection();
        MappingIterator<String[]> csv = csv(new ByteArrayInputStream(file))) {
      Columns columns = new Columns(Arrays.asList(csv.next()));
      long line = 1;
      c.setAutoCommit(false);
      CopyIn copyIn = null;
      try {
        while (csv.hasNext()) {
          long t0 = System.nanoTime();
          String region;
          UUID stage;
          try (PreparedStatement set = c.prepareStatement("select set_config('app.current_organization_id', ?, true)");
              PreparedStatement context = c.prepareStatement("select o.default_region, s.id from crm.organizations o"
                  + " join crm.sales_stages s on s.organization_id = o.id and s.is_default where o.id = ?"
                  + " for key share of s");
              Statement ddl = c.createStatement()) {
            set.setString(1, org.toString());
            set.execute();
            context.setObject(1, org);
            try (ResultSet rs = context.executeQuery()) {
              rs.next();
              region = rs.getString(1);
              stage = rs.getObject(2, UUID.class);
            }
            ddl.execute("create temp table import_rows (line bigint, whatsapp_phone text, full_name text, email text,"
                + " email_key text, company text, tags text[]) on commit drop");
          }
          copyIn = c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy pg_temp.import_rows from stdin");
          StringBuilder buffer = new StringBuilder(1 << 17);
          Set<String> phones = new HashSet<>();
          Set<String> emails = new HashSet<>();
          for (int n = 0; n < perTransaction && csv.hasNext(); n++) {
            line++;
            Prepared row = prepare(csv.next(), columns, region);
            boolean repeated = row.phone != null && !phones.add(row.phone);
            if (!repeated && row.emailKey != null) {
              repeated = !emails.add(row.emailKey);
            }
            if (repeated) {
              refused++;
              continue;
            }
            row.appendCopyLine(buffer, line);
            if (buffer.length() >= 1 << 16) {
              flush(copyIn, buffer);
            }
          }
          flush(copyIn, buffer);
          copyIn.endCopy();
          copyIn = null;
          long t1 = System.nanoTime();
          try (Statement s = c.createStatement()) {
            s.execute("analyze pg_temp.import_rows");
          }
          long t2 = System.nanoTime();
          try (PreparedStatement ps = c.prepareStatement(MERGE_SQL)) {
            UUID[] values = {org, stage, member};
            for (int i = 0; i < MERGE_PARAMETERS.length; i++) {
              ps.setObject(i + 1, values[MERGE_PARAMETERS[i]]);
            }
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              long staged = rs.getLong(1);
              long matchedOrNew = rs.getLong(2);
              long planned = rs.getLong(3);
              long done = rs.getLong(4);
              boolean taken = rs.getObject(5) != null;
              long changed = rs.getLong(6);
              if (done != planned) {
                // A concurrent create took a phone or email meanwhile; a host would retry the transaction.
                throw new IllegalStateException("a customer of this transaction was created concurrently");
              }
              if (done > 0 && !taken) {
                throw new IllegalStateException("max_customers refuses " + done + " more customers");
              }
              if (rs.getLong(7) != done + changed) {
                throw new IllegalStateException("logged " + rs.getLong(7) + " activities for " + (done + changed));
              }
              inserted += done;
              updated += changed;
              refused += staged - matchedOrNew;
            }
          }
          long t3 = System.nanoTime();
          c.commit();
          long t4 = System.nanoTime();
          copy += t1 - t0;
          analyze += t2 - t1;
          merge += t3 - t2;
          commit += t4 - t3;
        }
      } catch (SQLException | RuntimeException e) {
        if (copyIn != null && copyIn.isActive()) {
          copyIn.cancelCopy();
        }
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
    return new Load(inserted, updated, refused, copy, analyze, merge, commit, start.stop());
  }

  private static void flush(CopyIn copyIn, StringBuilder buffer) throws SQLException {
    if (buffer.length() > 0) {
      byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
      copyIn.writeToCopy(bytes, 0, bytes.length);
      buffer.setLength(0);
    }
  }

  private static MappingIterator<String[]> csv(InputStream in) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    return mapper.readerFor(String[].class).readValues(in);
  }

  /** The file's column positions, -1 for a column it does not have. */
  private record Columns(int fullName, int whatsappPhone, int email, int company, int tags) {
    Columns(List<String> header) {
      this(header.indexOf("full_name"), header.indexOf("whatsapp_phone"), header.indexOf("email"),
          header.indexOf("company"), header.indexOf("tags"));
    }
  }

  /** One row as the database gets it: phone in E.164, email and its lower-case key, tags split. */
  private record Prepared(String phone, String fullName, String email, String emailKey, String company,
      List<String> tags) {
    void appendCopyLine(StringBuilder out, long line) {
      out.append(line).append('\t');
      text(out, phone).append('\t');
      text(out, fullName).append('\t');
      text(out, email).append('\t');
      text(out, emailKey).append('\t');
      text(out, company).append('\t');
      if (tags == null) {
        out.append("\\N");
      } else {
        StringBuilder array = new StringBuilder("{");
        for (int i = 0; i < tags.size(); i++) {
          array.append(i > 0 ? ",\"" : "\"");
          String tag = tags.get(i);
          for (int k = 0; k < tag.length(); k++) {
            char ch = tag.charAt(k);
            if (ch == '"' || ch == '\\') {
              array.append('\\');
            }
            array.append(ch);
          }
          array.append('"');
        }
        text(out, array.append('}').toString());
      }
      out.append('\n');
    }

    /** COPY's text format: backslash, tab and line breaks escaped, null as \N. */
    private static StringBuilder text(StringBuilder out, String value) {
      if (value == null) {
        return out.append("\\N");
      }
      for (int i = 0; i < value.length(); i++) {
        char ch = value.charAt(i);
        switch (ch) {
          case '\\' -> out.append("\\\\");
          case '\t' -> out.append("\\t");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          default -> out.append(ch);
        }
      }
      return out;
    }
  }

  private static Prepared prepare(String[] cells, Columns columns, String region) {
    String phone = e164(cell(cells, columns.whatsappPhone), region);
    String email = cell(cells, columns.email);
    String tagCell = cell(cells, columns.tags);
    List<String> tags = null;
    if (tagCell != null) {
      Set<String> kept = new LinkedHashSet<>();
      for (String tag : tagCell.split(";")) {
        if (!tag.isBlank()) {
          kept.add(tag.strip());
        }
      }
      tags = List.copyOf(kept);
    }
    return new Prepared(phone, cell(cells, columns.fullName), email,
        email == null ? null : email.toLowerCase(Locale.ROOT), cell(cells, columns.company), tags);
  }

  private static String cell(String[] cells, int index) {
    if (index < 0 || index >= cells.length) {
      return null;
    }
    String value = cells[index].strip();
    return value.isEmpty() ? null : value;
  }

  private static String e164(String written, String region) {
    if (written == null) {
      return null;
    }
    try {
      PhoneNumber number = PHONES.parse(written, region);
      if (!PHONES.isValidNumber(number)) {
        throw new IllegalArgumentException("not a valid phone number in " + region + ": " + written);
      }
      return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    } catch (NumberParseException e) {
      throw new IllegalArgumentException("not a phone number: " + written, e);
    }
  }

  /** The Java side of the baseline alone: read, normalize and write the COPY text of every row, no database. */
  private static double prepareOnly(byte[] file) throws IOException {
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      long bytes = 0;
      try (MappingIterator<String[]> csv = csv(new ByteArrayInputStream(file))) {
        Columns columns = new Columns(Arrays.asList(csv.next()));
        StringBuilder buffer = new StringBuilder(1 << 17);
        long line = 1;
        while (csv.hasNext()) {
          prepare(csv.next(), columns, "SA").appendCopyLine(buffer, ++line);
          if (buffer.length() >= 1 << 16) {
            bytes += buffer.toString().getBytes(StandardCharsets.UTF_8).length;
            buffer.setLength(0);
          }
        }
        bytes += buffer.toString().getBytes(StandardCharsets.UTF_8).length;
      }
      best = Math.min(best, System.nanoTime() - start);
      if (bytes == 0) {
        throw new IllegalStateException("nothing prepared");
      }
    }
    return best / 1e9;
  }

  /** Where the time of each side's median round went. */
  private static void split(List<Load> loads, List<Cost> imports, double prepareSeconds) {
    List<Load> byTime = new ArrayList<>(loads);
    byTime.sort((a, b) -> Long.compare(a.cost.wallNanos, b.cost.wallNanos));
    Load load = byTime.get(byTime.size() / 2);
    List<Cost> importsByTime = new ArrayList<>(imports);
    importsByTime.sort((a, b) -> Long.compare(a.wallNanos, b.wallNanos));
    Cost imported = importsByTime.get(importsByTime.size() / 2);
    System.out.printf(Locale.ROOT, "  median rounds: baseline %.2f s (read, normalize and COPY %.2f s, of which the"
        + " Java side alone takes %.2f s; ANALYZE %.2f s; merge statement %.2f s; COMMIT %.2f s), CPU %s;%n"
        + "                 importCsv %.2f s, CPU %s%n", load.cost.seconds(), load.copyNanos / 1e9, prepareSeconds,
        load.analyzeNanos / 1e9, load.mergeNanos / 1e9, load.commitNanos / 1e9, cpu(load.cost), imported.seconds(),
        cpu(imported));
  }

  private static String cpu(Cost cost) {
    return String.format(Locale.ROOT, "client %.2f s, server %s", cost.clientCpuNanos / 1e9,
        cost.serverCpuNanos < 0 ? "not read" : String.format(Locale.ROOT, "%.2f s", cost.serverCpuNanos / 1e9));
  }

  /**
   * Fails unless the organization holds {@code customers} customers, {@code created} customer_created
   * activities and {@code updatedActivities} customer_updated ones, its customers counter says
   * {@code customers}, and {@code reported} (what the side itself said) holds.
   */
  private static void check(TestDatabase db, ProvisionedOrganization organization, long customers, long created,
      long updatedActivities, boolean reported) throws SQLException {
    UUID org = organization.organization().id();
    try (Connection c = db.adminDataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("select (select count(*) from crm.customers where organization_id = ?),"
            + " (select count(*) from crm.customer_activities where organization_id = ? and activity_type = 'customer_created'),"
            + " (select count(*) from crm.customer_activities where organization_id = ? and activity_type = 'customer_updated'),"
            + " (select value from crm.usage_counters where organization_id = ? and metric = 'customers'"
            + " and period_start = date '1970-01-01')")) {
      for (int i = 1; i <= 4; i++) {
        ps.setObject(i, org);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long[] got = {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        if (!reported || got[0] != customers || got[1] != created || got[2] != updatedActivities
            || got[3] != customers) {
          throw new IllegalStateException(String.format(Locale.ROOT, "organization %s: %d customers, %d created and"
              + " %d updated activities, counter %d (expected %d, %d, %d, %d); report as expected: %s",
              organization.organization().slug(), got[0], got[1], got[2], got[3], customers, created,
              updatedActivities, customers, reported));
        }
      }
    }
  }

  /** Fails unless both organizations hold the same customers, field by field (ids, stage and creator aside). */
  private static void sameCustomers(TestDatabase db, ProvisionedOrganization a, ProvisionedOrganization b)
      throws SQLException {
    String columns = "whatsapp_phone, full_name, email, email_lower, phone, company, position, lead_score, source,"
        + " tags, notes, custom_fields, search_text, name_sort, fuzzy_text,"
        + " (select is_default from crm.sales_stages s where s.organization_id = c.organization_id"
        + " and s.id = c.sales_stage_id) as default_stage, created_by is not null as by_member";
    try (Connection c = db.adminDataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("select count(*) from ((select " + columns
            + " from crm.customers c where organization_id = ? except all select " + columns
            + " from crm.customers c where organization_id = ?) union all (select " + columns
            + " from crm.customers c where organization_id = ? except all select " + columns
            + " from crm.customers c where organization_id = ?)) d")) {
      ps.setObject(1, a.organization().id());
      ps.setObject(2, b.organization().id());
      ps.setObject(3, b.organization().id());
      ps.setObject(4, a.organization().id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getLong(1) != 0) {
          throw new IllegalStateException(rs.getLong(1) + " customers differ between the baseline's and CRMKit's");
        }
      }
    }
  }
}
