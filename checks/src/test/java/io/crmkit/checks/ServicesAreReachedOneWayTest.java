package io.crmkit.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.billing.BillingModule;
import io.crmkit.billing.BillingService;
import io.crmkit.billing.StripeWebhook;
import io.crmkit.campaigns.CampaignRunner;
import io.crmkit.campaigns.CampaignService;
import io.crmkit.campaigns.CampaignsModule;
import io.crmkit.core.Crm;
import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.pipeline.Pipeline;
import io.crmkit.core.platform.Entitlements;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.core.platform.OrganizationSettings;
import io.crmkit.core.platform.Platform;
import io.crmkit.core.users.UserService;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import io.crmkit.ticketing.TicketService;
import io.crmkit.ticketing.TicketingModule;
import io.crmkit.ticketing.whatsapp.TicketingWhatsAppModule;
import io.crmkit.whatsapp.SessionKeys;
import io.crmkit.whatsapp.WhatsAppGateway;
import io.crmkit.whatsapp.WhatsAppInbox;
import io.crmkit.whatsapp.WhatsAppJobs;
import io.crmkit.whatsapp.WhatsAppModule;
import io.crmkit.whatsapp.WhatsAppOutbox;
import io.crmkit.whatsapp.WhatsAppProfiles;
import io.crmkit.whatsapp.WhatsAppWebhook;
import io.crmkit.whatsapp.testing.FakeWhatsAppGateway;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every module's services are reached one way: tenant services from the scope, services across
 * tenants from the Crm; no public API hands out a service from a sibling object that takes a scope
 * (the shape this project had, {@code whatsapp.inbox(scope)}).
 */
class ServicesAreReachedOneWayTest {
  /** A class of each published module, to find its classes by. */
  private static final List<Class<?>> MODULES = List.of(Crm.class, WhatsAppModule.class, TicketingModule.class,
      TicketingWhatsAppModule.class, CampaignsModule.class, BillingModule.class);

  @Test
  void noPublicApiMethodTakesAScopeAndReturnsAService() throws Exception {
    List<String> offenders = new ArrayList<>();
    for (Class<?> module : MODULES) {
      for (Class<?> type : apiClasses(module)) {
        for (Method method : type.getDeclaredMethods()) {
          if (Modifier.isPublic(method.getModifiers()) && Arrays.asList(method.getParameterTypes()).contains(
              TenantScope.class) && method.getReturnType().getName().startsWith("io.crmkit.")) {
            offenders.add(type.getName() + "." + method.getName());
          }
        }
      }
    }
    assertThat(offenders).as("services handed out by a sibling object; register them in the module's install")
        .isEmpty();
  }

  @Test
  void theCheckSeesTheApiOfEveryModule() throws Exception {
    for (Class<?> module : MODULES) {
      assertThat(apiClasses(module)).as(module.getName()).contains(module)
          .noneMatch(c -> c.getPackageName().contains(".internal"));
    }
  }

  @Test
  void everyModulesServicesComeFromTheScopeOrTheCrm() {
    try (TestDatabase db = TestPostgres.shared().createDatabase();
        Crm crm = Crm.builder().dataSource(db.runtimeDataSource()).migrationDataSource(db.adminDataSource())
            .module(WhatsAppModule.builder().sessionKeys(SessionKeys.of("k", Map.of("k", new byte[32])))
                .gateway(new FakeWhatsAppGateway()).verifyToken("v").app("1", "s").build())
            .module(TenantFixture.billing())
            .build()) {
      crm.migrate();
      assertThat(crm.modules()).containsExactly("core", "billing", "whatsapp", "campaigns", "ticketing",
          "ticketing_whatsapp");
      var org = crm.platform().provision(OrganizationDraft.builder().name("Checks").slug("checks")
          .plan("professional").defaultRegion("SA").admin("admin@checks.example").build());
      TenantScope scope = crm.tenant(org.organization().id()).as(org.admin().id());
      for (Class<?> tenantService : List.of(CustomerService.class, UserService.class, Pipeline.class,
          OrganizationSettings.class, Entitlements.class, WhatsAppInbox.class, WhatsAppProfiles.class,
          TicketService.class, CampaignService.class, BillingService.class)) {
        assertThat(scope.service(tenantService)).as(tenantService.getName()).isInstanceOf(tenantService);
        Object joined = scope.inTransaction(tx -> tx.service(tenantService));
        assertThat(joined).as("inside a transaction too").isInstanceOf(tenantService);
      }
      for (Class<?> crmService : List.of(Platform.class, WhatsAppWebhook.class, WhatsAppOutbox.class,
          WhatsAppJobs.class, WhatsAppGateway.class, CampaignRunner.class, StripeWebhook.class)) {
        assertThat(crm.service(crmService)).as(crmService.getName()).isInstanceOf(crmService);
      }
    }
  }

  /** The public classes of {@code module}'s jar or classes folder outside internal, spi and testing packages. */
  private static List<Class<?>> apiClasses(Class<?> module) throws IOException, URISyntaxException {
    Path location = Path.of(module.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> classes = new ArrayList<>();
    if (Files.isDirectory(location)) {
      collect(location, classes);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        collect(jar.getPath("/"), classes);
      }
    }
    return classes;
  }

  private static void collect(Path root, List<Class<?>> classes) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(file).toString().replace('\\', '/').replace('/', '.');
        name = name.substring(0, name.length() - ".class".length());
        if (name.contains(".internal.") || name.contains(".spi.") || name.contains(".testing.")
            || name.endsWith("package-info") || name.startsWith("META-INF")) {
          continue;
        }
        try {
          Class<?> type = Class.forName(name, false, ServicesAreReachedOneWayTest.class.getClassLoader());
          if (Modifier.isPublic(type.getModifiers())) {
            classes.add(type);
          }
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(name, e);
        }
      }
    }
  }
}
