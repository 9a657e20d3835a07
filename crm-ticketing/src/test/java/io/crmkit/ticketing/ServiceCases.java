package io.crmkit.ticketing;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.testdb.RowCounts;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.sql.DataSource;

/**
 * Calls of service methods a bad-input suite drives, each keyed by the method it calls, so the
 * suite shows every public method of a service is driven ({@link #undriven}); and the check that a
 * call answered what it must and changed nothing.
 */
final class ServiceCases {

  /** What a call answers. */
  sealed interface Answer permits Invalid, NotFound, Returned {}

  /** A {@link ValidationException} on {@code field}. */
  record Invalid(String field) implements Answer {}

  /** A {@link NotFoundException} for {@code entity}. */
  record NotFound(String entity) implements Answer {}

  /** A value, such as an empty {@code Optional} or an empty page. */
  record Returned(Object value) implements Answer {}

  /** A call of {@code method} and what it must answer; {@code null} for anything but an exception. */
  record Case(Method method, String what, Callable<?> call, Answer answer) {
    String name() {
      return method.getDeclaringClass().getSimpleName() + "." + method.getName() + ": " + what;
    }
  }

  /**
   * A call of {@code method} that names a record (by id, by number), made with a key that names
   * nothing and with another tenant's.
   */
  record Invisible(Method method, String what, Object missing, Object others, Function<Object, Object> call,
      Answer answer) {
    String name() {
      return method.getDeclaringClass().getSimpleName() + "." + method.getName() + ": " + what;
    }
  }

  private final List<Case> cases = new ArrayList<>();
  private final List<Invisible> invisible = new ArrayList<>();
  private Method method;

  /** The method the next cases call. */
  ServiceCases on(Class<?> service, String name, Class<?>... parameters) {
    try {
      method = service.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(service.getSimpleName() + " has no " + name + Arrays.toString(parameters), e);
    }
    return this;
  }

  /** A call refused with a {@link ValidationException} on {@code field}. */
  ServiceCases invalid(String field, String what, Callable<?> call) {
    cases.add(new Case(method, what, call, new Invalid(field)));
    return this;
  }

  /**
   * The text a field of at most {@code max} characters refuses: control characters (NUL, C0, DEL,
   * C1), unpaired surrogates, one character too many, and, if {@code required}, empty and
   * whitespace-only text; a one-line field also refuses a line break.
   */
  ServiceCases invalidTexts(String field, int max, boolean oneLine, boolean required, Function<String, Callable<?>> call) {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("NUL", "a\u0000b");
    bad.put("a C0 control (bell)", "a\u0007b");
    bad.put("DEL", "a\u007Fb");
    bad.put("a C1 control (NEL)", "a\u0085b");
    bad.put("an unpaired high surrogate", "a\uD83Db");
    bad.put("an unpaired low surrogate", "\uDE9A");
    bad.put("one character over " + max, "x".repeat(max + 1));
    if (required) {
      bad.put("empty", "");
      bad.put("whitespace only", " \t \u2003 ");
    }
    if (oneLine) {
      bad.put("a line break", "a\nb");
    }
    bad.forEach((what, text) -> invalid(field, field + " with " + what, call.apply(text)));
    return this;
  }

