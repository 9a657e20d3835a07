package io.crmkit.core.exception;

import io.crmkit.core.platform.Limit;

/** The organization's plan (or its custom limit) does not allow this; nothing was changed. */
public final class LimitExceededException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final Limit limit;
  private final long value;
  private final String planSlug;

  /** Creates the exception for the limit that was reached, its value and the organization's plan. */
  public LimitExceededException(Limit limit, long value, String planSlug) {
    super(limit.column() + " of " + value + " reached on plan " + planSlug);
    this.limit = limit;
    this.value = value;
    this.planSlug = planSlug;
  }

  /** Which limit was reached. */
  public Limit limit() {
    return limit;
  }

  /** The limit's value for this organization. */
  public long value() {
    return value;
  }

  /** The slug of the organization's plan (package), e.g. {@code "free"}. */
  public String planSlug() {
    return planSlug;
  }
}
