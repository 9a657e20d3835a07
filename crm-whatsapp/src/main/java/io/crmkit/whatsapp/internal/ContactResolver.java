package io.crmkit.whatsapp.internal;

import io.crmkit.core.spi.TenantTransaction;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook's WhatsApp user as a contact of the profile: found by business-scoped user id (BSUID),
 * then by the BSUID it had before a change, then by phone, created or completed with what the
 * delivery tells; and moved to a new phone or BSUID when WhatsApp says the user changed it. An
 * identity another contact of the profile holds is never taken from it. The caller holds the
 * advisory locks on the identities involved.
 */
final class ContactResolver {
  private static final Logger log = LoggerFactory.getLogger(ContactResolver.class);
  private final Events events;

  ContactResolver(Events events) {
    this.events = events;
  }

  /** The contact for a BSUID (first) or phone, created or completed with what this delivery tells. */
  UUID resolve(TenantTransaction tx, UUID profileId, String bsuid, String phone, String name, String username) {
    ContactMapper contacts = tx.mapper(ContactMapper.class);
    UUID org = tx.organizationId();
    ContactRow found = bsuid == null ? null : contacts.findByBsuid(org, profileId, bsuid);
    boolean retired = false;
    if (found == null && bsuid != null) {
      // Sent before the user's id changed, delivered after: still the same person and conversation.
      found = contacts.findByPreviousBsuid(org, profileId, bsuid);
      retired = found != null;
    }
    String newPhone = phone;
    if (found == null && phone != null) {
      ContactRow byPhone = contacts.findByPhone(org, profileId, phone);
      if (byPhone != null && bsuid != null && byPhone.bsuid() != null) {
        // The number is known with another business-scoped id: it went to someone else (or the
        // user's change notice never came). A contact of its own, without the number, rather than
        // another person's conversation.
        log.info("WhatsApp number of contact {} now comes with another user id; a new contact without it",
            byPhone.id());
        newPhone = null;
      } else {
        found = byPhone;
      }
    }
    if (found == null) {
      UUID created = contacts.insert(org, profileId, bsuid, newPhone, username, name);
      if (created == null) {
        // A concurrent delivery created it first (the insert waited for it to commit).
        return resolve(tx, profileId, bsuid, phone, name, username);
      }
      return created;
    }
    if (retired) {
      bsuid = null; // found by the id it had: that id stays retired
    }
    if ((bsuid == null || found.bsuid() != null) && (phone == null || found.phone() != null)
        && (username == null || username.equals(found.username())) && (name == null || name.equals(found.name()))) {
      return found.id(); // the usual case: the delivery tells nothing new
    }
    // Fill in what this contact lacks, unless another contact of the profile holds it (a user first
    // seen by phone and, separately, by BSUID): then both stay as they are rather than fail the delivery.
    contacts.complete(org, found.id(), bsuid, phone, username, name);
    return found.id();
  }

  /**
   * Moves the contact to its new phone and business-scoped id, keeping the id it had in
   * previous_bsuid, and tells of it with a {@code contact_changed} event. A new phone also retires
   * the old id, which WhatsApp replaces. An identity that another contact of the profile holds
   * already is not taken from it: both stay as they are.
   */
  void changeIdentity(TenantTransaction tx, UUID conversationId, UUID contactId, IdentityChange change) {
    ContactMapper contacts = tx.mapper(ContactMapper.class);
    ContactRow contact = contacts.find(tx.organizationId(), contactId);
    String bsuid = contact.bsuid();
    String phone = contact.phone();
    String newPhone = phone;
    if (change.newPhone() != null && !change.newPhone().equals(phone)) {
      if (contacts.holderOther(tx.organizationId(), contactId, null, change.newPhone()) != null) {
        log.warn("WhatsApp contact {} changed number, but another contact of its profile has the new one; both kept",
            contactId);
      } else {
        newPhone = change.newPhone();
      }
    }
    String newBsuid = bsuid;
    if (change.newUserId() != null && !change.newUserId().equals(bsuid)) {
      if (contacts.holderOther(tx.organizationId(), contactId, change.newUserId(), null) != null) {
        log.warn("WhatsApp contact {} changed user id, but another contact of its profile has the new one; both kept",
            contactId);
      } else {
        newBsuid = change.newUserId();
      }
    } else if (change.newUserId() == null && !Objects.equals(newPhone, phone) && bsuid != null) {
      // A new number comes with a new id, told with the user's next message; the old one is retired.
      newBsuid = null;
    }
    if (Objects.equals(newBsuid, bsuid) && Objects.equals(newPhone, phone)) {
      return;
    }
    String previousBsuid = Objects.equals(newBsuid, bsuid) ? null : bsuid;
    contacts.changeIdentity(tx.organizationId(), contactId, newBsuid, newPhone, previousBsuid);
    events.append(tx, conversationId, EventCodec.contactChanged(contactId, change.kind(), phone, newPhone, bsuid,
        newBsuid));
  }
}
