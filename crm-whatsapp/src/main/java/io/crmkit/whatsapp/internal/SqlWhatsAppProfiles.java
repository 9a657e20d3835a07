package io.crmkit.whatsapp.internal;

import static io.crmkit.whatsapp.internal.ProfileRows.COLUMNS;
import static io.crmkit.whatsapp.internal.ProfileRows.find;
import static io.crmkit.whatsapp.internal.ProfileRows.one;
import static io.crmkit.whatsapp.internal.ProfileRows.profile;
import static io.crmkit.whatsapp.internal.ProfileRows.table;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link WhatsAppProfiles} over whatsapp_profiles, through crm-core's {@link TenantWork}; the
 * proofs that route numbers, and their contests, through {@link NumberRoutes}.
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
    return TenantWork.call(scope, tx -> {
      try (PreparedStatement ps = tx.connection().prepareStatement("select " + COLUMNS + " from " + table(tx)
          + " where organization_id = ? order by is_active desc, name, id")) {
        ps.setObject(1, tx.organizationId());
        List<WhatsAppProfile> profiles = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            profiles.add(profile(rs));
          }
        }
        return profiles;
      }
    });
  }

  @Override
  public WhatsAppProfile rename(UUID profileId, String name) {
    String checked = ProfileRows.name(name);
    return update(profileId, "whatsapp.profiles.rename", "name = ?", checked);
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
      tx.update("update " + table(tx) + " set status = ? where organization_id = ? and id = ?",
          status.name().toLowerCase(Locale.ROOT), tx.organizationId(), profileId);
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
      // Its proof goes with it: reactivating proves the stored token again.
      tx.update("update " + table(tx) + " set is_active = false, verified_at = null, status = 'disconnected',"
          + " disconnect_reason = 'deactivated' where organization_id = ? and id = ?", tx.organizationId(), profileId);
      tx.giveBack(METRIC, LocalDate.EPOCH, 1);
      return find(tx, profileId, false).orElseThrow();
    });
  }

  @Override
  public Optional<WhatsAppSender> sender(UUID profileId) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRoleUnlessSystem("whatsapp.profiles.sender", Role.ADMIN);
      try (PreparedStatement ps = tx.connection().prepareStatement("select phone_number_id, session_key_id,"
          + " session_nonce, session_ciphertext, is_active from " + table(tx) + " where organization_id = ? and id = ?")) {
        ps.setObject(1, tx.organizationId());
        ps.setObject(2, profileId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("whatsapp profile", profileId);
          }
          if (rs.getString(2) == null || !rs.getBoolean(5)) {
            return Optional.empty();
          }
          String token = cipher.open(tx.organizationId(), profileId,
              new SessionCipher.Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4)));
          return Optional.of(new WhatsAppSender(rs.getString(1), token));
        }
      }
    });
  }

  @Override
  public int reencryptSessions() {
    return TenantWork.call(scope, tx -> {
      tx.requireRole("whatsapp.profiles.reencryptSessions", Role.ADMIN);
      List<Object[]> stale = new ArrayList<>();
      try (PreparedStatement ps = tx.connection().prepareStatement("select id, session_key_id, session_nonce,"
          + " session_ciphertext from " + table(tx) + " where organization_id = ? and session_key_id <> ?"
          + " order by id for no key update")) {
        ps.setObject(1, tx.organizationId());
        ps.setString(2, cipher.currentKeyId());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            stale.add(new Object[] {rs.getObject(1, UUID.class),
                new SessionCipher.Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4))});
          }
        }
      }
      for (Object[] row : stale) {
        UUID id = (UUID) row[0];
        String session = cipher.open(tx.organizationId(), id, (SessionCipher.Sealed) row[1]);
        reseal(tx, id, cipher.seal(tx.organizationId(), id, session));
      }
      return stale.size();
    });
  }

  private WhatsAppProfile update(UUID profileId, String operation, String assignment, String value) {
    Objects.requireNonNull(profileId, "profileId");
    return TenantWork.call(scope, tx -> {
      tx.requireRole(operation, Role.ADMIN);
      try (PreparedStatement ps = tx.connection().prepareStatement("update " + table(tx) + " set " + assignment
          + " where organization_id = ? and id = ? returning " + COLUMNS)) {
        ps.setString(1, value);
        ps.setObject(2, tx.organizationId());
        ps.setObject(3, profileId);
        return one(ps).orElseThrow(() -> new NotFoundException("whatsapp profile", profileId));
      }
    });
  }

  /** Stores a session sealed anew (after a key rotation); its proof stands, the token being the same. */
  private static void reseal(TenantTransaction tx, UUID profileId, SessionCipher.Sealed sealed) throws SQLException {
    tx.update("update " + table(tx) + " set session_key_id = ?, session_nonce = ?, session_ciphertext = ?"
        + " where organization_id = ? and id = ?", sealed.keyId(), sealed.nonce(), sealed.ciphertext(),
        tx.organizationId(), profileId);
  }


}
