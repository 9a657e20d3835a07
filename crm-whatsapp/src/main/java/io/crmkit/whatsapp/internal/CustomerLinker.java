package io.crmkit.whatsapp.internal;

import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.exception.LimitExceededException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.core.spi.TenantTransaction;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer of a conversation that has none: the contact's, else one found or created through
 * crm-core's customers in the same transaction (by phone when there is one), unless the
 * organization is at {@code max_customers}.
 */
final class CustomerLinker {
  private static final Logger log = LoggerFactory.getLogger(CustomerLinker.class);
  /** crm-core's limit of a customer's full name. */
  private static final int MAX_FULL_NAME = 255;
  private final Events events;

  CustomerLinker(Events events) {
    this.events = events;
  }

  /**
   * Finds or creates the customer of a new conversation and links contact and conversation to it.
   * At {@code max_customers} the message is kept without a customer, the breach logged and told
   * with a {@code customer_limit_reached} event.
   *
   * @return the customer, or null when none could be linked
   */
  UUID link(TenantTransaction tx, UUID contactId, UUID conversationId, String phone, String name) {
    ContactMapper contacts = tx.mapper(ContactMapper.class);
    UUID customerId = contacts.customerOf(tx.organizationId(), contactId);
    if (customerId == null) {
      CustomerService customers = tx.scope().customers();
      String fullName = fullName(name);
      try {
        if (phone != null) {
          CustomerDraft.Builder draft = CustomerDraft.builder().source(CustomerSource.WHATSAPP);
          if (fullName != null) {
            draft.fullName(fullName);
          }
          customerId = customers.findOrCreateByPhone(phone, draft.whatsappPhone(phone).build()).customer().id();
        } else {
          customerId = customers.create(CustomerDraft.builder().source(CustomerSource.WHATSAPP)
              .fullName(fullName == null ? "WhatsApp user" : fullName).build()).id();
        }
      } catch (LimitExceededException e) {
        log.warn("organization {} is at max_customers ({}): WhatsApp conversation {} stays without a customer",
            tx.organizationId(), e.value(), conversationId);
        events.append(tx, conversationId, EventCodec.customerLimitReached(e.limit(), e.value(), e.planSlug()));
        return null;
      } catch (ValidationException e) {
        log.warn("WhatsApp conversation {} stays without a customer: {}", conversationId, e.getMessage());
        return null;
      }
      contacts.linkCustomer(tx.organizationId(), contactId, customerId);
    }
    tx.mapper(ConversationMapper.class).linkCustomer(tx.organizationId(), conversationId, customerId);
    return customerId;
  }

  /**
   * The contact's profile name (one line, cut to the limit) as a customer's full name, checked by
   * the rule crm-core's customers apply, so the customer's creation never fails for it: a name
   * that rule refuses is no name.
   */
  private static String fullName(String name) {
    String line = Identities.line(name, MAX_FULL_NAME);
    if (line == null) {
      return null;
    }
    try {
      return Inputs.text("fullName", line, MAX_FULL_NAME);
    } catch (ValidationException e) {
      log.info("a WhatsApp profile name was not taken as a customer's name: {}", e.reason());
      return null;
    }
  }
}
