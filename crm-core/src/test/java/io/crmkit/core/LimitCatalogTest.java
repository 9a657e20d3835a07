package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.internal.CoreModule;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.Plan;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.testdb.Jdbc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Limit} is the one list of limits: every place the SQL side names them (the catalog's
 * columns in packages and its subscription_plans view, the custom-limits CHECK of organizations,
 * get_organization_limits, organization_limit, take_within_limit, crm-core's mappers) names
 * exactly the enum's, no more and no fewer. A new limit fails here until each place has it.
 */
class LimitCatalogTest {
  /** How SQL spells a limit (storage_gb aside, which the behaviour checks catch): max_…. */
  private static final Pattern LIMIT_LIKE = Pattern.compile("\\bmax_[a-z0-9_]+");

  private static TestCrm t;
  /** A plan whose every limit has its own value, so a limit read from another's column shows. */
  private static final Map<Limit, Long> PROBE = new LinkedHashMap<>();
  private static ProvisionedOrganization org;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    for (Limit limit : Limit.values()) {
      PROBE.put(limit, 1_000L + 7L * limit.ordinal());
    }
    // Inserting by the enum's columns fails if the catalog lacks one.
    t.executeAsAdmin("insert into crm.packages (slug, name, " + columns() + ") values ('limit-probe', 'Limit probe', "
        + PROBE.values().stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
    org = t.provision("limit-probe");
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static Set<String> enumColumns() {
    return Arrays.stream(Limit.values()).map(Limit::column).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String columns() {
    return Arrays.stream(Limit.values()).map(Limit::column).collect(Collectors.joining(", "));
  }

  @Test
  void thePlanCatalogAndItsViewHaveAColumnForEachLimitAndNoOther() throws SQLException {
    for (String relation : List.of("packages", "subscription_plans")) {
      Set<String> limitColumns = new TreeSet<>();
      try (Connection c = t.admin().getConnection()) {
        for (String row : Jdbc.rows(c, "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a"
            + " join pg_class r on r.oid = a.attrelid join pg_namespace n on n.oid = r.relnamespace"
            + " where n.nspname = 'crm' and r.relname = ? and a.attnum > 0 and not a.attisdropped", relation)) {
          String[] column = row.split(" ", 2);
          // The limits are the catalog's integer columns (display_order is its only other one).
          if (LIMIT_LIKE.matcher(column[0]).matches() || column[1].equals("integer")
              && !column[0].equals("display_order")) {
            limitColumns.add(column[0]);
          }
        }
      }
      assertThat(limitColumns).as(relation).isEqualTo(enumColumns());
    }
  }

  @Test
  void customLimitsAcceptEachLimitAndNoOther() throws SQLException {
    String check;
    try (Connection c = t.admin().getConnection()) {
      check = Jdbc.rows(c, "select pg_get_constraintdef(oid) from pg_constraint"
          + " where conname = 'organizations_custom_limits_known'").get(0);
    }
    Matcher names = Pattern.compile("\\^\\(([a-z0-9_|]+)\\)\\$").matcher(check);
    assertThat(names.find()).as("the CHECK lists the known limits as ^(a|b|…)$: %s", check).isTrue();
    assertThat(new TreeSet<>(List.of(names.group(1).split("\\|")))).isEqualTo(enumColumns());
    ProvisionedOrganization custom = t.provision();
    for (Limit limit : Limit.values()) {
      t.crm.platform().setCustomLimit(custom.organization().id(), limit, OptionalLong.of(3));
    }
    assertThat(t.adminScope(custom).entitlements().limits()).hasSize(Limit.values().length)
        .allSatisfy((limit, value) -> assertThat(value).as(limit.column()).hasValue(3));
    assertThatThrownBy(() -> t.executeAsAdmin("update crm.organizations set custom_limits = '{\"max_unknown\": 1}'"
        + " where id = '" + custom.organization().id() + "'")).rootCause()
        .hasMessageContaining("organizations_custom_limits_known");
  }

  @Test
  void getOrganizationLimitsReturnsEachLimitFromItsOwnColumn() {
    Map<String, Long> expected = new LinkedHashMap<>();
    PROBE.forEach((limit, value) -> expected.put(limit.column(), value));
    List<String> rows = TenantWork.call(t.adminScope(org), tx -> Jdbc.rows(tx.connection(),
        "select limit_name, limit_value from crm.get_organization_limits(?)", org.organization().id()));
    assertThat(rows).containsExactlyInAnyOrderElementsOf(expected.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).toList());
    assertThat(t.adminScope(org).entitlements().limits()).as("read back through the Java side")
        .isEqualTo(PROBE.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
            e -> OptionalLong.of(e.getValue()))));
  }

  @Test
  void organizationLimitKnowsEachLimitAndRefusesAnyOther() {
    for (Limit limit : Limit.values()) {
      List<String> value = TenantWork.call(t.adminScope(org), tx -> Jdbc.rows(tx.connection(),
          "select crm.organization_limit(?, ?)", org.organization().id(), limit.column()));
      assertThat(value).as(limit.column()).containsExactly(String.valueOf(PROBE.get(limit)));
    }
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> Jdbc.rows(tx.connection(),
        "select crm.organization_limit(?, 'max_unknown')", org.organization().id())))
        .isInstanceOf(io.crmkit.core.exception.ValidationException.class).hasMessageContaining("SQLSTATE 22023");
  }

  @Test
  void takeWithinLimitReadsEachLimitFromItsOwnColumnAndKnowsNoOther() {
    LocalDate day = LocalDate.of(2026, 5, 1);
    for (Limit limit : Limit.values()) {
      long max = PROBE.get(limit);
      String metric = "probe_" + limit.ordinal();
      List<String> over = TenantWork.call(t.adminScope(org), tx -> Jdbc.rows(tx.connection(),
          "select crm.take_within_limit(?, ?, ?, ?, ?)", org.organization().id(), metric, day, max + 1,
          limit.column()));
      List<String> exactly = TenantWork.call(t.adminScope(org), tx -> Jdbc.rows(tx.connection(),
          "select crm.take_within_limit(?, ?, ?, ?, ?)", org.organization().id(), metric, day, max,
          limit.column()));
      assertThat(over).as("%s refuses %d", limit.column(), max + 1).containsExactly("null");
      assertThat(exactly).as("%s takes %d", limit.column(), max).containsExactly(String.valueOf(max));
    }
    List<String> unknown = TenantWork.call(t.adminScope(org), tx -> Jdbc.rows(tx.connection(),
        "select crm.take_within_limit(?, 'probe_unknown', ?, 1, 'max_unknown')", org.organization().id(), day));
    assertThat(unknown).as("a name that is no limit is never unlimited").containsExactly("null");
  }

  @Test
  void thePlansReadEachLimitFromItsOwnColumn() {
    Plan probe = t.crm.platform().plans().stream().filter(p -> p.slug().equals("limit-probe")).findFirst()
        .orElseThrow();
    PROBE.forEach((limit, value) -> assertThat(probe.limit(limit)).as(limit.column()).hasValue(value));
    assertThat(t.adminScope(org).entitlements().plan().slug()).isEqualTo("limit-probe");
  }

  @Test
  void noFunctionOrMapperNamesALimitTheEnumLacks() throws SQLException {
    Map<String, Set<String>> named = new LinkedHashMap<>();
    try (Connection c = t.admin().getConnection()) {
      for (String row : Jdbc.rows(c, "select p.proname || ' ' || p.prosrc from pg_proc p"
          + " join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'crm'")) {
        String[] function = row.split(" ", 2);
        named.computeIfAbsent("function " + function[0], k -> new TreeSet<>()).addAll(limitLike(function[1]));
      }
    }
    for (Class<?> mapper : new CoreModule().mappers()) {
      String resource = mapper.getName().replace('.', '/') + ".xml";
      try (InputStream in = mapper.getClassLoader().getResourceAsStream(resource)) {
        if (in != null) {
          named.computeIfAbsent(resource, k -> new TreeSet<>())
              .addAll(limitLike(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    named.forEach((where, names) -> assertThat(enumColumns()).as(where).containsAll(names));
    assertThat(named.get("function get_organization_limits")).as("lists them all").isEqualTo(
        enumColumns().stream().filter(n -> LIMIT_LIKE.matcher(n).matches()).collect(Collectors.toSet()));
  }

  private static Set<String> limitLike(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = LIMIT_LIKE.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
