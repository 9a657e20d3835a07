package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.Activity;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The merge SPI with a module that holds rows pointing at customers ({@link MergeTestModule}, found
 * by ServiceLoader through this test's class loader, migrated beside core like a later module).
 */
class CustomerMergeSpiTest {
  private static TestCrm t;
  private static ProvisionedOrganization org;

  @BeforeAll
  static void setUp() {
    URL services = CustomerMergeSpiTest.class.getClassLoader().getResource("mergetest-services/");
    ClassLoader withModule = new URLClassLoader(new URL[] {services}, CustomerMergeSpiTest.class.getClassLoader());
    t = TestCrm.start(b -> b.classLoader(withModule));
    org = t.provision();
  }

  @AfterEach
  void noFailureLeftArmed() {
    MergeTestModule.failNextMerge = false;
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void theModuleIsMigratedBesideCore() {
    assertThat(t.crm.migrations()).extracting(ModuleMigrations::module)
        .containsExactly("core", "mergetest");
  }

  @Test
  void mergeMovesTheModulesRowsToTheSurvivor() throws SQLException {
    CustomerService customers = t.adminScope(org).customers();
    Customer survivor = customers.create(CustomerDraft.builder().fullName("Survivor").build());
    Customer duplicate = customers.create(CustomerDraft.builder().fullName("Duplicate").build());
    UUID kept = deal(survivor.id(), "kept");
    UUID moved = deal(duplicate.id(), "moved");

    customers.merge(survivor.id(), duplicate.id());

    assertThat(dealCustomer(kept)).isEqualTo(survivor.id());
    assertThat(dealCustomer(moved)).isEqualTo(survivor.id());
    assertThat(customers.get(duplicate.id())).isEmpty();
  }

  @Test
  void aModuleThatFailsRollsBackTheWholeMerge() throws SQLException {
    CustomerService customers = t.adminScope(org).customers();
    Customer survivor = customers.create(CustomerDraft.builder().fullName("Keeps").build());
    Customer duplicate = customers.create(CustomerDraft.builder().fullName("Stays").build());
    customers.logActivity(duplicate.id(), "note", Optional.of("the duplicate's own"), Map.of());
    UUID deal = deal(duplicate.id(), "stays too");

    MergeTestModule.failNextMerge = true;
    assertThatThrownBy(() -> customers.merge(survivor.id(), duplicate.id()))
        .isInstanceOf(CrmException.class).hasMessageContaining("the module refuses this merge");

    assertThat(customers.get(duplicate.id())).as("the duplicate is still there").isPresent();
    assertThat(dealCustomer(deal)).as("the module's own move was rolled back").isEqualTo(duplicate.id());
    assertThat(types(customers.timeline(duplicate.id(), 50, Optional.empty())))
        .as("its activities did not move").contains("note");
    assertThat(types(customers.timeline(survivor.id(), 50, Optional.empty()))).doesNotContain("note", "merged");
  }

  @Test
  void deletingACustomerUnlinksTheModulesRowsWithoutDeletingThem() throws SQLException {
    CustomerService customers = t.adminScope(org).customers();
    Customer gone = customers.create(CustomerDraft.builder().fullName("Gone").build());
    UUID deal = deal(gone.id(), "outlives its customer");

    customers.delete(gone.id());

    assertThat(dealCustomer(deal)).as("the row is kept, its link cleared").isNull();
  }

  private static List<String> types(Page<Activity> page) {
    List<String> types = new ArrayList<>();
    page.items().forEach(a -> types.add(a.type()));
    return types;
  }

  private static UUID deal(UUID customerId, String title) throws SQLException {
    try (Connection c = tenantConnection();
        PreparedStatement ps = c.prepareStatement("insert into crm.mergetest_deals (organization_id, customer_id, title)"
            + " values (?, ?, ?) returning id")) {
      ps.setObject(1, org.organization().id());
      ps.setObject(2, customerId);
      ps.setString(3, title);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        UUID id = rs.getObject(1, UUID.class);
        c.commit();
        return id;
      }
    }
  }

  /** The deal's customer id, null once unlinked; fails if the deal is gone. */
  private static UUID dealCustomer(UUID deal) throws SQLException {
    try (Connection c = tenantConnection();
        PreparedStatement ps = c.prepareStatement("select customer_id from crm.mergetest_deals where id = ?")) {
      ps.setObject(1, deal);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("deal " + deal + " exists").isTrue();
        UUID customer = rs.getObject(1, UUID.class);
        c.commit();
        return customer;
      }
    }
  }

  private static Connection tenantConnection() throws SQLException {
    Connection c = t.runtime().getConnection();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("select set_config('app.current_organization_id', ?, true)")) {
      ps.setString(1, org.organization().id().toString());
      ps.execute();
    }
    return c;
  }
}
