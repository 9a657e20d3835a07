package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerSort;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.pipeline.StageForecast;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.platform.OrganizationUpdate;
import io.crmkit.core.platform.Platform;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.platform.SubscriptionStatus;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.UserService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input at every public method of crm-core's services: control characters (NUL, C0, DEL, C1),
 * broken UTF-16, text over each field's limit, empty and blank text, absurd sizes and negative
 * numbers, crafted cursors, unknown ids. Each is a typed exception (a {@link ValidationException}
 * naming the API's field, never a column; a {@link NotFoundException} naming the entity), and the
 * database, every table's rows, is as it was. {@link #everyMethodThatTakesInputIsDriven} fails
 * when a service gains a method no case drives.
 */
class CoreBadInputTest {
  /** The services a host reaches, whose every method taking input must have a case here. */
  private static final List<Class<?>> SERVICES = List.of(Platform.class, OrganizationSettings.class,
      Entitlements.class, UserService.class, CustomerService.class, Pipeline.class, DeadLetters.class);
  private static final int[] BAD_PAGE_SIZES = {0, -1, 201, Integer.MIN_VALUE, Integer.MAX_VALUE};

  private static TestCrm t;
  /** The superuser, pooled: the state of the database is read twice per case. */
  private static HikariDataSource superuser;
  private static ProvisionedOrganization org;
  private static TenantScope admin;
  private static Customer customer;
  private static SalesStage stage;
  private static String listCursor;
  private static final AtomicInteger slugs = new AtomicInteger();

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    HikariConfig pool = new HikariConfig();
    pool.setDataSource(t.admin());
    pool.setMaximumPoolSize(1);
    superuser = new HikariDataSource(pool);
    org = t.provision();
    admin = t.adminScope(org);
    stage = admin.pipeline().createStage("Shortlisted", "#112233", 60);
    customer = admin.customers().create(CustomerDraft.builder().fullName("Sara").whatsappPhone("0501230001")
        .email("sara@example.com").stage(stage.id()).build());
    admin.customers().create(CustomerDraft.builder().fullName("Omar").whatsappPhone("0501230002").build());
    admin.users().invite("pending@example.com", Role.AGENT);
    listCursor = admin.customers().list(CustomerQuery.builder().build(), 1, Optional.empty()).nextCursor()
        .orElseThrow();
  }

  @AfterAll
  static void tearDown() {
    superuser.close();
    t.close();
  }

  @TestFactory
  Stream<DynamicTest> badInputIsATypedExceptionAndChangesNothing() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.method() + " with " + c.input(), c::check));
  }

  @Test
  void everyMethodThatTakesInputIsDriven() {
    Set<String> driven = cases().stream().map(Case::method).collect(Collectors.toCollection(TreeSet::new));
    Set<String> all = new TreeSet<>();
    Set<String> takingInput = new TreeSet<>();
    for (Class<?> service : SERVICES) {
      for (Method method : service.getMethods()) {
        if (!Modifier.isStatic(method.getModifiers())) {
          all.add(key(service, method));
          if (method.getParameterCount() > 0) {
            takingInput.add(key(service, method));
          }
        }
      }
    }
    String accept = "Crm.acceptInvitation(String,NewMember)";
    all.add(accept);
    takingInput.add(accept);
    assertThat(takingInput).as("methods that take input").hasSizeGreaterThan(30);
    assertThat(driven).as("cases naming no method of the services").isSubsetOf(all);
    assertThat(takingInput).as("methods taking input that no case drives").isSubsetOf(driven);
  }

  private static String key(Class<?> service, Method method) {
    return service.getSimpleName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
  }

  // ---------------------------------------------------------------------------------------------
  // The cases, per service.

  private static List<Case> cases() {
    Cases cases = new Cases();
    platform(cases);
    organization(cases);
    entitlements(cases);
    users(cases);
    customers(cases);
    customerLists(cases);
    customerChanges(cases);
    timeline(cases);
    imports(cases);
    pipeline(cases);
    deadLetters(cases);
    return cases.all;
  }

  private static void deadLetters(Cases c) {
    DeadLetters letters = admin.service(DeadLetters.class);
    String list = "DeadLetters.list(int,Optional)";
    c.pageSizes(list, size -> () -> letters.list(size, Optional.empty()));
    c.cursors(list, cursor -> () -> letters.list(10, Optional.of(cursor)));
    c.notFound("DeadLetters.get(UUID)", "an id no letter has", "dead letter", () -> letters.get(UUID.randomUUID()));
    c.notFound("DeadLetters.replay(UUID)", "an id no letter has", "dead letter",
        () -> letters.replay(UUID.randomUUID()));
    c.notFound("DeadLetters.drop(UUID)", "an id no letter has", "dead letter", () -> {
      letters.drop(UUID.randomUUID());
      return null;
    });
  }

  private static void platform(Cases c) {
    String m = "Platform.provision(OrganizationDraft)";
    Platform platform = t.crm.platform();
    c.oneLine(m, "name", 255, v -> () -> platform.provision(draft().name(v).build()));
    c.oneLine(m, "adminFullName", 255, v -> () -> platform.provision(draft().admin("o@x.example", v, "ref").build()));
    c.oneLine(m, "adminExternalRef", 255, v -> () -> platform.provision(draft().admin("o@x.example", "O", v).build()));
    c.emails(m, "adminEmail", v -> () -> platform.provision(draft().admin(v).build()));
    for (String slug : List.of("a\u0000b", "ac\nme", "Acme Co", "-acme", "a".repeat(65), "", "  ", "a\uD800")) {
      c.refused(m, "slug " + show(slug), "slug", () -> platform.provision(draft().slug(slug).build()));
    }
    for (String plan : List.of("free\u0000", "free\u0007", "Free!", "", " ", "x".repeat(51), "\uDC00")) {
      c.refused(m, "plan " + show(plan), "planSlug", () -> platform.provision(draft().plan(plan).build()));
    }
    c.notFound(m, "a plan that does not exist", "plan", () -> platform.provision(draft().plan("no-such-plan").build()));
    for (String region : List.of("XX", "S\u0000", "", "Saudi Arabia", "S\uD800")) {
      c.refused(m, "region " + show(region), "defaultRegion",
          () -> platform.provision(draft().defaultRegion(region).build()));
    }
    for (String language : List.of("ar\u0000", "arabic", "", "AR", "en-gb\n")) {
      c.refused(m, "language " + show(language), "defaultLanguage",
          () -> platform.provision(draft().defaultLanguage(language).build()));
    }
    c.refused(m, "an offset for a time zone", "timeZone",
        () -> platform.provision(draft().timeZone(ZoneOffset.ofHours(3)).build()));

    String find = "Platform.findBySlug(String)";
    for (String slug : List.of("a\u0000b", "acme\u0085", "Acme Co", "", "x".repeat(65), "\uD800acme")) {
      c.refused(find, show(slug), "slug", () -> platform.findBySlug(slug));
    }
    c.answers(find, "a slug no organization has", "empty", Optional.empty()::equals,
        () -> platform.findBySlug("no-such-org"));

    UUID orgId = org.organization().id();
    String change = "Platform.changePlan(UUID,String)";
    c.notFound(change, "an organization that does not exist", "organization",
        () -> platform.changePlan(UUID.randomUUID(), "professional"));
    c.notFound(change, "a plan that does not exist", "plan", () -> platform.changePlan(orgId, "no-such-plan"));
    for (String plan : List.of("free\u0000", "", "x".repeat(51), "PRO FESSIONAL", "\uD800")) {
      c.refused(change, "plan " + show(plan), "planSlug", () -> platform.changePlan(orgId, plan));
    }
    String subscription = "Platform.changeSubscription(UUID,String,SubscriptionStatus)";
    c.notFound(subscription, "an organization that does not exist", "organization",
        () -> platform.changeSubscription(UUID.randomUUID(), "professional", SubscriptionStatus.ACTIVE));
    c.notFound(subscription, "a plan that does not exist", "plan",
        () -> platform.changeSubscription(orgId, "no-such-plan", SubscriptionStatus.ACTIVE));
    for (String plan : List.of("free\u0000", "", "x".repeat(51), "PRO FESSIONAL", "\uD800")) {
      c.refused(subscription, "plan " + show(plan), "planSlug",
          () -> platform.changeSubscription(orgId, plan, SubscriptionStatus.PAST_DUE));
    }
    String prices = "Platform.setStripePrices(String,Optional,Optional)";
    c.notFound(prices, "a plan that does not exist", "plan",
        () -> { platform.setStripePrices("no-such-plan", Optional.of("price_new1"), Optional.empty()); return null; });
    for (String price : List.of("prod_1", "", "price_", "price_a b", "price_a\u0000", "price_\uD800")) {
      c.refused(prices, "price " + show(price), "monthlyPriceId",
          () -> { platform.setStripePrices("lite", Optional.of(price), Optional.empty()); return null; });
    }
    c.refused(prices, "the monthly price as the yearly", "yearlyPriceId",
        () -> { platform.setStripePrices("lite", Optional.of("price_same"), Optional.of("price_same")); return null; });
    platform.setStripePrices("business", Optional.of("price_sold1"), Optional.empty());
    c.refused(prices, "a price another plan sells", "monthlyPriceId",
        () -> { platform.setStripePrices("lite", Optional.of("price_sold1"), Optional.empty()); return null; });
    String set = "Platform.setCustomLimit(UUID,Limit,OptionalLong)";
    c.notFound(set, "an organization that does not exist", "organization",
        () -> { platform.setCustomLimit(UUID.randomUUID(), Limit.USERS, OptionalLong.of(5)); return null; });
    for (long value : new long[] {-1, Long.MIN_VALUE}) {
      c.refused(set, "limit " + value, "value",
          () -> { platform.setCustomLimit(orgId, Limit.USERS, OptionalLong.of(value)); return null; });
    }
    c.notFound("Platform.clearCustomLimit(UUID,Limit)", "an organization that does not exist", "organization",
        () -> { platform.clearCustomLimit(UUID.randomUUID(), Limit.USERS); return null; });
  }

  private static void organization(Cases c) {
    String m = "OrganizationSettings.update(OrganizationUpdate)";
    OrganizationSettings settings = admin.organization();
    c.oneLine(m, "name", 255, v -> () -> settings.update(OrganizationUpdate.builder().name(v).build()));
    c.oneLine(m, "domain", 255, v -> () -> settings.update(OrganizationUpdate.builder().domain(v).build()));
    for (String language : List.of("ar\u0000", "arabic", "", "e\uD800")) {
      c.refused(m, "language " + show(language), "defaultLanguage",
          () -> settings.update(OrganizationUpdate.builder().defaultLanguage(language).build()));
    }
    c.refused(m, "an offset for a time zone", "timeZone",
        () -> settings.update(OrganizationUpdate.builder().timeZone(ZoneOffset.ofHours(-5)).build()));
    c.jsonObject(m, "settings", true, v -> () -> settings.update(OrganizationUpdate.builder().settings(v).build()));
  }

  private static void entitlements(Cases c) {
    Entitlements entitlements = admin.entitlements();
    c.oneLine("Entitlements.hasFeature(String)", "feature", 64, v -> () -> entitlements.hasFeature(v));
    c.answers("Entitlements.hasFeature(String)", "SQL metacharacters", "false", Boolean.FALSE::equals,
        () -> entitlements.hasFeature("ticketing' or '1'='1"));
    c.oneLine("Entitlements.requireFeature(String,String)", "feature", 64,
        v -> () -> {
          entitlements.requireFeature(v, "tickets.open");
          return null;
        });
    c.oneLine("Entitlements.requireFeature(String,String)", "operation", 100,
        v -> () -> {
          entitlements.requireFeature("ticketing", v);
          return null;
        });
    c.add(new Case("Entitlements.limit(Limit)", "null", () -> entitlements.limit(null),
        Expected.thrown(NullPointerException.class, "limit")));
  }

  private static void users(Cases c) {
    UserService users = admin.users();
    c.emails("UserService.invite(String,Role)", "email", v -> () -> users.invite(v, Role.AGENT));
    c.answers("UserService.get(UUID)", "an id no user has", "empty", Optional.empty()::equals,
        () -> users.get(UUID.randomUUID()));
    c.notFound("UserService.revokeInvitation(UUID)", "an id no invitation has", "invitation",
        () -> { users.revokeInvitation(UUID.randomUUID()); return null; });
    c.notFound("UserService.changeRole(UUID,Role)", "an id no user has", "user",
        () -> users.changeRole(UUID.randomUUID(), Role.AGENT));
    c.notFound("UserService.deactivate(UUID)", "an id no user has", "user", () -> users.deactivate(UUID.randomUUID()));

    String accept = "Crm.acceptInvitation(String,NewMember)";
    String wellFormed = "A".repeat(43);
    for (String token : List.of("", "a\u0000", "A".repeat(42) + "\u0000", "A".repeat(42) + "\uD800", "x".repeat(10_000),
        wellFormed)) {
      c.notFound(accept, "token " + show(token), "invitation",
          () -> t.crm.acceptInvitation(token, NewMember.named("N")));
    }
    c.oneLine(accept, "fullName", 255, v -> () -> t.crm.acceptInvitation(wellFormed, NewMember.named(v)));
    c.oneLine(accept, "externalRef", 255, v -> () -> t.crm.acceptInvitation(wellFormed, NewMember.of("N", v)));
  }

  private static void customers(Cases c) {
    CustomerService customers = admin.customers();
    String m = "CustomerService.create(CustomerDraft)";
    c.oneLine(m, "fullName", 255, v -> () -> customers.create(CustomerDraft.builder().fullName(v).build()));
    c.oneLine(m, "company", 255, v -> () -> customers.create(named().company(v).build()));
    c.oneLine(m, "position", 100, v -> () -> customers.create(named().position(v).build()));
    c.oneLine(m, "externalId", 255, v -> () -> customers.create(named().externalId(v).build()));
    c.multiline(m, "notes", 20_000, true, v -> () -> customers.create(named().notes(v).build()));
    c.emails(m, "email", v -> () -> customers.create(named().email(v).build()));
    c.phones(m, "whatsappPhone", v -> () -> customers.create(named().whatsappPhone(v).build()));
    c.phones(m, "phone", v -> () -> customers.create(named().phone(v).build()));
    c.tags(m, v -> () -> customers.create(withTags(named(), v).build()));
    c.jsonObject(m, "customFields", true, v -> () -> customers.create(named().customFields(v).build()));
    for (int score : new int[] {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      c.refused(m, "lead score " + score, "leadScore", () -> customers.create(named().leadScore(score).build()));
    }
    for (long value : new long[] {-1, 1_000_000_000_000_001L, Long.MIN_VALUE, Long.MAX_VALUE}) {
      c.refused(m, "value " + value, "estimatedValue",
          () -> customers.create(named().estimatedValue(value, "SAR").build()));
    }
    for (String currency : List.of("sar", "SA", "SARR", "S\u0000R", "", "ŞAR", " SAR")) {
      c.refused(m, "currency " + show(currency), "currency",
          () -> customers.create(named().estimatedValue(1, currency).build()));
    }
    c.refused(m, "nothing to know the customer by", "fullName",
        () -> customers.create(CustomerDraft.builder().company("Only a company").build()));
    c.refused(m, "a stage id that does not exist", "stageId",
        () -> customers.create(named().stage(UUID.randomUUID()).build()));
    c.refused(m, "a member id that does not exist", "assignedTo",
        () -> customers.create(named().assignedTo(UUID.randomUUID()).build()));

    c.answers("CustomerService.get(UUID)", "an id no customer has", "empty", Optional.empty()::equals,
        () -> customers.get(UUID.randomUUID()));
    c.phones("CustomerService.findByPhone(String)", "whatsappPhone", v -> () -> customers.findByPhone(v));
    c.emails("CustomerService.findByEmail(String)", "email", v -> () -> customers.findByEmail(v));
    c.oneLine("CustomerService.findByExternalId(String)", "externalId", 255, v -> () -> customers.findByExternalId(v));
    String find = "CustomerService.findOrCreateByPhone(String,CustomerDraft)";
    c.phones(find, "whatsappPhone", v -> () -> customers.findOrCreateByPhone(v, CustomerDraft.builder().build()));
    c.oneLine(find, "fullName", 255, v -> () -> customers.findOrCreateByPhone("0509990001",
        CustomerDraft.builder().fullName(v).build()));
    c.jsonObject(find, "customFields", true, v -> () -> customers.findOrCreateByPhone("0509990001",
        CustomerDraft.builder().customFields(v).build()));
    c.refused(find, "a bad draft for the phone of a customer who exists", "fullName",
        () -> customers.findOrCreateByPhone("0501230001", CustomerDraft.builder().fullName("Sa\u0000ra").build()));
  }

  private static void customerLists(Cases c) {
    CustomerService customers = admin.customers();
    String search = "CustomerService.search(String,int,Optional)";
    c.oneLine(search, "query", 200, v -> () -> customers.search(v, 10, Optional.empty()));
    c.pageSizes(search, size -> () -> customers.search("Sara", size, Optional.empty()));
    c.cursors(search, cursor -> () -> customers.search("Sara", 10, Optional.of(cursor)));

    String list = "CustomerService.list(CustomerQuery,int,Optional)";
    c.oneLine(list, "text", 200, v -> () -> customers.list(CustomerQuery.builder().text(v).build(), 10,
        Optional.empty()));
    c.tags(list, v -> () -> customers.list(CustomerQuery.builder().tagsAny(v).build(), 10, Optional.empty()));
    c.tags(list, v -> () -> customers.list(CustomerQuery.builder().tagsAll(v).build(), 10, Optional.empty()));
    for (String key : List.of("k\u0000", "k\n", "", "   ", "x".repeat(65), "k\uDC00")) {
      c.refused(list, "custom field key " + show(key), "customFieldKey",
          () -> customers.list(CustomerQuery.builder().customField(key, "v").build(), 10, Optional.empty()));
    }
    for (Object value : List.<Object>of("v\u0000", "v\u0007", "\uD800", Double.NaN, Float.POSITIVE_INFINITY,
        List.of("v"), Map.of("k", "v"), "x".repeat(64_001), new BigDecimal("1e200000"), BigInteger.TEN.pow(2000))) {
      c.refused(list, "custom field value " + show(String.valueOf(value)), "customFieldValue",
          () -> customers.list(CustomerQuery.builder().customField("k", value).build(), 10, Optional.empty()));
    }
    for (Instant bound : List.of(Instant.parse("1969-12-31T23:59:59Z"), Instant.MAX, Instant.MIN)) {
      c.refused(list, "created from " + bound, "createdBetween", () -> customers.list(CustomerQuery.builder()
          .createdBetween(bound, Instant.parse("2030-01-01T00:00:00Z")).build(), 10, Optional.empty()));
    }
    c.pageSizes(list, size -> () -> customers.list(CustomerQuery.builder().build(), size, Optional.empty()));
    c.cursors(list, cursor -> () -> customers.list(CustomerQuery.builder().build(), 10, Optional.of(cursor)));
    c.refused(list, "a cursor of another order", "cursor", () -> customers.list(CustomerQuery.builder()
        .sort(CustomerSort.NAME, false).build(), 10, Optional.of(listCursor)));
  }

  private static void customerChanges(Cases c) {
    CustomerService customers = admin.customers();
    UUID id = customer.id();
    String update = "CustomerService.update(UUID,CustomerUpdate)";
    c.oneLine(update, "fullName", 255, v -> () -> customers.update(id, CustomerUpdate.builder().fullName(v).build()));
    c.oneLine(update, "company", 255, v -> () -> customers.update(id, CustomerUpdate.builder().company(v).build()));
    c.oneLine(update, "position", 100, v -> () -> customers.update(id, CustomerUpdate.builder().position(v).build()));
    c.oneLine(update, "externalId", 255, v -> () -> customers.update(id, CustomerUpdate.builder().externalId(v)
        .build()));
    c.multiline(update, "notes", 20_000, true, v -> () -> customers.update(id, CustomerUpdate.builder().notes(v)
        .build()));
    c.emails(update, "email", v -> () -> customers.update(id, CustomerUpdate.builder().email(v).build()));
    c.phones(update, "whatsappPhone", v -> () -> customers.update(id, CustomerUpdate.builder().whatsappPhone(v)
        .build()));
    c.phones(update, "phone", v -> () -> customers.update(id, CustomerUpdate.builder().phone(v).build()));
    c.refused(update, "nothing left to know the customer by", "fullName", () -> customers.update(id,
        CustomerUpdate.builder().clearFullName().clearWhatsappPhone().clearEmail().clearPhone().build()));
    c.notFound(update, "an id no customer has", "customer", () -> customers.update(UUID.randomUUID(),
        CustomerUpdate.builder().company("Valid").build()));

    String move = "CustomerService.moveToStage(UUID,UUID)";
    c.notFound(move, "a stage id that does not exist", "stage", () -> customers.moveToStage(id, UUID.randomUUID()));
    c.notFound(move, "a customer id that does not exist", "customer",
        () -> customers.moveToStage(UUID.randomUUID(), stage.id()));
    String assign = "CustomerService.assign(UUID,Optional)";
    c.refused(assign, "a member id that does not exist", "userId",
        () -> customers.assign(id, Optional.of(UUID.randomUUID())));
    c.notFound(assign, "a customer id that does not exist", "customer",
        () -> customers.assign(UUID.randomUUID(), Optional.empty()));
    for (String op : List.of("tag", "untag")) {
      String key = "CustomerService." + op + "(UUID,Collection)";
      c.tags(key, v -> () -> op.equals("tag") ? customers.tag(id, v) : customers.untag(id, v));
      c.notFound(key, "a customer id that does not exist", "customer",
          () -> op.equals("tag") ? customers.tag(UUID.randomUUID(), List.of("ok")) : customers.untag(UUID.randomUUID(),
              List.of("ok")));
    }
    String fields = "CustomerService.setCustomFields(UUID,Map)";
    c.jsonObject(fields, "customFields", false, v -> () -> customers.setCustomFields(id, v));
    c.notFound(fields, "a customer id that does not exist", "customer",
        () -> customers.setCustomFields(UUID.randomUUID(), Map.of("k", "v")));
    String score = "CustomerService.setLeadScore(UUID,int)";
    for (int value : new int[] {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      c.refused(score, "score " + value, "leadScore", () -> customers.setLeadScore(id, value));
    }
    c.notFound(score, "a customer id that does not exist", "customer",
        () -> customers.setLeadScore(UUID.randomUUID(), 5));
    String value = "CustomerService.setEstimatedValue(UUID,long,String)";
    for (long minor : new long[] {-1, 1_000_000_000_000_001L, Long.MIN_VALUE, Long.MAX_VALUE}) {
      c.refused(value, "value " + minor, "estimatedValue", () -> customers.setEstimatedValue(id, minor, "SAR"));
    }
    for (String currency : List.of("sar", "S\u0000R", "", "SARR", "\uD800AR")) {
      c.refused(value, "currency " + show(currency), "currency", () -> customers.setEstimatedValue(id, 1, currency));
    }
    c.notFound(value, "a customer id that does not exist", "customer",
        () -> customers.setEstimatedValue(UUID.randomUUID(), 1, "SAR"));
    c.notFound("CustomerService.delete(UUID)", "a customer id that does not exist", "customer",
        () -> { customers.delete(UUID.randomUUID()); return null; });
    String merge = "CustomerService.merge(UUID,UUID)";
    c.refused(merge, "the survivor itself", "duplicateId", () -> customers.merge(id, id));
    c.notFound(merge, "a duplicate that does not exist", "customer", () -> customers.merge(id, UUID.randomUUID()));
    c.notFound(merge, "a survivor that does not exist", "customer", () -> customers.merge(UUID.randomUUID(), id));
  }

  private static void timeline(Cases c) {
    CustomerService customers = admin.customers();
    UUID id = customer.id();
    String log = "CustomerService.logActivity(UUID,String,Optional,Map)";
    for (String type : List.of("Call", "call\u0000", "", "call me", "1call", "x".repeat(51), "call\n", "\uD800")) {
      c.refused(log, "type " + show(type), "type", () -> customers.logActivity(id, type, Optional.empty(), Map.of()));
    }
    c.multiline(log, "description", 20_000, false, v -> () -> customers.logActivity(id, "call", Optional.of(v),
        Map.of()));
    c.jsonObject(log, "metadata", false, v -> () -> customers.logActivity(id, "call", Optional.empty(), v));
    c.notFound(log, "a customer id that does not exist", "customer",
        () -> customers.logActivity(UUID.randomUUID(), "call", Optional.empty(), Map.of()));

    String timeline = "CustomerService.timeline(UUID,int,Optional)";
    c.notFound(timeline, "a customer id that does not exist", "customer",
        () -> customers.timeline(UUID.randomUUID(), 10, Optional.empty()));
    c.pageSizes(timeline, size -> () -> customers.timeline(id, size, Optional.empty()));
    c.cursors(timeline, cursor -> () -> customers.timeline(id, 10, Optional.of(cursor)));
    String recent = "CustomerService.recentActivity(int,Optional)";
    c.pageSizes(recent, size -> () -> customers.recentActivity(size, Optional.empty()));
    c.cursors(recent, cursor -> () -> customers.recentActivity(10, Optional.of(cursor)));
  }

  private static void imports(Cases c) {
    CustomerService customers = admin.customers();
    String m = "CustomerService.importCsv(InputStream,ImportOptions)";
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put("a header with NUL", "email,Loyalty\u0000Card\na@example.com,1\n".getBytes(StandardCharsets.UTF_8));
    headers.put("a header with ESC", "email,\u001B[31mx\na@example.com,1\n".getBytes(StandardCharsets.UTF_8));
    headers.put("a header with bytes that are not UTF-8", bytes("email,Loyalty ", new byte[] {(byte) 0xC3, '('},
        "\na@example.com,1\n"));
    headers.put("a header without a key column", "full_name,company\nA,B\n".getBytes(StandardCharsets.UTF_8));
    headers.put("a custom field name over 64", ("email," + "x".repeat(65) + "\na@example.com,1\n")
        .getBytes(StandardCharsets.UTF_8));
    headers.put("nothing at all", new byte[0]);
    headers.forEach((input, csv) -> c.refused(m, input, "header",
        () -> customers.importCsv(new ByteArrayInputStream(csv), ImportOptions.DEFAULTS)));
    for (int size : new int[] {0, -1, 5001, Integer.MIN_VALUE}) {
      c.refused(m, "batch size " + size, "batchSize", () -> customers.importCsv(new ByteArrayInputStream(
          "email\na@example.com\n".getBytes(StandardCharsets.UTF_8)), new ImportOptions(size, r -> {})));
    }
    String preview = "CustomerService.previewCsv(InputStream,ImportOptions,int)";
    headers.forEach((input, csv) -> c.refused(preview, input, "header",
        () -> customers.previewCsv(new ByteArrayInputStream(csv), ImportOptions.DEFAULTS, 10)));
    for (int rows : new int[] {0, -1, 101, Integer.MAX_VALUE}) {
      c.refused(preview, "rows " + rows, "rows", () -> customers.previewCsv(new ByteArrayInputStream(
          "email\na@example.com\n".getBytes(StandardCharsets.UTF_8)), ImportOptions.DEFAULTS, rows));
    }
  }

  private static void pipeline(Cases c) {
    Pipeline pipeline = admin.pipeline();
    String create = "Pipeline.createStage(String,String,int)";
    c.oneLine(create, "name", 100, v -> () -> pipeline.createStage(v, "#112233", 10));
    List<String> colors = List.of("red", "#12345G", "#1234567", "#12345\u0000", "", "#ABCDEF\n", "#\uD800BCDEF");
    for (String color : colors) {
      c.refused(create, "color " + show(color), "color", () -> pipeline.createStage("Valid", color, 10));
    }
    for (int probability : new int[] {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      c.refused(create, "probability " + probability, "probability",
          () -> pipeline.createStage("Valid", "#112233", probability));
    }
    String rename = "Pipeline.renameStage(UUID,String)";
    c.oneLine(rename, "name", 100, v -> () -> pipeline.renameStage(stage.id(), v));
    c.notFound(rename, "a stage id that does not exist", "stage", () -> pipeline.renameStage(UUID.randomUUID(), "New"));
    String recolor = "Pipeline.recolorStage(UUID,String)";
    for (String color : colors) {
      c.refused(recolor, "color " + show(color), "color", () -> pipeline.recolorStage(stage.id(), color));
    }
    c.notFound(recolor, "a stage id that does not exist", "stage",
        () -> pipeline.recolorStage(UUID.randomUUID(), "#000000"));
    String probability = "Pipeline.setProbability(UUID,int)";
    for (int value : new int[] {-1, 101, Integer.MIN_VALUE}) {
      c.refused(probability, "probability " + value, "probability", () -> pipeline.setProbability(stage.id(), value));
    }
    c.notFound(probability, "a stage id that does not exist", "stage",
        () -> pipeline.setProbability(UUID.randomUUID(), 5));
    c.notFound("Pipeline.setDefault(UUID)", "a stage id that does not exist", "stage",
        () -> pipeline.setDefault(UUID.randomUUID()));
    String reorder = "Pipeline.reorder(List)";
    Map<String, Function<List<UUID>, List<UUID>>> orders = new LinkedHashMap<>();
    orders.put("one stage left out", ids -> ids.subList(1, ids.size()));
    orders.put("one stage twice", ids -> Stream.concat(ids.stream().skip(1), Stream.of(ids.get(1))).toList());
    orders.put("an id that is no stage", ids -> Stream.concat(ids.stream().skip(1), Stream.of(UUID.randomUUID()))
        .toList());
    orders.put("no stages", ids -> List.of());
    orders.forEach((input, order) -> c.refused(reorder, input, "stageIds", () -> pipeline.reorder(order.apply(
        pipeline.stages().stream().map(SalesStage::id).toList()))));
    String delete = "Pipeline.deleteStage(UUID,Optional)";
    c.notFound(delete, "a stage id that does not exist", "stage",
        () -> { pipeline.deleteStage(UUID.randomUUID(), Optional.empty()); return null; });
    c.notFound(delete, "a target stage that does not exist", "stage",
        () -> { pipeline.deleteStage(stage.id(), Optional.of(UUID.randomUUID())); return null; });
    c.refused(delete, "the stage itself as the target", "moveCustomersTo",
        () -> { pipeline.deleteStage(stage.id(), Optional.of(stage.id())); return null; });
    c.answers("Pipeline.forecast(Optional)", "a member id that does not exist", "every stage empty",
        forecast -> ((List<?>) forecast).stream().allMatch(line -> ((StageForecast) line).customers() == 0),
        () -> pipeline.forecast(Optional.of(UUID.randomUUID())));
  }

  // ---------------------------------------------------------------------------------------------
  // Inputs and builders.

  private static OrganizationDraft.Builder draft() {
    String slug = "bad-input-" + slugs.incrementAndGet();
    return OrganizationDraft.builder().name("Bad input").slug(slug).defaultRegion("SA")
        .admin("owner@" + slug + ".example", "Owner", "host-" + slug);
  }

  private static CustomerDraft.Builder named() {
    return CustomerDraft.builder().fullName("Valid name");
  }

  private static CustomerDraft.Builder withTags(CustomerDraft.Builder builder, Collection<String> tags) {
    tags.forEach(builder::tag);
    return builder;
  }

  private static byte[] bytes(String before, byte[] raw, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(raw);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Input as readable text for a test's name: controls and surrogates as U+XXXX, long text shortened. */
  static String show(String value) {
    StringBuilder shown = new StringBuilder("\"");
    value.chars().limit(24).forEach(ch -> shown.append(ch < 0x20 || (ch >= 0x7F && ch < 0xA0)
        || Character.isSurrogate((char) ch) ? String.format("U+%04X", ch) : String.valueOf((char) ch)));
    return shown.append(value.length() > 24 ? "…(" + value.length() + ")" : "").append('"').toString();
  }

  /** A call of a service method. */
  @FunctionalInterface
  interface Attempt {
    Object run() throws Exception;
  }

  /** What a case must answer. */
  interface Expected {
    void verify(Object answer, Throwable thrown);

    /** A {@link ValidationException} naming {@code field} as the API names it. */
    static Expected refused(String field) {
      return (answer, thrown) -> assertThat(thrown).isInstanceOfSatisfying(ValidationException.class, e -> {
        assertThat(e.field()).as("the field, as the API names it").isEqualTo(field);
        assertThat(e.reason()).as("a reason from the Java checks, not the database's")
            .doesNotContain("SQLSTATE").doesNotContain("schema").doesNotContain("cannot store");
        assertThat(e.getMessage()).as("a message that never echoes a control character or lone surrogate")
            .doesNotContainPattern("[\\x00-\\x1F\\x7F]|\\p{Cs}");
      });
    }

    /** A {@link NotFoundException} for {@code entity}. */
    static Expected notFound(String entity) {
      return (answer, thrown) -> assertThat(thrown).isInstanceOfSatisfying(NotFoundException.class,
          e -> assertThat(e.entity()).isEqualTo(entity));
    }

    /** {@code type}, with {@code message}. */
    static Expected thrown(Class<? extends Throwable> type, String message) {
      return (answer, thrown) -> assertThat(thrown).isInstanceOf(type).hasMessage(message);
    }

    /** No exception, and an answer that {@code check} accepts. */
    static Expected answers(String what, Predicate<Object> check) {
      return (answer, thrown) -> {
        assertThat(thrown).as("no exception").isNull();
        assertThat(answer).as(what).matches(check);
      };
    }
  }

  /** One call with bad input, and what it must answer; whatever it answers, nothing changes. */
  record Case(String method, String input, Attempt call, Expected expected) {
    void check() {
      DatabaseState before = DatabaseState.of(superuser);
      Object answer = null;
      Throwable thrown = null;
      try {
        answer = call.run();
      } catch (Throwable e) {
        thrown = e;
      }
      try {
        expected.verify(answer, thrown);
      } catch (AssertionError e) {
        throw new AssertionError(method + " with " + input + ": " + e.getMessage()
            + (thrown == null ? "" : " (it threw " + thrown + ")"), e);
      }
      assertThat(DatabaseState.of(superuser)).as(method + " with " + input + ": every table as it was")
          .isEqualTo(before);
    }
  }

  /** The cases, and the families of bad values each kind of input gets. */
  private static final class Cases {
    final List<Case> all = new ArrayList<>();

    void add(Case c) {
      all.add(c);
    }

    void refused(String method, String input, String field, Attempt call) {
      add(new Case(method, input, call, Expected.refused(field)));
    }

    void notFound(String method, String input, String entity, Attempt call) {
      add(new Case(method, input, call, Expected.notFound(entity)));
    }

    void answers(String method, String input, String what, Predicate<Object> check, Attempt call) {
      add(new Case(method, input, call, Expected.answers(what, check)));
    }

    /** One line of text of at most {@code max} characters, required. */
    void oneLine(String method, String field, int max, Function<String, Attempt> call) {
      Map<String, String> bad = controlsAndSurrogates();
      bad.put("a line break", "a\nb");
      bad.put("a tab", "a\tb");
      bad.put("a carriage return", "a\rb");
      bad.put("over " + max + " characters", "x".repeat(max + 1));
      bad.put("over " + max + " UTF-16 units in emoji", "😀".repeat(max / 2 + 1));
      bad.put("nothing", "");
      bad.put("only whitespace", " \t \u2003 ");
      bad.forEach((input, value) -> refused(method, field + " with " + input, field, call.apply(value)));
    }

    /** Text of several lines of at most {@code max} characters; blank is refused when {@code required}. */
    void multiline(String method, String field, int max, boolean required, Function<String, Attempt> call) {
      Map<String, String> bad = controlsAndSurrogates();
      bad.put("over " + max + " characters", "line\n".repeat(max / 5 + 1));
      if (required) {
        bad.put("nothing", "");
        bad.put("only whitespace and line breaks", " \n\t\r\n ");
      }
      bad.forEach((input, value) -> refused(method, field + " with " + input, field, call.apply(value)));
    }

    void emails(String method, String field, Function<String, Attempt> call) {
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put("NUL", "sara\u0000@example.com");
      bad.put("a control character", "sara\u0007@example.com");
      bad.put("a header injection", "sara@example.com\nBcc: all@example.com");
      bad.put("a lone surrogate", "sara\uD800@example.com");
      bad.put("over 254 characters", "x".repeat(243) + "@example.com");
      bad.put("no @", "sara.example.com");
      bad.put("nothing", "");
      bad.put("only whitespace", "   ");
      bad.forEach((input, value) -> refused(method, field + " with " + input, field, call.apply(value)));
    }

    void phones(String method, String field, Function<String, Attempt> call) {
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put("NUL between digits", "050\u0000 123 4567");
      bad.put("a control character", "050\u0007 123 4567");
      bad.put("a line break", "050 123\n4567");
      bad.put("a lone surrogate", "\uD800050 123 4567");
      bad.put("over 64 characters", "5".repeat(65));
      bad.put("words", "call me maybe");
      bad.put("too few digits", "12");
      bad.put("nothing", "");
      bad.put("only whitespace", "  ");
      bad.forEach((input, value) -> refused(method, field + " with " + input, field, call.apply(value)));
    }

    void tags(String method, Function<List<String>, Attempt> call) {
      Map<String, List<String>> bad = new LinkedHashMap<>();
      bad.put("NUL", List.of("vip", "v\u0000ip"));
      bad.put("a control character", List.of("v\u001Bip"));
      bad.put("a line break", List.of("v\nip"));
      bad.put("a lone surrogate", List.of("v\uDC00"));
      bad.put("an empty tag", List.of(""));
      bad.put("a blank tag", List.of("  "));
      bad.put("a tag over 64", List.of("x".repeat(65)));
      bad.put("51 tags", IntStream.range(0, 51).mapToObj(i -> "tag" + i).toList());
      bad.forEach((input, value) -> refused(method, "tags with " + input, "tags", call.apply(value)));
    }

    /**
     * A JSON object by the rule of custom fields; the field is named with the path that is wrong. A
     * null in it is a {@link NullPointerException} naming its path when a builder takes the map
     * ({@code viaBuilder}), as every builder does with nulls.
     */
    void jsonObject(String method, String field, boolean viaBuilder, Function<Map<String, Object>, Attempt> call) {
      record Bad(String input, Map<String, Object> value, String path) {}
      Map<String, Object> withNull = new HashMap<>();
      withNull.put("k", null);
      List<Bad> bad = List.of(
          new Bad("NUL in a value", Map.of("k", "a\u0000b"), field + ".k"),
          new Bad("a control character in a value", Map.of("k", "a\u0085b"), field + ".k"),
          new Bad("a lone surrogate in a value", Map.of("k", "a\uD800"), field + ".k"),
          new Bad("NUL in a nested list", Map.of("k", List.of("ok", "a\u0000")), field + ".k[1]"),
          new Bad("NUL in a nested object", Map.of("k", Map.of("n", "\u0000")), field + ".k.n"),
          new Bad("NUL in a key", Map.of("k\u0000", "v"), field),
          new Bad("a lone surrogate in a key", Map.of("\uDC00", "v"), field),
          new Bad("an empty key", Map.of("", "v"), field),
          new Bad("a key over 64", Map.of("x".repeat(65), "v"), field),
          new Bad("NaN", Map.of("k", Double.NaN), field + ".k"),
          new Bad("infinity", Map.of("k", Float.NEGATIVE_INFINITY), field + ".k"),
          new Bad("a value that is not JSON", Map.of("k", new Object()), field),
          new Bad("over 64,000 characters as JSON", Map.of("k", "x".repeat(64_001)), field),
          new Bad("a number past PostgreSQL's numeric", Map.of("k", new BigDecimal("1e200000")), field + ".k"),
          new Bad("a number finer than it", Map.of("k", new BigDecimal("1e-20000")), field + ".k"),
          new Bad("an integer of 2,000 digits", Map.of("k", BigInteger.TEN.pow(2000)), field + ".k"));
      for (Bad b : bad) {
        refused(method, field + " with " + b.input(), b.path(), call.apply(b.value()));
      }
      add(new Case(method, field + " with a null", call.apply(withNull), viaBuilder
          ? Expected.thrown(NullPointerException.class, field + ".k is null") : Expected.refused(field)));
      Map<String, Object> nullUnderABadKey = new HashMap<>();
      nullUnderABadKey.put("k\u0000", null);
      add(new Case(method, field + " with a null under a key with NUL", call.apply(nullUnderABadKey), viaBuilder
          ? Expected.thrown(NullPointerException.class, field + ".k\\u0000 is null") : Expected.refused(field)));
    }

    void pageSizes(String method, Function<Integer, Attempt> call) {
      for (int size : BAD_PAGE_SIZES) {
        refused(method, "limit " + size, "limit", call.apply(size));
      }
    }

    void cursors(String method, Function<String, Attempt> call) {
      List<String> bad = List.of("", "not a cursor", "\u0000", "\uD800", "a".repeat(10_000),
          java.util.Base64.getUrlEncoder().encodeToString("keyset.v1\n1\n0\n\u0000".getBytes(StandardCharsets.UTF_8)),
          java.util.Base64.getUrlEncoder().encodeToString("customers.search.v1\n0\n\n-99999999999999\n0\nx"
              .getBytes(StandardCharsets.UTF_8)));
      for (String cursor : bad) {
        refused(method, "cursor " + show(cursor), "cursor", call.apply(cursor));
      }
    }

    private static Map<String, String> controlsAndSurrogates() {
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put("NUL", "a\u0000b");
      bad.put("BEL", "a\u0007b");
      bad.put("ESC", "\u001B[31mred");
      bad.put("DEL", "a\u007Fb");
      bad.put("C1 NEL", "a\u0085b");
      bad.put("a lone high surrogate", "a\uD800b");
      bad.put("a lone low surrogate", "a\uDC00b");
      bad.put("surrogates in the wrong order", "a\uDE00\uD83Db");
      return bad;
    }
  }
}
