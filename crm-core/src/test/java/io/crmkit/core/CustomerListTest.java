package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerSort;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.Cursor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomerListTest {
  private static TestCrm t;
  private static ProvisionedOrganization org;
  private static List<SalesStage> stages;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    org = t.provision();
    TenantScope admin = t.adminScope(org);
    stages = admin.pipeline().stages();
    CustomerService customers = admin.customers();
    for (int i = 0; i < 12; i++) {
      CustomerDraft.Builder b = CustomerDraft.builder().email("c" + i + "@example.sa")
          .leadScore(i * 7 % 100).estimatedValue(i % 4 * 1000L, "SAR")
          .stage(stages.get(i % 3).id()).source(i % 2 == 0 ? CustomerSource.IMPORT : CustomerSource.MANUAL)
          .customFields(Map.of("city", i % 3 == 0 ? "Riyadh" : "Jeddah"));
      if (i % 4 != 0) {
        b.fullName("Name " + (char) ('A' + (11 - i)));
      }
      if (i % 2 == 0) {
        b.tag("vip");
      }
      if (i % 3 == 0) {
        b.tag("riyadh");
      }
      if (i == 5) {
        b.assignedTo(org.admin().id());
      }
      customers.create(b.build());
    }
    t.adminScope(t.provision()).customers().create(CustomerDraft.builder().fullName("Other tenant").build());
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static List<Customer> all(CustomerQuery query, int pageSize) {
    List<Customer> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Customer> page = t.adminScope(org).customers().list(query, pageSize, cursor);
      seen.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return seen;
  }

  @Test
  void everySortPagesThroughEveryCustomerOnceInOrderEvenWithMissingNames() {
    for (CustomerSort sort : CustomerSort.values()) {
      for (boolean descending : new boolean[] {true, false}) {
        List<Customer> seen = all(CustomerQuery.builder().sort(sort, descending).build(), 5);
        assertThat(seen).as(sort + " " + descending).hasSize(12).extracting(Customer::id).doesNotHaveDuplicates();
        Comparator<Customer> order = switch (sort) {
          case CREATED -> Comparator.comparing(Customer::createdAt);
          case UPDATED -> Comparator.comparing(Customer::updatedAt);
          case NAME -> Comparator.comparing(c -> c.fullName().orElse("").toLowerCase());
          case LEAD_SCORE -> Comparator.comparingInt(Customer::leadScore);
          case VALUE -> Comparator.comparingLong(Customer::estimatedValueMinor);
        };
        assertThat(seen).as(sort + " " + descending).isSortedAccordingTo(descending ? order.reversed() : order);
      }
    }
  }

  @Test
  void filtersCombine() {
    assertThat(all(CustomerQuery.builder().stage(stages.get(1).id()).build(), 50)).hasSize(4);
    assertThat(all(CustomerQuery.builder().assignedTo(org.admin().id()).build(), 50)).hasSize(1);
    assertThat(all(CustomerQuery.builder().tagsAny(List.of("vip", "riyadh")).build(), 50)).hasSize(8);
    assertThat(all(CustomerQuery.builder().tagsAll(List.of("vip", "riyadh")).build(), 50)).hasSize(2);
    assertThat(all(CustomerQuery.builder().source(CustomerSource.IMPORT).build(), 50)).hasSize(6);
    assertThat(all(CustomerQuery.builder().customField("city", "Riyadh").build(), 50)).hasSize(4);
    assertThat(all(CustomerQuery.builder().customField("city", "Riyadh").tagsAll(List.of("vip")).build(), 50)).hasSize(2);
    assertThat(all(CustomerQuery.builder().text("c1").build(), 50)).as("c1, c10, c11").hasSize(3);
    assertThat(all(CustomerQuery.builder().createdBetween(Instant.EPOCH, Instant.now().plusSeconds(60)).build(), 50))
        .hasSize(12);
    assertThat(all(CustomerQuery.builder().createdBetween(Instant.now().plusSeconds(60),
        Instant.parse("3000-01-01T00:00:00Z")).build(), 50)).isEmpty();
    assertThatThrownBy(() -> all(CustomerQuery.builder().createdBetween(Instant.EPOCH, Instant.MAX).build(), 50))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("createdBetween");
  }

  @Test
  void aCursorOfAnotherOrderOrNoneOfOursIsRefused() {
    Page<Customer> page = t.adminScope(org).customers().list(CustomerQuery.builder().sort(CustomerSort.NAME, false)
        .build(), 2, Optional.empty());
    assertThatThrownBy(() -> t.adminScope(org).customers().list(CustomerQuery.builder().build(), 2, page.nextCursor()))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("cursor");
    assertThatThrownBy(() -> t.adminScope(org).customers().list(CustomerQuery.builder().build(), 2, Optional.of("x")))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("cursor");
  }

  /** A cursor shaped as the list makes them, with any key. */
  private static Optional<String> crafted(CustomerSort sort, String key) {
    return Optional.of(Cursor.encode("customers.list.v1", List.of(sort.key(), "false", UUID.randomUUID().toString(),
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
  }

  @Test
  void aCursorWhoseKeyDoesNotParseForItsSortIsRefusedWithoutSql() {
    for (Object[] bad : List.of(new Object[] {CustomerSort.LEAD_SCORE, "abc"}, new Object[] {CustomerSort.LEAD_SCORE,
        "99999999999"}, new Object[] {CustomerSort.VALUE, "1e999"}, new Object[] {CustomerSort.CREATED, "yesterday"},
        new Object[] {CustomerSort.UPDATED, "+99999-01-01T00:00:00Z"}, new Object[] {CustomerSort.NAME, "a\u0000b"})) {
      CustomerSort sort = (CustomerSort) bad[0];
      assertThatThrownBy(() -> t.adminScope(org).customers().list(CustomerQuery.builder().sort(sort, false).build(), 2,
          crafted(sort, (String) bad[1]))).as("%s after %s", sort, bad[1])
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("cursor"))
          .hasMessageNotContainingAny("SELECT", "select", "PL/pgSQL", "Where:", "list_customers", "invalid input");
    }
    assertThat(t.adminScope(org).customers().list(CustomerQuery.builder().sort(CustomerSort.LEAD_SCORE, false).build(),
        2, crafted(CustomerSort.LEAD_SCORE, "-5")).items()).as("a key that parses is a position").hasSize(2);
  }

  @Test
  void namesHoldingALineSeparatorPageByNameLikeAnyOther() {
    // Control characters never reach a name (Inputs' characters rule); U+2028 does, and must not
    // break the cursor.
    ProvisionedOrganization lines = t.provision();
    CustomerService customers = t.adminScope(lines).customers();
    for (String name : List.of("Line\u2028C", "Line\u2028A", "Line\u2028B")) {
      customers.create(CustomerDraft.builder().fullName(name).build());
    }
    List<String> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Customer> page = customers.list(CustomerQuery.builder().sort(CustomerSort.NAME, false).build(), 1, cursor);
      page.items().forEach(c -> seen.add(c.fullName().orElseThrow()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).as("a page boundary at a name with a line separator").containsExactly("Line\u2028A", "Line\u2028B", "Line\u2028C");
  }

  @Test
  void theListPathGivesNothingWithoutATenant() throws SQLException {
    try (Connection c = t.runtime().getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      try (ResultSet rs = s.executeQuery("select count(*) from crm.list_customers(null, null, null, null, null, null,"
          + " null, null, null, null, 'created', true, null, null, 100)")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      c.rollback();
    }
  }

  @Test
  void aDeepValueSortedPageIsAnIndexScan() throws Exception {
    ProvisionedOrganization deep = t.provision();
    UUID stage = t.adminScope(deep).pipeline().stages().get(0).id();
    t.executeAsAdmin("insert into crm.customers (organization_id, full_name, sales_stage_id, estimated_value_minor)"
        + " select '" + deep.organization().id() + "', 'Deep ' || g, '" + stage + "', (g * 7919) % 1000000"
        + " from generate_series(1, 20000) g; analyze crm.customers");
    try (Connection c = t.admin().getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("set local role crm_owner");
      try (ResultSet rs = s.executeQuery("explain (format json) select c.* from crm.customers c"
          + " where c.organization_id = '" + deep.organization().id() + "'"
          + " and (c.estimated_value_minor, c.id) < (500000::bigint, '" + UUID.randomUUID() + "')"
          + " order by c.estimated_value_minor desc, c.id desc limit 50")) {
        rs.next();
        String plan = rs.getString(1);
        assertThat(plan).contains("customers_value_idx").contains("Index Cond").doesNotContain("\"Sort\"");
      }
      c.rollback();
    }
  }
}
