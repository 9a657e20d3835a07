package io.crmkit.core.customers;

/** What a customer list is ordered by; ties are broken by id, so pages never skip or repeat. */
public enum CustomerSort {
  /** When the customer was created. */
  CREATED("created"),
  /** When the customer last really changed. */
  UPDATED("updated"),
  /** The name, folded as search folds it; customers without a name come first ascending. */
  NAME("name"),
  /** The lead score. */
  LEAD_SCORE("lead_score"),
  /** The estimated value in minor units (currencies are not converted). */
  VALUE("value");

  private final String key;

  CustomerSort(String key) {
    this.key = key;
  }

  /** The word the database function takes. */
  public String key() {
    return key;
  }
}
