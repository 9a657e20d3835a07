package io.crmkit.whatsapp.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.ProfileStatus;
import io.crmkit.whatsapp.WhatsAppProfile;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppSender;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WhatsAppProfiles} over whatsapp_profiles, through crm-core's {@link TenantWork}; the
 * proofs that route numbers, and their contests, through {@link ProfileProofs} and {@link NumberRoutes}.
 */
final class SqlWhatsAppProfiles implements WhatsAppProfiles {
  /** The usage counter of active profiles, a running total. */
  static final String METRIC = "whatsapp_profiles";

  private final TenantScope scope;
  private final SessionCipher cipher;
  private final NumberRoutes routes;
  private final ProfileProofs proofs;

  /** Profiles of {@code scope}'s organization; {@code routes} proves and contests their numbers. */
  SqlWhatsAppProfiles(TenantScope scope, SessionCipher cipher, NumberRoutes routes) {
    this.scope = scope;
    this.cipher = cipher;
    this.routes = routes;
    this.proofs = new ProfileProofs(scope, cipher, routes);
  }

  /** The profile, if it is the transaction's organization's; with {@code lock}, locked against other changes. */
  static Optional<WhatsAppProfile> find(TenantTransaction tx, UUID profileId, boolean lock) {
    return Optional.ofNullable(tx.mapper(ProfileMapper.class).find(tx.organizationId(), profileId, lock))
        .map(ProfileRow::toProfile);
  }

  @Override
  public WhatsAppProfile create(WhatsAppProfileDraft draft) {
    return proofs.create(draft);
  }

  @Override
  public WhatsAppProfile replaceSession(UUID profileId, String session) {
    return proofs.replaceSession(profileId, session);
  }

  @Override
  public WhatsAppProfile reactivate(UUID profileId) {
    return proofs.reactivate(profileId);
  }

  @Override
  public Optional<WhatsAppProfile> get(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> find(tx, profileId, false));
  }

  @Override
  public List<WhatsAppProfile> list() {
    return TenantWork.call(scope, tx -> tx.mapper(ProfileMapper.class).list(tx.organizationId()).stream()
        .map(ProfileRow::toProfile).toList());
  }

  @Override
  public WhatsAppProfile rename(UUID profileId, String name) {
    String checked = ProfileInputs.name(name);
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.rename", Role.ADMIN);
      return Optional.ofNullable(tx.mapper(ProfileMapper.class).rename(tx.organizationId(), profileId, checked))
          .map(ProfileRow::toProfile).orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
    });
  }

  @Override
  public WhatsAppProfile setStatus(UUID profileId, ProfileStatus status) {
    Objects.requireNonNull(profileId, "profileId");
    Objects.requireNonNull(status, "status");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.setStatus", Role.ADMIN);
      WhatsAppProfile profile = find(tx, profileId, true).orElseThrow(() -> new NotFoundException("whatsapp profile",
          profileId));
      if (status == ProfileStatus.CONNECTED) {
        if (!profile.verified()) {
          throw new ValidationException("status", "a profile connects by proving its access token at WhatsApp:"
              + " replaceSession, or reactivate to check the stored one");
        }
      } else {
        // A profile that cannot send has nothing left to stand its route on.
        routes.disconnect(tx, profileId, DisconnectReason.SESSION_REFUSED, null);
      }
      tx.mapper(ProfileMapper.class).setStatus(tx.organizationId(), profileId, status);
      return find(tx, profileId, false).orElseThrow();
    });
  }

  @Override
  public WhatsAppProfile deactivate(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.deactivate", Role.ADMIN);
      WhatsAppProfile profile = find(tx, profileId, true).orElseThrow(() -> new NotFoundException("whatsapp profile",
          profileId));
      if (!profile.active()) {
        return profile;
      }
      tx.mapper(ProfileMapper.class).deactivate(tx.organizationId(), profileId);
      tx.giveBack(METRIC, LocalDate.EPOCH, 1);
      return find(tx, profileId, false).orElseThrow();
    });
  }

  @Override
  public Optional<WhatsAppSender> sender(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("whatsapp.profiles.sender", Role.ADMIN);
      SessionRow stored = tx.mapper(ProfileMapper.class).session(tx.organizationId(), profileId);
      if (stored == null) {
        throw new NotFoundException("whatsapp profile", profileId);
      }
      if (!stored.hasSession() || !stored.active()) {
        return Optional.empty();
      }
      return Optional.of(new WhatsAppSender(stored.phoneNumberId(), cipher.open(tx.organizationId(), profileId,
          stored.sealed())));
    });
  }

  /** Each stale session is opened with the key it names and sealed under the current one; its proof stands. */
  @Override
  public int reencryptSessions() {
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.reencryptSessions", Role.ADMIN);
      ProfileMapper profiles = tx.mapper(ProfileMapper.class);
      List<SessionRow> stale = profiles.staleSessions(tx.organizationId(), cipher.currentKeyId());
      for (SessionRow row : stale) {
        String session = cipher.open(tx.organizationId(), row.id(), row.sealed());
        profiles.reseal(tx.organizationId(), row.id(), cipher.seal(tx.organizationId(), row.id(), session));
      }
      return stale.size();
    });
  }
}
