package io.crmkit.whatsapp.internal;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.RetryableException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.WhatsAppProfile;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The profile operations that prove a number, each after WhatsApp answered, outside any
 * transaction, that the access token can use it: a new profile with a session, a new session, a
 * reactivation. Each proof is stamped afresh and routes the number, contested through
 * {@link NumberRoutes} when another profile routes it. A new profile without a session proves
 * nothing and routes nothing.
 */
final class ProfileProofs {
  private final TenantScope scope;
  private final SessionCipher cipher;
  private final NumberRoutes routes;

  ProfileProofs(TenantScope scope, SessionCipher cipher, NumberRoutes routes) {
    this.scope = scope;
    this.cipher = cipher;
    this.routes = routes;
  }

  /**
   * Checks the admin role, and that the call opens its own transactions: a proof asks WhatsApp
   * between transactions, and a contest works in another tenant's, neither of which can happen
   * inside a transaction the host holds.
   */
  private void requireAdminOutsideTransactions(String operation) {
    if (!TenantWork.call(scope, tx -> {
      tx.requireRole(operation, Role.ADMIN);
      return tx.commitsOnReturn();
    })) {
      throw new IllegalStateException(operation + " asks WhatsApp between transactions of its own: call it outside"
          + " TenantScope.inTransaction and joining scopes");
    }
  }

  WhatsAppProfile create(WhatsAppProfileDraft draft) {
    Objects.requireNonNull(draft, "draft");
    String name = ProfileInputs.name(draft.name());
    ProfileInputs.phoneNumber(draft.phoneNumber());
    ProfileInputs.digits("phoneNumberId", draft.phoneNumberId());
    ProfileInputs.digits("metaAppId", draft.metaAppId());
    UUID id = UUID.randomUUID();
    if (draft.session().isEmpty()) {
      return TenantWork.call(scope, tx -> insert(tx, id, name, draft, null, Optional.empty()));
    }
    String session = ProfileInputs.session(draft.session().get());
    // Admins only, checked before WhatsApp is asked: nobody else may use the server to test tokens.
    requireAdminOutsideTransactions("whatsapp.profiles.create");
    routes.requireUsable(draft.phoneNumberId(), session, "this access token cannot use phone number id "
        + draft.phoneNumberId() + " at WhatsApp");
    return routes.prove(draft.phoneNumberId(), release -> TenantWork.call(scope,
        tx -> insert(tx, id, name, draft, session, release)));
  }

