package io.crmkit.benchmarks;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import io.crmkit.benchmarks.ImportBenchmark.Cost;
import io.crmkit.benchmarks.ImportBenchmark.CpuClock;

/**
 * The hand-written baseline of {@link ImportBenchmark}: the file loaded with every rule of the
 * import, by COPY into a staging table and one statement (see {@link ImportBenchmark} for what it
 * does); and its Java side alone.
 */
final class ImportBaseline {
  private ImportBaseline() {}

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

  /** What one baseline load did, and where its time went (nanoseconds of the wall clock per phase). */
  record Load(long inserted, long updated, long refused, long copyNanos, long analyzeNanos, long mergeNanos,
      long commitNanos, Cost cost) {}

  /**
   * The hand-written load: per transaction, the tenant context, the region and the default stage
   * (FOR KEY SHARE), the rows prepared in Java and streamed by COPY into a staging table dropped at
   * commit, ANALYZE of it, then {@link #MERGE}.
   */
  static Load baseline(DataSource pool, ProvisionedOrganization organization, byte[] file,
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
  static double prepareOnly(byte[] file) throws IOException {
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
}
