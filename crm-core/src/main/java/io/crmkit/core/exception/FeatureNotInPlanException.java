package io.crmkit.core.exception;

/**
 * The organization's plan does not include a feature the operation needs (ticketing, bulk
 * sending, …); nothing was changed. Unlike {@link ForbiddenException}, no role would be allowed:
 * the organization needs another plan.
 */
public final class FeatureNotInPlanException extends CrmException {
  private static final long serialVersionUID = 1L;
  private final String feature;
  private final String planSlug;
  private final String operation;

  /** Creates the exception for the missing feature, the organization's plan and the refused operation. */
  public FeatureNotInPlanException(String feature, String planSlug, String operation) {
    super(operation + " needs " + feature + ", which plan " + planSlug + " does not include");
    this.feature = feature;
    this.planSlug = planSlug;
    this.operation = operation;
  }

  /** The feature the plan lacks, e.g. {@code "bulk_sender"}. */
  public String feature() {
    return feature;
  }

  /** The slug of the organization's plan (package), e.g. {@code "free"}. */
  public String planSlug() {
    return planSlug;
  }

  /** The refused operation, e.g. {@code "campaigns.start"}. */
  public String operation() {
    return operation;
  }
}