  /**
   * Inserts an active profile, proven if it has a session (which was just shown to work), after
   * releasing the route of a holder whose token was refused.
   */
  private WhatsAppProfile insert(TenantTransaction tx, UUID id, String name, WhatsAppProfileDraft draft, String session,
      Optional<NumberRoutes.Release> release) {
    tx.requireRole("whatsapp.profiles.create", Role.ADMIN);
    tx.takeWithinLimit(SqlWhatsAppProfiles.METRIC, LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
    if (release.isPresent()) {
      NumberRoutes.release(tx, draft.phoneNumberId(), release.get());
    }
    SessionCipher.Sealed sealed = session == null ? null : cipher.seal(tx.organizationId(), id, session);
    return NumberRoutes.routing(() -> tx.mapper(ProfileMapper.class).insert(tx.organizationId(), id, name,
        draft.phoneNumber(), draft.phoneNumberId(), draft.metaAppId(), sealed)).toProfile();
  }

  WhatsAppProfile replaceSession(UUID profileId, String session) {
    String checked = ProfileInputs.session(session);
    Objects.requireNonNull(profileId, "profileId");
    requireAdminOutsideTransactions("whatsapp.profiles.replaceSession");
    WhatsAppProfile current = TenantWork.call(scope, tx -> SqlWhatsAppProfiles.find(tx, profileId, false))
        .orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
    routes.requireUsable(current.phoneNumberId(), checked, "this access token cannot use phone number id "
        + current.phoneNumberId() + " at WhatsApp");
    return routes.prove(current.phoneNumberId(), release -> TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.replaceSession", Role.ADMIN);
      WhatsAppProfile locked = SqlWhatsAppProfiles.find(tx, profileId, true)
          .orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
      // An inactive profile takes no route: a route released for it would be left to nobody.
      if (release.isPresent() && locked.active()) {
        NumberRoutes.release(tx, locked.phoneNumberId(), release.get());
      }
      SessionCipher.Sealed sealed = cipher.seal(tx.organizationId(), profileId, checked);
      NumberRoutes.routing(() -> tx.mapper(ProfileMapper.class).replaceSession(tx.organizationId(), profileId, sealed));
      return SqlWhatsAppProfiles.find(tx, profileId, false).orElseThrow();
    }));
  }

  WhatsAppProfile reactivate(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    requireAdminOutsideTransactions("whatsapp.profiles.reactivate");
    StoredSession stored = TenantWork.call(scope, tx -> storedSession(tx, profileId));
    if (stored.token() == null) {
      // Nothing to prove: active again, disconnected and not routed, until a session is stored.
      return TenantWork.call(scope, tx -> activate(tx, profileId, null, Optional.empty()));
    }
    try {
      routes.requireUsable(stored.profile().phoneNumberId(), stored.token(), "WhatsApp says the stored access token"
          + " cannot use phone number id " + stored.profile().phoneNumberId() + "; store one that can with"
          + " replaceSession");
    } catch (ValidationException refused) {
      if (stored.proof() != null) {
        // WhatsApp refutes a standing proof: it goes, as on a refused send.
        TenantWork.call(scope, tx -> routes.disconnect(tx, profileId, DisconnectReason.SESSION_REFUSED, stored.proof()));
      }
      throw refused;
    }
    return routes.prove(stored.profile().phoneNumberId(), release -> TenantWork.call(scope,
        tx -> activate(tx, profileId, stored.nonce(), release)));
  }

  /** A profile, its decrypted session and the proof it stands on ({@code null} for none), as they were read. */
  private record StoredSession(WhatsAppProfile profile, String token, byte[] nonce, Instant proof) {}

  private StoredSession storedSession(TenantTransaction tx, UUID profileId) {
    WhatsAppProfile profile = SqlWhatsAppProfiles.find(tx, profileId, false)
        .orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
    SessionRow stored = tx.mapper(ProfileMapper.class).session(tx.organizationId(), profileId);
    if (stored == null || !stored.hasSession()) {
      return new StoredSession(profile, null, null, null);
    }
    return new StoredSession(profile, cipher.open(tx.organizationId(), profileId, stored.sealed()), stored.nonce(),
        stored.verifiedAt());
  }

  /**
   * Makes the profile active, counted, and (with the nonce of the session just shown to work)
   * proven afresh and connected; refuses if the session changed since it was read.
   */
  private WhatsAppProfile activate(TenantTransaction tx, UUID profileId, byte[] provenNonce,
      Optional<NumberRoutes.Release> release) {
    tx.requireRole("whatsapp.profiles.reactivate", Role.ADMIN);
    WhatsAppProfile locked = SqlWhatsAppProfiles.find(tx, profileId, true)
        .orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
    if (locked.active() && provenNonce == null) {
      return locked;
    }
    if (release.isPresent()) {
      NumberRoutes.release(tx, locked.phoneNumberId(), release.get());
    }
    if (!locked.active()) {
      tx.takeWithinLimit(SqlWhatsAppProfiles.METRIC, LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
    }
    ProfileMapper profiles = tx.mapper(ProfileMapper.class);
    int changed = provenNonce == null ? profiles.activateWithoutSession(tx.organizationId(), profileId)
        : NumberRoutes.routing(() -> profiles.activateProven(tx.organizationId(), profileId, provenNonce));
    if (changed == 0) {
      throw new RetryableException("the profile's session changed while it was being checked; nothing was changed",
          null);
    }
    return SqlWhatsAppProfiles.find(tx, profileId, false).orElseThrow();
  }
}
