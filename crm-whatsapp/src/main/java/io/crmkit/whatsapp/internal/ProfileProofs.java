package io.crmkit.whatsapp.internal;

import static io.crmkit.whatsapp.internal.ProfileRows.COLUMNS;
import static io.crmkit.whatsapp.internal.ProfileRows.find;
import static io.crmkit.whatsapp.internal.ProfileRows.one;
import static io.crmkit.whatsapp.internal.ProfileRows.table;

import io.crmkit.core.TenantScope;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.spi.TenantTransaction;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.Role;
import io.crmkit.whatsapp.DisconnectReason;
import io.crmkit.whatsapp.WhatsAppProfile;
import io.crmkit.whatsapp.WhatsAppProfileDraft;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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
    String name = ProfileRows.name(draft.name());
    if (!draft.phoneNumber().matches("\\+[1-9][0-9]{6,14}")) {
      throw new ValidationException("phoneNumber", "must be E.164, such as +966501234567");
    }
    ProfileRows.digits("phoneNumberId", draft.phoneNumberId());
    ProfileRows.digits("metaAppId", draft.metaAppId());
    UUID id = UUID.randomUUID();
    if (draft.session().isEmpty()) {
      return TenantWork.call(scope, tx -> insert(tx, id, name, draft, null, Optional.empty()));
    }
    String session = ProfileRows.session(draft.session().get());
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
      Optional<NumberRoutes.Release> release) throws SQLException {
    tx.requireRole("whatsapp.profiles.create", Role.ADMIN);
    tx.takeWithinLimit(SqlWhatsAppProfiles.METRIC, LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
    if (release.isPresent()) {
      NumberRoutes.release(tx, draft.phoneNumberId(), release.get());
    }
    SessionCipher.Sealed sealed = session == null ? null : cipher.seal(tx.organizationId(), id, session);
    try (PreparedStatement ps = tx.connection().prepareStatement("insert into " + table(tx)
        + " (organization_id, id, name, phone_number, phone_number_id, meta_app_id, status, session_key_id,"
        + " session_nonce, session_ciphertext, verified_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " case when ? then clock_timestamp() end) returning " + COLUMNS)) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, id);
      ps.setString(3, name);
      ps.setString(4, draft.phoneNumber());
      ps.setString(5, draft.phoneNumberId());
      ps.setString(6, draft.metaAppId());
      ps.setString(7, sealed == null ? "disconnected" : "connected");
      ps.setString(8, sealed == null ? null : sealed.keyId());
      ps.setBytes(9, sealed == null ? null : sealed.nonce());
      ps.setBytes(10, sealed == null ? null : sealed.ciphertext());
      ps.setBoolean(11, sealed != null);
      return NumberRoutes.routing(() -> one(ps)).orElseThrow();
    }
  }

  WhatsAppProfile replaceSession(UUID profileId, String session) {
    String checked = ProfileRows.session(session);
    Objects.requireNonNull(profileId, "profileId");
    requireAdminOutsideTransactions("whatsapp.profiles.replaceSession");
    WhatsAppProfile current = TenantWork.call(scope, tx -> find(tx, profileId, false))
        .orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
    routes.requireUsable(current.phoneNumberId(), checked, "this access token cannot use phone number id "
        + current.phoneNumberId() + " at WhatsApp");
    return routes.prove(current.phoneNumberId(), release -> TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.replaceSession", Role.ADMIN);
      WhatsAppProfile locked = find(tx, profileId, true).orElseThrow(() -> new NotFoundException("whatsapp profile",
          profileId));
      // An inactive profile takes no route: a route released for it would be left to nobody.
      if (release.isPresent() && locked.active()) {
        NumberRoutes.release(tx, locked.phoneNumberId(), release.get());
      }
      SessionCipher.Sealed sealed = cipher.seal(tx.organizationId(), profileId, checked);
      // A fresh proof for an active profile; an inactive one proves itself when reactivated.
      NumberRoutes.routing(() -> tx.update("update " + table(tx) + " set session_key_id = ?, session_nonce = ?,"
          + " session_ciphertext = ?, verified_at = case when is_active then clock_timestamp() end,"
          + " status = case when is_active then 'connected' else status end,"
          + " disconnect_reason = case when is_active then null else disconnect_reason end"
          + " where organization_id = ? and id = ?", sealed.keyId(), sealed.nonce(), sealed.ciphertext(),
          tx.organizationId(), profileId));
      return find(tx, profileId, false).orElseThrow();
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
  private record StoredSession(WhatsAppProfile profile, String token, byte[] nonce, OffsetDateTime proof) {}

  private StoredSession storedSession(TenantTransaction tx, UUID profileId) throws SQLException {
    WhatsAppProfile profile = find(tx, profileId, false).orElseThrow(() -> new NotFoundException("whatsapp profile",
        profileId));
    try (PreparedStatement ps = tx.connection().prepareStatement("select session_key_id, session_nonce,"
        + " session_ciphertext, verified_at from " + table(tx) + " where organization_id = ? and id = ?"
        + " and session_key_id is not null")) {
      ps.setObject(1, tx.organizationId());
      ps.setObject(2, profileId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return new StoredSession(profile, null, null, null);
        }
        SessionCipher.Sealed sealed = new SessionCipher.Sealed(rs.getString(1), rs.getBytes(2), rs.getBytes(3));
        return new StoredSession(profile, cipher.open(tx.organizationId(), profileId, sealed), sealed.nonce(),
            rs.getObject(4, OffsetDateTime.class));
      }
    }
  }

  /**
   * Makes the profile active, counted, and (with the nonce of the session just shown to work)
   * proven afresh and connected; refuses if the session changed since it was read.
   */
  private WhatsAppProfile activate(TenantTransaction tx, UUID profileId, byte[] provenNonce,
      Optional<NumberRoutes.Release> release) throws SQLException {
    tx.requireRole("whatsapp.profiles.reactivate", Role.ADMIN);
    WhatsAppProfile locked = find(tx, profileId, true).orElseThrow(() -> new NotFoundException("whatsapp profile",
        profileId));
    if (locked.active() && provenNonce == null) {
      return locked;
    }
    if (release.isPresent()) {
      NumberRoutes.release(tx, locked.phoneNumberId(), release.get());
    }
    if (!locked.active()) {
      tx.takeWithinLimit(SqlWhatsAppProfiles.METRIC, LocalDate.EPOCH, 1, Limit.WHATSAPP_PROFILES);
    }
    int changed = provenNonce == null
        ? tx.update("update " + table(tx) + " set is_active = true, status = 'disconnected', disconnect_reason = null"
            + " where organization_id = ? and id = ? and session_key_id is null", tx.organizationId(), profileId)
        : NumberRoutes.routing(() -> tx.update("update " + table(tx) + " set is_active = true,"
            + " verified_at = clock_timestamp(), status = 'connected', disconnect_reason = null"
            + " where organization_id = ? and id = ? and session_nonce = ?", tx.organizationId(), profileId,
            provenNonce));
    if (changed == 0) {
      throw new io.crmkit.core.exception.RetryableException("the profile's session changed while it was being checked; nothing"
          + " was changed", null);
    }
    return find(tx, profileId, false).orElseThrow();
  }

}
