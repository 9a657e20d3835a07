package io.crmkit.whatsapp;

import static io.crmkit.whatsapp.TestWhatsApp.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** crm-core's customer merge and deletion, seen from WhatsApp contacts and conversations. */
class WhatsAppCustomerLinkTest {
  private static TestWhatsApp t;

  @BeforeAll
  static void setUp() {
    t = TestWhatsApp.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  /** A contact and its conversation linked to the customer; returns the conversation's id. */
  private static UUID conversation(ProvisionedOrganization org, UUID profile, String phone, UUID customer)
      throws SQLException {
    try (Connection c = t.tenant(org.organization().id())) {
      String contact = rows(c, "insert into crm.whatsapp_contacts (organization_id, profile_id, wa_phone, customer_id)"
          + " values (?, ?, ?, ?) returning id", org.organization().id(), profile, phone, customer).get(0);
      String conversation = rows(c, "insert into crm.conversations (organization_id, profile_id, contact_id,"
          + " customer_id) values (?, ?, ?::uuid, ?) returning id", org.organization().id(), profile, contact, customer)
          .get(0);
      c.commit();
      return UUID.fromString(conversation);
    }
  }

  private static String customerOf(ProvisionedOrganization org, UUID conversation) throws SQLException {
    try (Connection c = t.tenant(org.organization().id())) {
      return rows(c, "select coalesce(cv.customer_id::text, '-') || ' ' || coalesce(ct.customer_id::text, '-') from crm.conversations cv"
          + " join crm.whatsapp_contacts ct on ct.organization_id = cv.organization_id and ct.id = cv.contact_id"
          + " where cv.id = ?", conversation).get(0);
    }
  }

  @Test
  void mergingCustomersMovesTheirConversationsAndContacts() throws SQLException {
    ProvisionedOrganization org = t.provision();
    UUID profile = t.profile(org.organization().id(), "200000000000001", "111");
    CustomerService customers = t.admin(org).customers();
    Customer survivor = customers.create(CustomerDraft.builder().fullName("Sara").whatsappPhone("0501000001").build());
    Customer duplicate = customers.create(CustomerDraft.builder().fullName("Sara A.").whatsappPhone("0501000002").build());
    UUID kept = conversation(org, profile, "+966501000001", survivor.id());
    UUID moved = conversation(org, profile, "+966501000002", duplicate.id());

    customers.merge(survivor.id(), duplicate.id());

    assertThat(customerOf(org, kept)).isEqualTo(survivor.id() + " " + survivor.id());
    assertThat(customerOf(org, moved)).isEqualTo(survivor.id() + " " + survivor.id());
  }

  @Test
  void deletingACustomerUnlinksItsConversationsAndKeepsThem() throws SQLException {
    ProvisionedOrganization org = t.provision();
    UUID profile = t.profile(org.organization().id(), "200000000000002", "111");
    Customer gone = t.admin(org).customers().create(CustomerDraft.builder().fullName("Gone").build());
    UUID conversation = conversation(org, profile, "+966501000003", gone.id());

    t.admin(org).customers().delete(gone.id());

    assertThat(customerOf(org, conversation)).as("conversation and contact kept, both unlinked").isEqualTo("- -");
  }
}
