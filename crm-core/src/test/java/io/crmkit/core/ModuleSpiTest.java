package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.platform.Platform;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a module plugs into a Crm: configured on the builder, its services reached from the scope
 * (joining the scope's transaction) and from the Crm, its extensions, and its mappers, whose
 * statements also run as a work's last statement sent with its COMMIT.
 */
class ModuleSpiTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(b -> b.module(new ProbeModule("hello")));
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void aModulesTenantServiceIsReachedFromTheScopeAndJoinsItsTransaction() {
    ProvisionedOrganization org = t.provision();
    TenantScope scope = t.adminScope(org);
    ProbeModule.Probe probe = scope.service(ProbeModule.Probe.class);
    assertThat(probe.greet()).as("its setting, its scope and the extensions offered")
        .isEqualTo("hello " + org.organization().id() + "!");
    assertThat(probe.tenantSetting()).as("its mapper runs in the scope's tenant")
        .isEqualTo(org.organization().id().toString());
    List<String> inOneCallback = scope.inTransaction(tx -> {
      List<String> ids = new ArrayList<>();
      ids.add(tx.service(ProbeModule.Probe.class).transactionId());
      tx.service(CustomerService.class).create(CustomerDraft.builder().fullName("Joined").build());
      ids.add(tx.service(ProbeModule.Probe.class).transactionId());
      return ids;
    });
    assertThat(inOneCallback.get(1)).as("one transaction").isEqualTo(inOneCallback.get(0));
    assertThat(probe.transactionId()).as("a call outside is its own").isNotEqualTo(inOneCallback.get(0));
  }

  @Test
  void aServiceAcrossTenantsIsReachedFromTheCrmAndCoreServicesTheSameWayAsModules() {
    assertThat(t.crm.service(ProbeModule.ProbeJobs.class).greeting()).isEqualTo("hello");
    assertThat(t.crm.service(Platform.class)).isNotNull();
    TenantScope scope = t.adminScope(t.provision());
    assertThat(scope.service(CustomerService.class).create(CustomerDraft.builder().fullName("Found").build())
        .fullName()).contains("Found");
    assertThat(t.crm.modules()).containsExactly("core", "probe");
  }

  @Test
  void aServiceNoModuleOffersNamesTheModulesAndWhereToLook() {
    TenantScope scope = t.adminScope(t.provision());
    assertThatThrownBy(() -> scope.service(Runnable.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Runnable").hasMessageContaining("core, probe");
    assertThatThrownBy(() -> t.crm.service(ProbeModule.Probe.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is a tenant service: scope.service");
    assertThatThrownBy(() -> scope.service(ProbeModule.ProbeJobs.class)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is a service across tenants: crm.service");
    assertThatThrownBy(() -> t.crm.service(ProbeModule.ProbeWebhook.class)).as("a module says why it has none")
        .isInstanceOf(IllegalStateException.class).hasMessage("the probe was configured without a webhook: give it one");
  }

  @Test
  void aModuleMissingASettingFailsTheBuildNamingIt() {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      assertThatThrownBy(() -> Crm.builder().dataSource(db.runtimeDataSource()).module(new ProbeModule(null)).build())
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs a greeting");
      assertThatThrownBy(() -> Crm.builder().dataSource(db.runtimeDataSource()).module(new ProbeModule("a"))
          .module(new ProbeModule("b")).build()).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("given to Crm.builder().module(…) twice");
    }
  }

  @Test
  void aMapperStatementAsTheWorksLastStatementCommitsWithItAndMapsItsRows() throws Exception {
    ProvisionedOrganization org = t.provision();
    List<ProbeMapper.Stage> stages = TenantWork.call(t.adminScope(org), tx -> {
      List<ProbeMapper.Stage> rows = tx.queryAndCommit(ProbeMapper.class, "insertStage",
          java.util.Map.of("name", "Inline", "divisor", 2));
      assertThat(stagesNamed(org, "Inline")).as("committed before the work returns").isEqualTo(1);
      return rows;
    });
    assertThat(stages).containsExactly(new ProbeMapper.Stage("Inline", 25));

    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> tx.queryAndCommit(ProbeMapper.class,
        "insertStage", java.util.Map.of("name", "Failed", "divisor", 0)))).isInstanceOf(CrmException.class)
        .hasMessageContaining("22012");
    assertThat(stagesNamed(org, "Failed")).isZero();
    assertThatThrownBy(() -> TenantWork.call(t.adminScope(org), tx -> tx.queryAndCommit(ProbeMapper.class,
        "noSuchStatement", null))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ProbeMapper.noSuchStatement");

    List<ProbeMapper.Stage> joined = t.adminScope(org).inTransaction(tx -> TenantWork.call(tx, w -> {
      List<ProbeMapper.Stage> rows = w.queryAndCommit(ProbeMapper.class, "insertStage",
          java.util.Map.of("name", "In a callback", "divisor", 5));
      assertThat(stagesNamed(org, "In a callback")).as("the callback's owner commits").isZero();
      return rows;
    }));
    assertThat(joined).extracting(ProbeMapper.Stage::displayOrder).containsExactly(10);
    assertThat(stagesNamed(org, "In a callback")).isEqualTo(1);
    assertThat(Optional.of(stagesNamed(org, "Inline"))).contains(1);
  }

  private static int stagesNamed(ProvisionedOrganization org, String name) throws java.sql.SQLException {
    try (Connection admin = t.admin().getConnection(); PreparedStatement ps = admin.prepareStatement(
        "select count(*) from crm.sales_stages where organization_id = ? and name = ?")) {
      ps.setObject(1, org.organization().id());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
