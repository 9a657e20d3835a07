package io.crmkit.campaigns;

import io.crmkit.core.customers.CustomerQuery;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Whom to add to a campaign. Each selection becomes recipients, one per WhatsApp identity: a phone
 * in E.164 or a business-scoped user id. A customer is reached at its WhatsApp phone.
 *
 * <pre>{@code
 * campaigns.addRecipients(id, RecipientSelection.customers(List.of(saraId, omarId)));
 * campaigns.addRecipients(id, RecipientSelection.tag("vip"));
 * campaigns.addRecipients(id, RecipientSelection.matching(CustomerQuery.builder().stage(proposalId).build()));
 * campaigns.addRecipients(id, RecipientSelection.phones(List.of("0501234567", "+971501234567")));
 * }</pre>
 */
public sealed interface RecipientSelection permits RecipientSelection.Customers, RecipientSelection.Matching,
    RecipientSelection.Tag, RecipientSelection.Phones, RecipientSelection.UserIds {

  /** Customers by id; an id of no customer of this organization is reported as skipped, and not kept. */
  static Customers customers(Collection<UUID> ids) {
    return new Customers(List.copyOf(Objects.requireNonNull(ids, "ids")));
  }

  /**
   * The customers a CRM filter finds now (the same filter as the customer list: text, stage,
   * assignee, tags, source, creation time, a custom field), at most
   * {@value CampaignService#MAX_SELECTION}; a filter that finds more is refused (narrow it, or add
   * the parts one by one). Those without a WhatsApp phone are reported as skipped.
   */
  static Matching matching(CustomerQuery query) {
    return new Matching(Objects.requireNonNull(query, "query"));
  }

  /**
   * The customers with this tag when the campaign starts: the tag is kept with the campaign, and its
   * customers become recipients at the start ({@link CampaignService#schedule} checks their messages
   * as they are then).
   */
  static Tag tag(String tag) {
    return new Tag(tag);
  }

  /**
   * Phone numbers as people write them, read in the organization's region ({@code 050…} in SA) or
   * with their country code; a number that is not one is skipped with its reason. A number that is a
   * customer's WhatsApp phone reaches that customer (and takes its values).
   */
  static Phones phones(Collection<String> phones) {
    return new Phones(List.copyOf(Objects.requireNonNull(phones, "phones")));
  }

  /** Business-scoped user ids WhatsApp gave for users known by a username ({@code SA.1502576394655843}). */
  static UserIds userIds(Collection<String> userIds) {
    return new UserIds(List.copyOf(Objects.requireNonNull(userIds, "userIds")));
  }

  /** The customers a CRM filter finds when the selection is added. */
  record Matching(CustomerQuery query) implements RecipientSelection {
    /** Creates the selection. */
    public Matching {
      Objects.requireNonNull(query, "query");
    }
  }

  /** Customers by id, at most 10,000 per call. */
  record Customers(List<UUID> ids) implements RecipientSelection {
    /** Creates the selection; the ids are copied. */
    public Customers {
      ids = List.copyOf(ids);
    }
  }

  /** The customers with a tag. */
  record Tag(String tag) implements RecipientSelection {
    /** Creates the selection. */
    public Tag {
      Objects.requireNonNull(tag, "tag");
    }
  }

  /** Phone numbers, at most 10,000 per call. */
  record Phones(List<String> phones) implements RecipientSelection {
    /** Creates the selection; the numbers are copied. */
    public Phones {
      phones = List.copyOf(phones);
    }
  }

  /** Business-scoped user ids, at most 10,000 per call. */
  record UserIds(List<String> userIds) implements RecipientSelection {
    /** Creates the selection; the ids are copied. */
    public UserIds {
      userIds = List.copyOf(userIds);
    }
  }
}
