package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.campaigns.RecipientReport;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.campaigns.SkipReason;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Adding recipients: each selection's entries checked before any SQL, then, with the campaign
 * locked, turned into one recipient per WhatsApp identity in the order given (an identity the
 * campaign has, or the selection names twice, merged), a skipped one kept with its reason. A tag is
 * kept with the campaign and expanded at its start ({@link #expandTags}).
 */
final class RecipientSelections {
  private static final Pattern USER_ID = Pattern.compile("[A-Z]{2}\\.[A-Za-z0-9.]{1,140}");
  private static final int MAX_WRITTEN_PHONE = 64;

  private RecipientSelections() {}

  static RecipientReport add(TenantScope scope, UUID campaignId, RecipientSelection selection) {
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(selection, "selection");
    RecipientSelection checked = checked(selection);
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.addRecipients", Campaigns.RUNNERS);
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      if (campaign.status != CampaignStatus.DRAFT) {
        throw new ConflictException("the campaign is " + campaign.status.databaseName()
            + "; its recipients change only while it is a draft");
      }
      CampaignMapper campaigns = tx.mapper(CampaignMapper.class);
      Batch batch = new Batch();
      if (checked instanceof RecipientSelection.Tag tag) {
        campaigns.addAudienceTag(tx.organizationId(), campaignId, tag.tag());
        return batch.report();
      } else if (checked instanceof RecipientSelection.Customers customers) {
        batch.customers(customers.ids(), campaigns.customersByIds(tx.organizationId(), customers.ids()));
      } else if (checked instanceof RecipientSelection.Matching matching) {
        List<UUID> ids = matching(tx, matching.query());
        batch.customers(ids, campaigns.customersByIds(tx.organizationId(), ids));
      } else if (checked instanceof RecipientSelection.Phones phones) {
        phones(tx, batch, phones.phones());
      } else {
        for (String userId : ((RecipientSelection.UserIds) checked).userIds()) {
          batch.add(null, userId, null, null);
        }
      }
      batch.insert(tx, campaignId);
      return batch.report();
    });
  }

  /**
   * The ids of the customers {@code query} finds, through core's customer list, in this transaction.
   *
   * @throws ValidationException if it finds none, or more than {@link CampaignService#MAX_SELECTION}
   */
  private static List<UUID> matching(TenantTransaction tx, CustomerQuery query) {
    List<UUID> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<Customer> page = tx.scope().customers().list(query, CampaignService.MAX_PAGE, cursor);
      page.items().forEach(customer -> ids.add(customer.id()));
      if (ids.size() > CampaignService.MAX_SELECTION) {
        throw new ValidationException("selection", "the filter finds more than " + CampaignService.MAX_SELECTION
            + " customers; narrow it, or add the parts one by one");
      }
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    if (ids.isEmpty()) {
      throw new ValidationException("selection", "the filter finds no customer");
    }
    return ids;
  }

  /** The selection with its entries checked as text (no SQL yet), the tag by the one rule for tags. */
  private static RecipientSelection checked(RecipientSelection selection) {
    if (selection instanceof RecipientSelection.Tag tag) {
      return RecipientSelection.tag(Inputs.tags("tag", List.of(tag.tag())).get(0));
    }
    if (selection instanceof RecipientSelection.Matching) {
      return selection;
    }
    List<?> entries = selection instanceof RecipientSelection.Customers c ? c.ids()
        : selection instanceof RecipientSelection.Phones p ? p.phones()
        : ((RecipientSelection.UserIds) selection).userIds();
    if (entries.isEmpty() || entries.size() > CampaignService.MAX_SELECTION) {
      throw new ValidationException("selection", "must name 1 to " + CampaignService.MAX_SELECTION + " recipients");
    }
    if (selection instanceof RecipientSelection.Phones phones) {
      List<String> written = new ArrayList<>();
      for (int i = 0; i < phones.phones().size(); i++) {
        String phone = phones.phones().get(i).strip();
        Inputs.characters("phones[" + i + "]", phone, false);
        if (phone.isEmpty() || phone.length() > MAX_WRITTEN_PHONE) {
          throw new ValidationException("phones[" + i + "]", "must be 1 to " + MAX_WRITTEN_PHONE + " characters");
        }
        written.add(phone);
      }
      return RecipientSelection.phones(written);
    }
    if (selection instanceof RecipientSelection.UserIds userIds) {
      for (int i = 0; i < userIds.userIds().size(); i++) {
        if (!USER_ID.matcher(userIds.userIds().get(i)).matches()) {
          throw new ValidationException("userIds[" + i + "]", "must be a business-scoped user id such as"
              + " SA.1502576394655843");
        }
      }
    }
    return selection;
  }

  /** Phones read in the organization's region; one that is not a number is kept as written, skipped. */
  private static void phones(TenantTransaction tx, Batch batch, List<String> written) {
    String region = tx.scope().organization().get().defaultRegion();
    List<String> numbers = new ArrayList<>();
    for (String phone : written) {
      try {
        numbers.add(Inputs.phone("phones", phone, region));
      } catch (ValidationException e) {
        numbers.add(null);
      }
    }
    Map<String, UUID> customers = new HashMap<>();
    for (CampaignRows.CustomerRef ref : tx.mapper(CampaignMapper.class).customersByPhones(tx.organizationId(),
        numbers.stream().filter(Objects::nonNull).distinct().toList())) {
      customers.put(ref.whatsappPhone, ref.id);
    }
    for (int i = 0; i < written.size(); i++) {
      String number = numbers.get(i);
      if (number == null) {
        batch.add(written.get(i), null, null, SkipReason.INVALID_NUMBER);
      } else {
        batch.add(number, null, customers.get(number), null);
      }
    }
  }

  /**
   * Adds the customers of the campaign's tags that it does not have yet, as the start does.
   *
   * @return how many recipients were added (skipped ones included) and how many of them skipped
   */
  static int[] expandTags(TenantTransaction tx, CampaignRows.CampaignRow campaign) {
    if (campaign.tags().isEmpty()) {
      return new int[] {0, 0};
    }
    List<CampaignRows.CustomerRef> tagged = tx.mapper(CampaignMapper.class).customersByTags(tx.organizationId(),
        campaign.tags());
    Batch batch = new Batch();
    batch.customers(tagged.stream().map(ref -> ref.id).toList(), tagged);
    batch.insert(tx, campaign.id);
    return new int[] {batch.inserted, batch.insertedSkipped};
  }

  /** The recipients a call adds, before and after merging with what the campaign has. */
  private static final class Batch {
    final List<String> phones = new ArrayList<>();
    final List<String> userIds = new ArrayList<>();
    final List<UUID> customerIds = new ArrayList<>();
    final List<SkipReason> reasons = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
    int merged;
    int inserted;
    int insertedSkipped;

    /** Customers in the order of {@code ids}, from their rows ({@code refs}). */
    void customers(List<UUID> ids, List<CampaignRows.CustomerRef> refs) {
      Map<UUID, CampaignRows.CustomerRef> byId = new HashMap<>();
      refs.forEach(ref -> byId.put(ref.id, ref));
      for (UUID id : new LinkedHashSet<>(ids)) {
        CampaignRows.CustomerRef ref = byId.get(id);
        if (ref == null) {
          skipped.merge(SkipReason.CUSTOMER_NOT_FOUND, 1, Integer::sum);
        } else if (ref.whatsappPhone == null) {
          add(null, null, id, SkipReason.NO_WHATSAPP_PHONE);
        } else {
          add(ref.whatsappPhone, null, id, null);
        }
      }
      merged += ids.size() - new LinkedHashSet<>(ids).size();
    }

    void add(String phone, String userId, UUID customerId, SkipReason reason) {
      boolean fresh = (phone == null || seen.add("p:" + phone)) && (userId == null || seen.add("u:" + userId))
          && (customerId == null || seen.add("c:" + customerId));
      if (!fresh) {
        merged++;
        return;
      }
      phones.add(phone);
      userIds.add(userId);
      customerIds.add(customerId);
      reasons.add(reason);
    }

    /** Inserts what the campaign does not have yet, after its last position, and counts it. */
    void insert(TenantTransaction tx, UUID campaignId) {
      CampaignMapper campaigns = tx.mapper(CampaignMapper.class);
      Set<String> existing = new HashSet<>();
      if (!phones.isEmpty()) {
        for (CampaignRows.Identity identity : campaigns.existingIdentities(tx.organizationId(), campaignId,
            phones.stream().filter(Objects::nonNull).toList(), userIds.stream().filter(Objects::nonNull).toList(),
            customerIds.stream().filter(Objects::nonNull).toList())) {
          existing.add("p:" + identity.phone);
          existing.add("u:" + identity.userId);
          existing.add("c:" + identity.customerId);
        }
      }
      Set<String> optedOut = new HashSet<>();
      for (CampaignRows.Identity identity : tx.mapper(OptOutMapper.class).optedOutAmong(tx.organizationId(),
          phones.stream().filter(Objects::nonNull).toList(), userIds.stream().filter(Objects::nonNull).toList())) {
        if (identity.phone != null) {
          optedOut.add("p:" + identity.phone);
        }
        if (identity.userId != null) {
          optedOut.add("u:" + identity.userId);
        }
      }
      List<String> newPhones = new ArrayList<>();
      List<String> newUserIds = new ArrayList<>();
      List<String> newCustomers = new ArrayList<>();
      List<String> newReasons = new ArrayList<>();
      for (int i = 0; i < phones.size(); i++) {
        String phone = phones.get(i);
        String userId = userIds.get(i);
        UUID customer = customerIds.get(i);
        if ((phone != null && existing.contains("p:" + phone)) || (userId != null && existing.contains("u:" + userId))
            || (customer != null && existing.contains("c:" + customer))) {
          merged++;
          continue;
        }
        SkipReason reason = reasons.get(i);
        if (reason == null && ((phone != null && optedOut.contains("p:" + phone))
            || (userId != null && optedOut.contains("u:" + userId)))) {
          reason = SkipReason.OPTED_OUT;
        }
        newPhones.add(phone);
        newUserIds.add(userId);
        newCustomers.add(customer == null ? null : customer.toString());
        newReasons.add(reason == null ? null : reason.databaseName());
        if (reason != null) {
          skipped.merge(reason, 1, Integer::sum);
          insertedSkipped++;
        }
      }
      if (newPhones.isEmpty()) {
        return;
      }
      inserted = campaigns.insertRecipients(tx.organizationId(), campaignId, newPhones, newUserIds, newCustomers,
          newReasons);
      campaigns.countRecipients(tx.organizationId(), campaignId, inserted, insertedSkipped);
    }

    RecipientReport report() {
      return new RecipientReport(inserted - insertedSkipped, merged, skipped);
    }
  }
}
