package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.Campaign;
import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignEvent;
import io.crmkit.campaigns.CampaignStatus;
import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A campaign's moves: draft → scheduled or running, scheduled → running, running ⇄ paused, and
 * scheduled, running or paused → stopped; each with the campaign locked. Leaving the draft renders
 * every recipient's message first and takes one of the month's campaigns.
 */
final class CampaignLifecycle {
  /** The usage counter of campaigns started or scheduled, per month in the organization's time zone. */
  static final String STARTED_METRIC = "campaigns_started";
  /** The plan feature a campaign needs to start, run and resume. */
  static final String BULK_SENDER = "bulk_sender";
  private static final Duration LONGEST_SCHEDULE = Duration.ofDays(366);

  private CampaignLifecycle() {}

  static Campaign schedule(TenantScope scope, CampaignEvents events, UUID campaignId, Instant at) {
    Objects.requireNonNull(campaignId, "campaignId");
    Objects.requireNonNull(at, "at");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.schedule", Campaigns.RUNNERS);
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      require(campaign, Set.of(CampaignStatus.DRAFT), "scheduled");
      if (!at.isAfter(tx.now()) || at.isAfter(tx.now().plus(LONGEST_SCHEDULE))) {
        throw new ValidationException("at", "must be in the future, within a year");
      }
      List<CampaignRows.ValuesRow> tagged = tx.mapper(CampaignMapper.class).taggedValues(tx.organizationId(),
          campaignId, campaign.tags());
      render(tx, campaign, tagged);
      leaveDraft(tx, campaign, "campaigns.schedule");
      return change(tx, events, campaign, CampaignStatus.SCHEDULED, at);
    });
  }

  static Campaign start(TenantScope scope, CampaignEvents events, UUID campaignId) {
    Objects.requireNonNull(campaignId, "campaignId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.start", Campaigns.RUNNERS);
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      require(campaign, Set.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED), "started");
      RecipientSelections.expandTags(tx, campaign);
      render(tx, campaign, List.of());
      if (campaign.status == CampaignStatus.DRAFT) {
        leaveDraft(tx, campaign, "campaigns.start");
      } else {
        tx.scope().entitlements().requireFeature(BULK_SENDER, "campaigns.start");
      }
      return change(tx, events, campaign, CampaignStatus.RUNNING, null);
    });
  }

  /**
   * Starts a scheduled campaign whose time has come (by the runner's clock), as the runner does: its tags' customers join
   * and every message is rendered; one that does not render pauses the campaign with the reason
   * instead. Nothing if it is no longer scheduled (another runner started it, or a person did).
   *
   * @return whether this call started or paused it
   */
  static boolean startScheduled(TenantScope scope, CampaignEvents events, UUID campaignId) {
    return TenantWork.call(scope, tx -> {
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      if (campaign.status != CampaignStatus.SCHEDULED) {
        return false;
      }
      String why = null;
      if (!tx.scope().entitlements().hasFeature(BULK_SENDER)) {
        why = "did not start: the organization's plan no longer includes " + BULK_SENDER;
      } else {
        RecipientSelections.expandTags(tx, campaign);
        try {
          render(tx, campaign, List.of());
        } catch (ValidationException e) {
          why = reason("did not start: " + e.getMessage());
        }
      }
      if (why != null) {
        tx.mapper(CampaignMapper.class).changeStatus(tx.organizationId(), campaignId,
            CampaignStatus.PAUSED.databaseName(), why, null, tx.now());
        events.afterCommit(tx, new CampaignEvent.Paused(tx.organizationId(), campaignId, Optional.of(why)));
        return true;
      }
      change(tx, events, campaign, CampaignStatus.RUNNING, null);
      return true;
    });
  }

  private static String reason(String text) {
    return text.length() <= 500 ? text : text.substring(0, 499) + "…";
  }

  static Campaign pause(TenantScope scope, CampaignEvents events, UUID campaignId) {
    return move(scope, events, campaignId, "campaigns.pause", Set.of(CampaignStatus.RUNNING), CampaignStatus.PAUSED);
  }

  /** A paused campaign runs again, if the plan still has bulk_sender (a downgrade pauses it). */
  static Campaign resume(TenantScope scope, CampaignEvents events, UUID campaignId) {
    return move(scope, events, campaignId, "campaigns.resume", Set.of(CampaignStatus.PAUSED), CampaignStatus.RUNNING);
  }

  static Campaign stop(TenantScope scope, CampaignEvents events, UUID campaignId) {
    return move(scope, events, campaignId, "campaigns.stop",
        Set.of(CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, CampaignStatus.PAUSED), CampaignStatus.STOPPED);
  }

  /**
   * An operator's resend of the campaign's unknowns no status settled; a completed campaign with
   * any runs again (and says so to listeners).
   */
  static Campaign resendUnknown(TenantScope scope, CampaignEvents events, UUID campaignId) {
    Objects.requireNonNull(campaignId, "campaignId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.resendUnknown", Campaigns.RUNNERS);
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      require(campaign, Set.of(CampaignStatus.RUNNING, CampaignStatus.PAUSED, CampaignStatus.COMPLETED),
          "sent to its unknowns again");
      tx.scope().entitlements().requireFeature(BULK_SENDER, "campaigns.resendUnknown");
      CampaignMapper campaigns = tx.mapper(CampaignMapper.class);
      if (campaigns.resendUnknown(tx.organizationId(), campaignId) > 0 && campaign.status == CampaignStatus.COMPLETED) {
        events.afterCommit(tx, new CampaignEvent.Started(tx.organizationId(), campaignId));
      }
      return campaigns.find(tx.organizationId(), campaignId).toCampaign();
    });
  }

  static void delete(TenantScope scope, UUID campaignId) {
    Objects.requireNonNull(campaignId, "campaignId");
    TenantWork.call(scope, tx -> {
      tx.requireRole("campaigns.delete", Campaigns.RUNNERS);
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      require(campaign, Set.of(CampaignStatus.DRAFT), "deleted");
      return tx.mapper(CampaignMapper.class).delete(tx.organizationId(), campaignId);
    });
  }

  private static Campaign move(TenantScope scope, CampaignEvents events, UUID campaignId, String operation, Set<CampaignStatus> from,
      CampaignStatus to) {
    Objects.requireNonNull(campaignId, "campaignId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole(operation, Campaigns.RUNNERS);
      CampaignRows.CampaignRow campaign = Campaigns.lock(tx, campaignId);
      require(campaign, from, to.databaseName());
      if (to == CampaignStatus.RUNNING) {
        tx.scope().entitlements().requireFeature(BULK_SENDER, operation);
      }
      return change(tx, events, campaign, to, null);
    });
  }

  private static void require(CampaignRows.CampaignRow campaign, Set<CampaignStatus> from, String what) {
    if (!from.contains(campaign.status)) {
      throw new ConflictException("a campaign that is " + campaign.status.databaseName() + " cannot be " + what
          + (campaign.status.isFinal() ? "; it is read-only" : ""));
    }
  }

  /**
   * Renders every pending recipient's message, and those of {@code extra} (customers of its tags
   * not added yet), as they would be sent.
   *
   * @throws ValidationException for the first that does not render, or if there is no one to send to
   */
  private static void render(TenantTransaction tx, CampaignRows.CampaignRow campaign,
      List<CampaignRows.ValuesRow> extra) {
    CampaignContent content = ContentCodec.read(campaign.messageTemplate, campaign.template);
    List<CampaignRows.ValuesRow> pending = tx.mapper(CampaignMapper.class).renderValues(tx.organizationId(),
        campaign.id);
    if (pending.isEmpty() && extra.isEmpty()) {
      throw new ValidationException("recipients", "the campaign has no one to send to");
    }
    for (CampaignRows.ValuesRow row : pending) {
      CampaignInputs.render(content, Placeholders.Values.of(row));
    }
    for (CampaignRows.ValuesRow row : extra) {
      CampaignInputs.render(content, Placeholders.Values.of(row));
    }
  }

  /** The plan's bulk_sender feature, and one of the month's campaigns taken. */
  private static void leaveDraft(TenantTransaction tx, CampaignRows.CampaignRow campaign, String operation) {
    tx.scope().entitlements().requireFeature(BULK_SENDER, operation);
    LocalDate month = tx.now().atZone(tx.scope().organization().get().timeZone()).toLocalDate().withDayOfMonth(1);
    tx.takeWithinLimit(STARTED_METRIC, month, 1, Limit.CAMPAIGNS_PER_MONTH);
  }

  private static Campaign change(TenantTransaction tx, CampaignEvents events, CampaignRows.CampaignRow campaign,
      CampaignStatus to, Instant scheduledAt) {
    CampaignMapper campaigns = tx.mapper(CampaignMapper.class);
    campaigns.changeStatus(tx.organizationId(), campaign.id, to.databaseName(), null, scheduledAt, tx.now());
    CampaignEvent event = switch (to) {
      case RUNNING -> new CampaignEvent.Started(tx.organizationId(), campaign.id);
      case PAUSED -> new CampaignEvent.Paused(tx.organizationId(), campaign.id, Optional.empty());
      case STOPPED -> new CampaignEvent.Stopped(tx.organizationId(), campaign.id);
      default -> null;
    };
    if (event != null) {
      events.afterCommit(tx, event);
    }
    return campaigns.find(tx.organizationId(), campaign.id).toCampaign();
  }
}
