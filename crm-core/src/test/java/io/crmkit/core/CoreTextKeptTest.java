package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.OrganizationUpdate;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Text that is valid is stored and read back exactly as given, whatever it holds: SQL
 * metacharacters (quotes, semicolons, comment dashes, {@code %} and {@code _}, backslashes) are
 * just characters, since every value is a bound parameter, and right-to-left marks, bidi
 * overrides, Arabic and emoji pass unchanged. Searches and list filters with such text find what
 * holds it, and only that ({@code %} and {@code _} are not wildcards).
 */
class CoreTextKeptTest {
  /** One line under every one-line limit (a position's, 100); its first 60 characters make a tag or a key. */
  private static final String LINE = "O'Brien \"Q\"; DROP TABLE crm.customers; -- 100% _x_ \\ "
      + "\u200Fمرحبا\u200E \u202Eabc\u202C 😀";
  /** Several lines. */
  private static final String LINES = LINE + "\r\n\tsecond line\n";
  private static final String EMAIL = "o'brien+%_x;--@example.com";

  private static TestCrm t;
  private static TenantScope admin;
  private static Customer plain;
  private static final AtomicInteger phones = new AtomicInteger(1000);

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    admin = t.adminScope(t.provision());
    plain = admin.customers().create(CustomerDraft.builder().fullName("Plain customer").company("Plain").build());
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void theValuesReallyHoldMetacharactersAndMarks() {
    assertThat(LINE).contains("'", "\"", ";", "--", "%", "_", "\\", "\u200F", "\u202E").hasSizeLessThanOrEqualTo(100);
    assertThat(LINES).contains("\r\n", "\t");
  }

