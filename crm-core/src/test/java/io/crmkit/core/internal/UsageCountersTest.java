package io.crmkit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmkit.core.Crm;
import io.crmkit.core.platform.OrganizationDraft;
import io.crmkit.testdb.TestDatabase;
import io.crmkit.testdb.TestPostgres;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Usage counters, below the SPI's takeWithinLimit: a limit given by the caller, values, releases, periods. */
class UsageCountersTest {
  private static TestDatabase database;
  private static Crm crm;

  @BeforeAll
  static void setUp() {
    database = TestPostgres.shared().createDatabase();
    crm = Crm.builder().dataSource(database.runtimeDataSource()).migrationDataSource(database.adminDataSource())
        .build();
    crm.migrate();
  }

  @AfterAll
  static void tearDown() {
    crm.close();
    database.close();
  }

  @Test
  void holdTheLimitUnderConcurrency() throws Exception {
    UUID org = crm.platform().provision(OrganizationDraft.builder().name("Counted").slug("counted")
        .defaultRegion("SA").admin("owner@counted.example").build()).organization().id();
    CrmRuntime runtime = CrmAccess.runtime(crm);
    LocalDate day = UsageCounters.day(ZoneId.of("Asia/Riyadh"), Instant.parse("2026-05-01T08:00:00Z"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Boolean>> takes = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        takes.add(pool.submit(() -> runtime.inTenant(org,
            tx -> UsageCounters.tryAdd(tx, "messages_sent", day, 1, OptionalLong.of(10)))));
      }
      long granted = 0;
      for (Future<Boolean> take : takes) {
        granted += take.get() ? 1 : 0;
      }
      assertThat(granted).isEqualTo(10);
    } finally {
      pool.shutdown();
    }
    long value = runtime.inTenant(org, tx -> UsageCounters.value(tx, "messages_sent", day));
    assertThat(value).isEqualTo(10);
    runtime.inTenant(org, tx -> {
      UsageCounters.release(tx, "messages_sent", day, 3);
      return null;
    });
    boolean retaken = runtime.inTenant(org, tx -> UsageCounters.tryAdd(tx, "messages_sent", day, 3,
        OptionalLong.of(10)));
    assertThat(retaken).as("released units can be taken again").isTrue();
    assertThat(UsageCounters.month(ZoneId.of("Asia/Riyadh"), Instant.parse("2026-05-31T22:30:00Z")))
        .as("22:30 UTC on 31 May is 1 June in Riyadh").isEqualTo(LocalDate.of(2026, 6, 1));
  }
}