  /** The sizes a field of 1 to {@code max} refuses: zero, negative, one too many, and the extremes of int. */
  ServiceCases invalidSizes(String field, int max, IntFunction<Callable<?>> call) {
    for (int size : new int[] {0, -1, max + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      invalid(field, field + " = " + size, call.apply(size));
    }
    return this;
  }

  /** A call answered with a {@link NotFoundException} for {@code entity}. */
  ServiceCases notFound(String entity, String what, Callable<?> call) {
    cases.add(new Case(method, what, call, new NotFound(entity)));
    return this;
  }

  /** A call of a method that takes no input: it answers, and changes nothing. */
  ServiceCases answers(String what, Callable<?> call) {
    cases.add(new Case(method, what, call, null));
    return this;
  }

  /** A call naming a record by id: with an id that does not exist and with {@code othersId}, it answers {@code answer}. */
  ServiceCases invisible(String what, UUID othersId, Answer answer, Function<UUID, Object> call) {
    return invisible(what, UUID.randomUUID(), othersId, answer, call);
  }

  /** A call naming a record by a key: with {@code missing}, which names nothing, and with {@code others}, it answers {@code answer}. */
  @SuppressWarnings("unchecked")
  <K> ServiceCases invisible(String what, K missing, K others, Answer answer, Function<K, Object> call) {
    invisible.add(new Invisible(method, what, missing, others, key -> call.apply((K) key), answer));
    return this;
  }

  List<Case> cases() {
    return List.copyOf(cases);
  }

  List<Invisible> invisible() {
    return List.copyOf(invisible);
  }

  /** The public methods of {@code services} that no case calls, as {@code Service.method(parameters)}. */
  Set<String> undriven(Class<?>... services) {
    Set<String> undriven = new TreeSet<>();
    for (Class<?> service : services) {
      for (Method m : service.getMethods()) {
        if (!Modifier.isStatic(m.getModifiers()) && !m.isDefault()) {
          undriven.add(signature(m));
        }
      }
    }
    cases.forEach(c -> undriven.remove(signature(c.method())));
    invisible.forEach(c -> undriven.remove(signature(c.method())));
    return undriven;
  }

  /** A value for a test's name: control characters and surrogates escaped, at most 40 characters shown. */
  static String shown(String value) {
    StringBuilder shown = new StringBuilder("\"");
    value.codePoints().limit(40).forEach(c -> shown.append(c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)
        || Character.isSurrogate((char) c) && c <= 0xFFFF ? String.format("\\u%04X", c) : Character.toString(c)));
    return shown.append(value.length() > 40 ? "…\" (" + value.length() + ")" : "\"").toString();
  }

  private static String signature(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName()
        + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList();
  }

  /** Runs the case: it answers as it must, refusing before any SQL, and no row of {@code admin}'s crm schema changes. */
  static void check(Case c, DataSource admin) throws Exception {
    Map<String, Long> counts = RowCounts.of(admin, "crm");
    Map<String, String> digests = TableDigests.of(admin);
    if (c.answer() == null) {
      c.call().call();
    } else {
      Throwable thrown = thrown(c.name(), c.call());
      assertThat(answer(c.name(), thrown)).as(c.name()).isEqualTo(c.answer());
      if (c.answer() instanceof Invalid) {
        assertThat(thrown.getCause()).as("%s: refused by the checks, not by the database", c.name()).isNull();
      }
    }
    assertThat(RowCounts.of(admin, "crm")).as("%s: no row added or removed", c.name()).isEqualTo(counts);
    assertThat(TableDigests.of(admin)).as("%s: no row changed", c.name()).isEqualTo(digests);
  }

  /** Runs the case with a key that names nothing and with another tenant's: the same answer, and nothing changed. */
  static void check(Invisible c, DataSource admin) {
    Map<String, Long> counts = RowCounts.of(admin, "crm");
    Map<String, String> digests = TableDigests.of(admin);
    assertThat(outcome(c.name(), () -> c.call().apply(c.missing())))
        .as("%s, a key that names nothing", c.name()).isEqualTo(c.answer());
    assertThat(outcome(c.name(), () -> c.call().apply(c.others()))).as("%s, another tenant's", c.name())
        .isEqualTo(c.answer());
    assertThat(RowCounts.of(admin, "crm")).as("%s: no row added or removed", c.name()).isEqualTo(counts);
    assertThat(TableDigests.of(admin)).as("%s: no row changed", c.name()).isEqualTo(digests);
  }

  private static Throwable thrown(String name, Callable<?> call) {
    try {
      call.call();
    } catch (Throwable e) {
      return e;
    }
    throw new AssertionError(name + ": the call answered instead of refusing");
  }

  private static Answer outcome(String name, Callable<?> call) {
    try {
      return new Returned(call.call());
    } catch (Throwable e) {
      return answer(name, e);
    }
  }

  /** The answer an exception is; an assertion error if it is not a typed one. */
  private static Answer answer(String name, Throwable e) {
    if (e instanceof ValidationException v) {
      return new Invalid(v.field());
    }
    if (e instanceof NotFoundException n) {
      return new NotFound(n.entity());
    }
    throw new AssertionError(name + ": not a typed answer", e);
  }
}