  @TestFactory
  Stream<DynamicTest> textIsStoredAndReadBackAsGiven() {
    Map<String, Function<String, Object>> kept = new LinkedHashMap<>();
    CustomerService customers = admin.customers();
    kept.put("an organization's name", v -> provision(OrganizationDraft.builder().name(v)).organization().name());
    kept.put("the first admin's name and reference", v -> {
      User first = provision(OrganizationDraft.builder().name("Org").admin("o@x.example", v, v)).admin();
      return first.externalRef().orElseThrow().equals(v) ? first.fullName().orElseThrow() : first;
    });
    kept.put("the organization's name, domain and settings", v -> {
      String key = v.substring(0, 60);
      var org = admin.organization().update(OrganizationUpdate.builder().name(v).domain(v)
          .settings(Map.of(key, v)).build());
      return List.of(org.name(), org.domain().orElseThrow(), org.settings().get(key)).equals(List.of(v, v, v))
          ? v : org;
    });
    kept.put("a member's name and reference", v -> {
      String token = admin.users().invite(UUID.randomUUID() + "@example.com", Role.AGENT).token();
      User user = t.crm.acceptInvitation(token, NewMember.of(v, v));
      return user.externalRef().orElseThrow().equals(v) ? user.fullName().orElseThrow() : user;
    });
    kept.put("a customer's name", v -> created(CustomerDraft.builder().fullName(v)).fullName().orElseThrow());
    kept.put("a customer's company", v -> created(named().company(v)).company().orElseThrow());
    kept.put("a customer's position", v -> created(named().position(v)).position().orElseThrow());
    kept.put("a customer's tag", v -> created(named().tag(v.substring(0, 60))).tags().get(0) + v.substring(60));
    kept.put("a customer's custom field", v -> {
      Customer c = created(named().customFields(Map.of(v.substring(0, 60), v)));
      return c.customFields().get(v.substring(0, 60));
    });
    kept.put("a customer's name, changed", v -> customers.update(created(named()).id(),
        CustomerUpdate.builder().fullName(v).build()).fullName().orElseThrow());
    kept.put("a customer's company, changed", v -> customers.update(created(named()).id(),
        CustomerUpdate.builder().company(v).build()).company().orElseThrow());
    kept.put("custom fields, set", v -> customers.setCustomFields(created(named()).id(), Map.of("k", List.of(v)))
        .customFields().get("k").equals(List.of(v)) ? v : null);
    kept.put("tags, added", v -> customers.tag(created(named()).id(), List.of(v.substring(0, 64))).tags().get(0)
        + v.substring(64));
    kept.put("a stage's name", v -> {
      SalesStage stage = admin.pipeline().createStage(v, "#123456", 10);
      admin.pipeline().deleteStage(stage.id(), Optional.empty());
      return stage.name();
    });
    kept.put("a stage's name, renamed", v -> {
      SalesStage stage = admin.pipeline().createStage("Stage " + phones.incrementAndGet(), "#123456", 10);
      return admin.pipeline().renameStage(stage.id(), v).name();
    });
    return kept.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
        () -> assertThat(e.getValue().apply(LINE)).as(e.getKey()).isEqualTo(LINE)));
  }

  @Test
  void multilineTextKeepsItsLineBreaksTabsAndMarks() {
    CustomerService customers = admin.customers();
    Customer c = created(named().notes(LINES));
    assertThat(c.notes()).hasValue(LINES);
    assertThat(customers.update(c.id(), CustomerUpdate.builder().notes(LINES + "more").build()).notes())
        .hasValue(LINES + "more");
    String key = LINE.substring(0, 60);
    Activity logged = customers.logActivity(c.id(), "call", Optional.of(LINES), Map.of(key, LINES));
    assertThat(customers.timeline(c.id(), 1, Optional.empty()).items()).singleElement().satisfies(a -> {
      assertThat(a.id()).isEqualTo(logged.id());
      assertThat(a.description()).hasValue(LINES);
      assertThat(a.metadata()).containsEntry(key, LINES);
    });
  }

  @Test
  void emailsWithMetacharactersAreStoredAndFoundAsGiven() {
    CustomerService customers = admin.customers();
    Customer c = created(named().email(EMAIL));
    assertThat(c.email()).hasValue(EMAIL);
    assertThat(customers.findByEmail(EMAIL.toUpperCase(java.util.Locale.ROOT))).get().extracting(Customer::id)
        .isEqualTo(c.id());
    assertThat(admin.users().invite(EMAIL, Role.MEMBER).invitation().email()).isEqualTo(EMAIL);
    assertThat(admin.users().pendingInvitations()).extracting(i -> i.email()).contains(EMAIL);
  }

  @Test
  void searchAndListFiltersTakeMetacharactersAsCharacters() {
    CustomerService customers = admin.customers();
    Customer c = created(named().company(LINE).customFields(Map.of("ref", LINE)));
    for (String query : List.of("O'Brien", "100%", "_x_", "\\", "\"Q\"; DROP", "-- 1", "مرحبا")) {
      assertThat(customers.search(query, 50, Optional.empty()).items()).as(query).extracting(Customer::id)
          .contains(c.id()).doesNotContain(plain.id());
      assertThat(customers.list(CustomerQuery.builder().text(query).build(), 50, Optional.empty()).items())
          .as(query).extracting(Customer::id).contains(c.id()).doesNotContain(plain.id());
    }
    assertThat(customers.search("%", 50, Optional.empty()).items()).as("%% is not a wildcard")
        .extracting(Customer::id).doesNotContain(plain.id());
    assertThat(customers.list(CustomerQuery.builder().customField("ref", LINE).build(), 50, Optional.empty()).items())
        .extracting(Customer::id).containsExactly(c.id());
    assertThat(admin.entitlements().hasFeature(LINE.substring(0, 60))).isFalse();
  }

  private static ProvisionedOrganization provision(OrganizationDraft.Builder draft) {
    String slug = "kept-" + phones.incrementAndGet();
    return t.crm.platform().provision(draft.slug(slug).defaultRegion("SA")
        .admin("owner@" + slug + ".example").build());
  }

  private static CustomerDraft.Builder named() {
    return CustomerDraft.builder().fullName("Named");
  }

  private static Customer created(CustomerDraft.Builder draft) {
    return admin.customers().create(draft.whatsappPhone("05012" + String.format("%05d", phones.incrementAndGet()))
        .build());
  }
}
