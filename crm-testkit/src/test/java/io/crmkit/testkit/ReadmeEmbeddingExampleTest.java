package io.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.users.IssuedInvitation;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.ReadmeBlocks;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example, compiled and run here, where crm-core is the only module on the
 * class path (as for a host that embeds only it); the test fails if the README's copy drifts from
 * this one.
 */
class ReadmeEmbeddingExampleTest {

  static List<User> embed(DataSource runtimeDataSource, DataSource adminDataSource) {
    // README:embedding:start
    Crm crm = Crm.builder()
        .dataSource(runtimeDataSource)          // your pool, as the runtime role (RLS applies)
        .migrationDataSource(adminDataSource)   // a login that may SET ROLE crm_owner
        .build();                               // refuses a runtime role that bypasses RLS
    crm.migrate();                              // every CRMKit module on the classpath

    ProvisionedOrganization acme = crm.platform().provision(OrganizationDraft.builder()
        .name("Acme Trading").slug("acme").plan("professional")
        .defaultRegion("SA").timeZone(ZoneId.of("Asia/Riyadh"))
        .admin("sara@acme.example", "Sara", "your-user-id-42")
        .build());

    TenantScope scope = crm.tenant(acme.organization().id()).as(acme.admin().id());
    IssuedInvitation invitation = scope.users().invite("omar@acme.example", Role.AGENT);
    crm.acceptInvitation(invitation.token(), NewMember.named("Omar"));
    List<User> team = scope.users().list();     // Omar and Sara, and no one of any other tenant
    // README:embedding:end
    return team;
  }

  @Test
  void theReadmeExampleRunsAsPrinted() throws IOException {
    try (TestDatabase db = TestPostgres.shared().createDatabase()) {
      assertThat(embed(db.runtimeDataSource(), db.adminDataSource()))
          .extracting(User::email).containsExactly("omar@acme.example", "sara@acme.example");
    }
    assertThat(ReadmeBlocks.inReadme(Path.of("../README.md"), "embedding"))
        .isEqualTo(ReadmeBlocks.inSource(Path.of("src/test/java/io/crmkit/testkit/ReadmeEmbeddingExampleTest.java"),
            "embedding"));
  }
}
