package io.crmkit.core.internal;

import io.crmkit.core.Crm;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one way from a {@link Crm} to its {@link CrmRuntime} outside {@code io.crmkit.core}: {@code
 * Crm} installs the accessor when its class initializes (which any instance implies), so the
 * runtime stays out of the public API.
 */
public final class CrmAccess {
  private static volatile Function<Crm, CrmRuntime> accessor;

  private CrmAccess() {}

  /** Called once, by {@code Crm}'s static initializer. */
  public static synchronized void install(Function<Crm, CrmRuntime> runtimeOf) {
    // Only Crm may install it: anyone else could otherwise put their own accessor first.
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
    if (caller != Crm.class || accessor != null) {
      throw new IllegalStateException("CrmAccess is installed by Crm, once");
    }
    accessor = Objects.requireNonNull(runtimeOf, "runtimeOf");
  }

  /** The runtime of {@code crm}. */
  static CrmRuntime runtime(Crm crm) {
    Objects.requireNonNull(crm, "crm");
    return accessor.apply(crm);
  }
}
