package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.campaigns.CampaignProgress;
import io.crmkit.campaigns.CampaignRecipient;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.OptOutWords;
import io.crmkit.campaigns.RecipientReport;
import io.crmkit.campaigns.RecipientSelection;
import io.crmkit.campaigns.RecipientStatus;
import io.crmkit.campaigns.SendingLimits;
import io.crmkit.core.Actor;
import io.crmkit.core.Page;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Cursor;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.Keyset;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * {@link CampaignService} for one scope: creating and reading here, recipients in
 * {@link RecipientSelections}, the life cycle in {@link CampaignLifecycle}.
 */
final class Campaigns implements CampaignService {
  /** Who creates and runs campaigns. */
  static final Role[] RUNNERS = {Role.ADMIN, Role.MANAGER};
  private static final String RECIPIENTS_CURSOR = "campaign.recipients.v1";

  private final TenantScope scope;
  private final CampaignEvents events;

  Campaigns(TenantScope scope, CampaignEvents events) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public Campaign create(CampaignDraft draft) {
    CampaignRows.NewCampaign row = CampaignInputs.draft(Objects.requireNonNull(draft, "draft"));
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.create", RUNNERS);
      CampaignMapper campaigns = tx.mapper(CampaignMapper.class);
      if (!campaigns.activeProfile(tx.organizationId(), row.profileId())) {
        throw new ValidationException("profileId", "is not an active WhatsApp profile of this organization");
      }
      UUID by = tx.actor() instanceof Actor.Member member ? member.userId() : null;
      return campaigns.insert(tx.organizationId(), row, by).toCampaign();
    });
  }

  @Override
  public Optional<Campaign> get(UUID campaignId) {
    Objects.requireNonNull(campaignId, "campaignId");
    return TenantWork.call(scope, tx -> Optional.ofNullable(tx.mapper(CampaignMapper.class)
        .find(tx.organizationId(), campaignId)).map(CampaignRows.CampaignRow::toCampaign));
  }

  @Override
  public Page<Campaign> list(int limit, Optional<String> cursor) {
    Inputs.pageSize("limit", limit, MAX_PAGE);
    Keyset after = Objects.requireNonNull(cursor, "cursor").map(Keyset::decode).orElse(null);
    return TenantWork.call(scope, tx -> {
      List<Campaign> rows = tx.mapper(CampaignMapper.class).list(tx.organizationId(),
          after == null ? null : after.at(), after == null ? null : after.id(), limit + 1).stream()
          .map(CampaignRows.CampaignRow::toCampaign).toList();
      return Keyset.page(rows, limit, c -> new Keyset(c.createdAt(), c.id()));
    });
  }

  @Override
  public RecipientReport addRecipients(UUID campaignId, RecipientSelection selection) {
    return RecipientSelections.add(scope, campaignId, selection);
  }

  @Override
  public Page<CampaignRecipient> recipients(UUID campaignId, int limit, Optional<String> cursor) {
    return recipients(campaignId, null, limit, cursor);
  }

  @Override
  public Page<CampaignRecipient> recipients(UUID campaignId, RecipientStatus status, int limit,
      Optional<String> cursor) {
    Objects.requireNonNull(campaignId, "campaignId");
    Inputs.pageSize("limit", limit, MAX_PAGE);
    int after = Objects.requireNonNull(cursor, "cursor").map(Campaigns::position).orElse(0);
    return TenantWork.call(scope, tx -> {
      find(tx, campaignId);
      List<CampaignRecipient> rows = tx.mapper(CampaignMapper.class).recipients(tx.organizationId(), campaignId,
          status == null ? null : status.databaseName(), after, limit + 1).stream().map(CampaignRows.RecipientRow::toRecipient).toList();
      if (rows.size() <= limit) {
        return new Page<>(rows, Optional.empty());
      }
      List<CampaignRecipient> items = rows.subList(0, limit);
      String next = Cursor.encode(RECIPIENTS_CURSOR, List.of(Integer.toString(items.get(limit - 1).position())));
      return new Page<>(items, Optional.of(next));
    });
  }

  private static int position(String cursor) {
    try {
      int position = Integer.parseInt(Cursor.decode(cursor, RECIPIENTS_CURSOR, 1).get(0));
      if (position < 1) {
        throw Cursor.refused();
      }
      return position;
    } catch (NumberFormatException e) {
      throw Cursor.refused();
    }
  }

  @Override
  public Campaign schedule(UUID campaignId, Instant at) {
    return CampaignLifecycle.schedule(scope, events, campaignId, at);
  }

  @Override
  public CampaignProgress progress(UUID campaignId) {
    Objects.requireNonNull(campaignId, "campaignId");
    return TenantWork.call(scope, tx -> CampaignProgresses.of(tx, find(tx, campaignId).toCampaign()));
  }

  @Override
  public Campaign schedule(UUID campaignId, LocalDateTime at) {
    Objects.requireNonNull(at, "at");
    return schedule(campaignId, at.atZone(scope.organization().get().timeZone()).toInstant());
  }

  @Override
  public Campaign start(UUID campaignId) {
    return CampaignLifecycle.start(scope, events, campaignId);
  }

  @Override
  public Campaign pause(UUID campaignId) {
    return CampaignLifecycle.pause(scope, events, campaignId);
  }

  @Override
  public Campaign resume(UUID campaignId) {
    return CampaignLifecycle.resume(scope, events, campaignId);
  }

  @Override
  public Campaign stop(UUID campaignId) {
    return CampaignLifecycle.stop(scope, events, campaignId);
  }

  @Override
  public OptOutWords optOutWords() {
    return TenantWork.call(scope, OptOuts::words);
  }

  @Override
  public OptOutWords setOptOutWords(OptOutWords words) {
    OptOutWords checked = OptOuts.checked(Objects.requireNonNull(words, "words"));
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.setOptOutWords", Role.ADMIN);
      tx.mapper(OptOutMapper.class).saveWords(tx.organizationId(), checked.optOut(), checked.optIn());
      return checked;
    });
  }

  @Override
  public SendingLimits sendingLimits(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      requireProfile(tx, profileId);
      RunnerRows.ProfileLimits row = tx.mapper(RunnerMapper.class).profileLimits(tx.organizationId(), profileId);
      return row == null ? SendingLimits.DEFAULT : new SendingLimits(row.messagesPerSecond,
          row.dailyUsers == null ? OptionalInt.empty() : OptionalInt.of(row.dailyUsers));
    });
  }

  @Override
  public SendingLimits setSendingLimits(UUID profileId, SendingLimits limits) {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(limits, "limits");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.setSendingLimits", Role.ADMIN);
      requireProfile(tx, profileId);
      tx.mapper(RunnerMapper.class).setProfileLimits(tx.organizationId(), profileId, limits.messagesPerSecond(),
          limits.dailyUsers().isPresent() ? limits.dailyUsers().getAsInt() : null);
      return limits;
    });
  }

  private static void requireProfile(TenantTransaction tx, UUID profileId) {
    if (!tx.mapper(CampaignMapper.class).profileExists(tx.organizationId(), profileId)) {
      throw new NotFoundException("WhatsApp profile", profileId);
    }
  }

  @Override
  public Campaign resendUnknown(UUID campaignId) {
    return CampaignLifecycle.resendUnknown(scope, events, campaignId);
  }

  @Override
  public void delete(UUID campaignId) {
    CampaignLifecycle.delete(scope, campaignId);
  }

  /** The campaign, read; NotFound if the organization has none of this id. */
  static CampaignRows.CampaignRow find(TenantTransaction tx, UUID campaignId) {
    CampaignRows.CampaignRow row = tx.mapper(CampaignMapper.class).find(tx.organizationId(), campaignId);
    if (row == null) {
      throw new NotFoundException("campaign", campaignId);
    }
    return row;
  }

  /** The campaign, locked until the transaction ends; NotFound if the organization has none of this id. */
  static CampaignRows.CampaignRow lock(TenantTransaction tx, UUID campaignId) {
    CampaignRows.CampaignRow row = tx.mapper(CampaignMapper.class).lock(tx.organizationId(), campaignId);
    if (row == null) {
      throw new NotFoundException("campaign", campaignId);
    }
    return row;
  }
}
