package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.pipeline.SalesStage;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.DeadLetterBox;
import io.crmkit.core.spi.Json;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.IssuedInvitation;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.core.users.UserService;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The same answer for every id a tenant cannot see: each by-id operation of crm-core's tenant
 * services, sub-resources included (a customer's timeline), answers another tenant's real id
 * exactly as an id that does not exist (the same exception and entity, or the same empty answer),
 * and changes nothing, the other tenant's rows least of all. {@link #everyMethodTakingAnIdIsDriven}
 * fails when a service gains a method taking an id that no case drives.
 */
class InvisibleIdsTest {
  private static final List<Class<?>> TENANT_SERVICES = List.of(OrganizationSettings.class, Entitlements.class,
      UserService.class, CustomerService.class, Pipeline.class, DeadLetters.class);

  private static TestCrm t;
  private static TenantScope a;
  /** The other tenant's real ids. */
  private static UUID foreignCustomer;
  private static UUID foreignStage;
  private static UUID foreignUser;
  private static UUID foreignInvitation;
  private static UUID foreignLetter;
  /** Tenant A's own. */
  private static Customer customer;
  private static SalesStage stage;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
    ProvisionedOrganization orgA = t.provision();
    ProvisionedOrganization orgB = t.provision();
    a = t.adminScope(orgA);
    TenantScope b = t.adminScope(orgB);
    stage = a.pipeline().createStage("Shortlisted", "#112233", 40);
    customer = a.customers().create(CustomerDraft.builder().fullName("Sara").whatsappPhone("0501110001")
        .stage(stage.id()).build());
    a.customers().create(CustomerDraft.builder().fullName("Omar").whatsappPhone("0501110002").build());

    foreignStage = b.pipeline().createStage("Shortlisted", "#445566", 40).id();
    Customer theirs = b.customers().create(CustomerDraft.builder().fullName("Their customer")
        .whatsappPhone("0501110001").stage(foreignStage).build());
    b.customers().logActivity(theirs.id(), "call", Optional.of("their call"), Map.of());
    foreignCustomer = theirs.id();
    IssuedInvitation agent = b.users().invite("agent@b.example", Role.AGENT);
    foreignUser = t.crm.acceptInvitation(agent.token(), NewMember.named("Their agent")).id();
    foreignInvitation = b.users().invite("pending@b.example", Role.AGENT).invitation().id();
    TenantWork.call(t.crm.tenant(orgB.organization().id()).asSystem("test-webhook"), tx -> DeadLetterBox.keep(tx,
        "test.letters", "item-1", Json.MAPPER.createObjectNode(), new ValidationException("item", "refused")));
    foreignLetter = b.service(DeadLetters.class).list(1, Optional.empty()).items().get(0).id();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @TestFactory
  Stream<DynamicTest> anotherTenantsIdIsAnsweredAsAnIdThatDoesNotExist() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.method() + " " + c.what(), c::check));
  }

  @Test
  void everyMethodTakingAnIdIsDriven() {
    Set<String> taking = new TreeSet<>();
    Set<String> all = new TreeSet<>();
    for (Class<?> service : TENANT_SERVICES) {
      for (Method method : service.getMethods()) {
        all.add(key(service, method));
        if (Arrays.stream(method.getGenericParameterTypes()).anyMatch(InvisibleIdsTest::carriesAnId)) {
          taking.add(key(service, method));
        }
      }
    }
    Set<String> driven = cases().stream().map(Case::method).collect(Collectors.toCollection(TreeSet::new));
    assertThat(taking).as("methods taking an id").hasSizeGreaterThan(15);
    assertThat(driven).as("cases naming no method").isSubsetOf(all);
    assertThat(taking).as("methods taking an id that no case drives").isSubsetOf(driven);
  }

  /** A UUID, a container of UUIDs, or an input record that names records by id. */
  private static boolean carriesAnId(Type type) {
    if (type == UUID.class || type == CustomerDraft.class || type == CustomerQuery.class) {
      return true;
    }
    return type instanceof ParameterizedType p && Arrays.stream(p.getActualTypeArguments())
        .anyMatch(InvisibleIdsTest::carriesAnId);
  }

  private static String key(Class<?> service, Method method) {
    return service.getSimpleName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    UserService users = a.users();
    CustomerService customers = a.customers();
    Pipeline pipeline = a.pipeline();
    UUID own = customer.id();
    Expect customerNotFound = Expect.notFound("customer");
    Expect stageNotFound = Expect.notFound("stage");

    cases.add(new Case("UserService.get(UUID)", "user", Expect.EMPTY, foreignUser, users::get));
    cases.add(new Case("UserService.revokeInvitation(UUID)", "invitation", Expect.notFound("invitation"),
        foreignInvitation, id -> { users.revokeInvitation(id); return null; }));
    cases.add(new Case("UserService.changeRole(UUID,Role)", "user", Expect.notFound("user"), foreignUser,
        id -> users.changeRole(id, Role.MEMBER)));
    cases.add(new Case("UserService.deactivate(UUID)", "user", Expect.notFound("user"), foreignUser,
        users::deactivate));

    String create = "CustomerService.create(CustomerDraft)";
    String list = "CustomerService.list(CustomerQuery,int,Optional)";
    cases.add(new Case("CustomerService.get(UUID)", "customer", Expect.EMPTY, foreignCustomer, customers::get));
    cases.add(new Case(create, "stage", Expect.refused("stageId"), foreignStage,
        id -> customers.create(CustomerDraft.builder().fullName("New").stage(id).build())));
    cases.add(new Case(create, "assignee", Expect.refused("assignedTo"), foreignUser,
        id -> customers.create(CustomerDraft.builder().fullName("New").assignedTo(id).build())));
    cases.add(new Case("CustomerService.findOrCreateByPhone(String,CustomerDraft)", "stage",
        Expect.refused("stageId"), foreignStage,
        id -> customers.findOrCreateByPhone("0501119999", CustomerDraft.builder().stage(id).build())));
    cases.add(new Case(list, "stage", Expect.EMPTY, foreignStage,
        id -> customers.list(CustomerQuery.builder().stage(id).build(), 10, Optional.empty())));
    cases.add(new Case(list, "assignee", Expect.EMPTY, foreignUser,
        id -> customers.list(CustomerQuery.builder().assignedTo(id).build(), 10, Optional.empty())));
    cases.add(new Case("CustomerService.update(UUID,CustomerUpdate)", "customer", customerNotFound, foreignCustomer,
        id -> customers.update(id, CustomerUpdate.builder().company("Changed").build())));
    cases.add(new Case("CustomerService.moveToStage(UUID,UUID)", "customer", customerNotFound, foreignCustomer,
        id -> customers.moveToStage(id, stage.id())));
    cases.add(new Case("CustomerService.moveToStage(UUID,UUID)", "stage", stageNotFound, foreignStage,
        id -> customers.moveToStage(own, id)));
    cases.add(new Case("CustomerService.assign(UUID,Optional)", "customer", customerNotFound, foreignCustomer,
        id -> customers.assign(id, Optional.empty())));
    cases.add(new Case("CustomerService.assign(UUID,Optional)", "assignee", Expect.refused("userId"), foreignUser,
        id -> customers.assign(own, Optional.of(id))));
    cases.add(new Case("CustomerService.tag(UUID,Collection)", "customer", customerNotFound, foreignCustomer,
        id -> customers.tag(id, List.of("vip"))));
    cases.add(new Case("CustomerService.untag(UUID,Collection)", "customer", customerNotFound, foreignCustomer,
        id -> customers.untag(id, List.of("vip"))));
    cases.add(new Case("CustomerService.setCustomFields(UUID,Map)", "customer", customerNotFound, foreignCustomer,
        id -> customers.setCustomFields(id, Map.of("k", "v"))));
    cases.add(new Case("CustomerService.setLeadScore(UUID,int)", "customer", customerNotFound, foreignCustomer,
        id -> customers.setLeadScore(id, 50)));
    cases.add(new Case("CustomerService.setEstimatedValue(UUID,long,String)", "customer", customerNotFound,
        foreignCustomer, id -> customers.setEstimatedValue(id, 100, "SAR")));
    cases.add(new Case("CustomerService.delete(UUID)", "customer", customerNotFound, foreignCustomer,
        id -> { customers.delete(id); return null; }));
    cases.add(new Case("CustomerService.merge(UUID,UUID)", "duplicate", customerNotFound, foreignCustomer,
        id -> customers.merge(own, id)));
    cases.add(new Case("CustomerService.merge(UUID,UUID)", "survivor", customerNotFound, foreignCustomer,
        id -> customers.merge(id, own)));
    cases.add(new Case("CustomerService.logActivity(UUID,String,Optional,Map)", "customer", customerNotFound,
        foreignCustomer, id -> customers.logActivity(id, "call", Optional.of("a call"), Map.of())));
    cases.add(new Case("CustomerService.timeline(UUID,int,Optional)", "customer", customerNotFound, foreignCustomer,
        id -> customers.timeline(id, 10, Optional.empty())));

    cases.add(new Case("Pipeline.renameStage(UUID,String)", "stage", stageNotFound, foreignStage,
        id -> pipeline.renameStage(id, "Won")));
    cases.add(new Case("Pipeline.recolorStage(UUID,String)", "stage", stageNotFound, foreignStage,
        id -> pipeline.recolorStage(id, "#000000")));
    cases.add(new Case("Pipeline.setProbability(UUID,int)", "stage", stageNotFound, foreignStage,
        id -> pipeline.setProbability(id, 5)));
    cases.add(new Case("Pipeline.setDefault(UUID)", "stage", stageNotFound, foreignStage, pipeline::setDefault));
    cases.add(new Case("Pipeline.reorder(List)", "stage", Expect.refused("stageIds"), foreignStage,
        id -> pipeline.reorder(Stream.concat(pipeline.stages().stream().skip(1).map(SalesStage::id), Stream.of(id))
            .toList())));
    cases.add(new Case("Pipeline.deleteStage(UUID,Optional)", "stage", stageNotFound, foreignStage,
        id -> { pipeline.deleteStage(id, Optional.empty()); return null; }));
    cases.add(new Case("Pipeline.deleteStage(UUID,Optional)", "target stage", stageNotFound, foreignStage,
        id -> { pipeline.deleteStage(stage.id(), Optional.of(id)); return null; }));
    cases.add(new Case("Pipeline.forecast(Optional)", "assignee", Expect.EMPTY, foreignUser,
        id -> pipeline.forecast(Optional.of(id))));

    DeadLetters letters = a.service(DeadLetters.class);
    Expect letterNotFound = Expect.notFound("dead letter");
    cases.add(new Case("DeadLetters.get(UUID)", "letter", letterNotFound, foreignLetter, letters::get));
    cases.add(new Case("DeadLetters.replay(UUID)", "letter", letterNotFound, foreignLetter, letters::replay));
    cases.add(new Case("DeadLetters.drop(UUID)", "letter", letterNotFound, foreignLetter,
        id -> { letters.drop(id); return null; }));
    return cases;
  }

  /**
   * One by-id call, made with a random id and with another tenant's real one: the two answers are
   * the same (an exception of the same type naming the same entity or field, or equal results),
   * and the database is as it was.
   */
  record Case(String method, String what, Expect expect, UUID foreignId, Function<UUID, Object> call) {
    void check() {
      DatabaseState before = DatabaseState.of(t.admin());
      Answer unknown = Answer.of(() -> call.apply(UUID.randomUUID()));
      Answer foreign = Answer.of(() -> call.apply(foreignId));
      assertThat(DatabaseState.of(t.admin())).as("every table, the other tenant's rows included, as it was")
          .isEqualTo(before);
      assertThat(unknown).as("an unknown %s", what).matches(expect::matches, expect.toString());
      assertThat(foreign).as("another tenant's %s as an unknown id", what).isEqualTo(unknown);
    }
  }

  /** What an unknown id must be answered with. */
  record Expect(Class<?> type, String detail) {
    /** An empty answer: an empty Optional, page or forecast. */
    static final Expect EMPTY = new Expect(null, null);

    static Expect notFound(String entity) {
      return new Expect(NotFoundException.class, entity);
    }

    static Expect refused(String field) {
      return new Expect(ValidationException.class, field + ":");
    }

    boolean matches(Answer answer) {
      if (type == null) {
        return answer.type() == null && isEmpty(answer.result());
      }
      return answer.type() == type && (type == NotFoundException.class ? answer.detail().equals(detail)
          : answer.detail().startsWith(detail));
    }

    private static boolean isEmpty(Object result) {
      if ("empty".equals(result)) {
        return true;
      }
      if (result instanceof io.crmkit.core.Page<?> page) {
        return page.items().isEmpty() && page.nextCursor().isEmpty();
      }
      return result instanceof List<?> forecast && forecast.stream()
          .allMatch(line -> ((io.crmkit.core.pipeline.StageForecast) line).customers() == 0);
    }
  }

  /**
   * What a call answered, comparable across ids: the exception type and the entity (or field) it
   * names, or the result with the asked id left out.
   */
  record Answer(Class<?> type, String detail, Object result) {
    static Answer of(java.util.function.Supplier<Object> call) {
      try {
        Object result = call.get();
        return new Answer(null, null, result instanceof Optional<?> o && o.isEmpty() ? "empty" : result);
      } catch (NotFoundException e) {
        return new Answer(e.getClass(), e.entity(), null);
      } catch (ValidationException e) {
        return new Answer(e.getClass(), e.field() + ": " + e.reason(), null);
      } catch (RuntimeException e) {
        return new Answer(e.getClass(), Objects.toString(e.getMessage()), null);
      }
    }
  }
}
