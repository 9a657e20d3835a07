package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.customers.CustomerService;
import java.util.OptionalLong;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportPreview;
import io.crmkit.core.customers.ImportReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An import as a host shows it: a progress callback with counts and bytes that grow to the final
 * totals, a cancel that keeps what committed and says how far it got, a preview that changes
 * nothing, and a report that lists at most 1,000 errors while counting them all.
 */
class CustomerImportProgressTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  /** {@code rows} rows, every {@code badEvery}th with a phone that is none (0 for none bad). */
  private static byte[] file(int rows, int badEvery) {
    StringBuilder csv = new StringBuilder("full_name,whatsapp_phone,email\n");
    for (int i = 1; i <= rows; i++) {
      String phone = badEvery > 0 && i % badEvery == 0 ? "call me" : String.format("05080%05d", i);
      csv.append("Customer ").append(i).append(',').append(phone).append(",c").append(i).append("@example.sa\n");
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void progressGrowsBatchByBatchToTheFinalTotalsWithTheBytesRead() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    byte[] file = file(1_000, 10);
    List<ImportReport> seen = new ArrayList<>();
    ImportReport done = customers.importCsv(new ByteArrayInputStream(file),
        new ImportOptions(100, seen::add));
    assertThat(seen).hasSize(10);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).rowsRead()).isGreaterThan(seen.get(i - 1).rowsRead());
      assertThat(seen.get(i).bytesRead()).isGreaterThanOrEqualTo(seen.get(i - 1).bytesRead());
      assertThat(seen.get(i).inserted() + seen.get(i).rejected()).isEqualTo(seen.get(i).rowsRead());
    }
    assertThat(seen.get(seen.size() - 1)).isEqualTo(done);
    assertThat(done.rowsRead()).isEqualTo(1_000);
    assertThat(done.inserted()).isEqualTo(900);
    assertThat(done.rejected()).isEqualTo(100);
    assertThat(done.bytesRead()).isEqualTo(file.length);
    assertThat(done.lastLine()).isEqualTo(1_001);
    assertThat(done.cancelled()).isFalse();
  }

  @Test
  void aCancelDuringABatchsRowByRowReplayStopsAfterTheCurrentRow() {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.CUSTOMERS, OptionalLong.of(2));
    CustomerService customers = t.adminScope(org).customers();
    // Six new customers in one batch over a limit of two: the batch fails, and is replayed row by row.
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    ImportReport stopped = customers.importCsv(new ByteArrayInputStream(file(6, 0)),
        new ImportOptions(10, r -> {}).withCancel(() -> asked.incrementAndGet() == 3));
    assertThat(stopped.cancelled()).isTrue();
    assertThat(List.of(stopped.rowsRead(), stopped.inserted(), stopped.rejected(), stopped.lastLine()))
        .as("rows 1 and 2 stored, row 3 over the limit, then the cancel").containsExactly(3L, 2L, 1L, 4L);
    assertThat(customers.findByPhone("0508000002")).isPresent();
  }

  @Test
  void aCancelKeepsTheCommittedBatchesAndSaysHowFarItGot() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    List<ImportReport> seen = new ArrayList<>();
    ImportReport stopped = customers.importCsv(new ByteArrayInputStream(file(1_000, 0)),
        new ImportOptions(100, seen::add).withCancel(() -> seen.size() == 3));
    assertThat(stopped.cancelled()).isTrue();
    assertThat(stopped.rowsRead()).isEqualTo(300);
    assertThat(stopped.inserted()).isEqualTo(300);
    assertThat(stopped.lastLine()).isEqualTo(301);
    assertThat(customers.findByPhone("0508000300")).isPresent();
    assertThat(customers.findByPhone("0508000301")).as("not read").isEmpty();

    ImportReport rest = customers.importCsv(new ByteArrayInputStream(file(1_000, 0)), ImportOptions.DEFAULTS);
    assertThat(List.of(rest.inserted(), rest.unchanged())).as("importing it again finishes it").containsExactly(700L,
        300L);
  }

  @Test
  void aPreviewShowsTheFirstRowsAsStoredAndTheWholeFilesProblemsAndChangesNothing() throws SQLException {
    CustomerService customers = t.adminScope(t.provision()).customers();
    customers.importCsv(new ByteArrayInputStream(file(5, 0)), ImportOptions.DEFAULTS);
    DatabaseState before = DatabaseState.of(t.admin());
    String file = "Full Name,WhatsApp Phone,Email,Tags,Loyalty Card\n"
        + "Customer 1,0508000001,c1@example.sa,vip,A-1\n"
        + "Huda,050 800 9001,HUDA@example.sa,,\n"
        + "Broken,call me,,,\n"
        + "Huda again,0508009001,,,\n";
    ImportPreview preview = customers.previewCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        ImportOptions.DEFAULTS, 10);
    assertThat(DatabaseState.of(t.admin())).as("a preview changes nothing").isEqualTo(before);
    assertThat(preview.rows()).extracting(ImportPreview.Row::line, ImportPreview.Row::fields).containsExactly(
        tuple(2L, Map.of("fullName", "Customer 1", "whatsappPhone", "+966508000001",
            "email", "c1@example.sa", "tags", List.of("vip"), "customFields", Map.of("Loyalty Card", "A-1"))),
        tuple(3L, Map.of("fullName", "Huda", "whatsappPhone", "+966508009001",
            "email", "HUDA@example.sa")));
    assertThat(preview.rows().get(0).fields().keySet()).as("in the order a mapping screen shows them")
        .containsExactly("fullName", "whatsappPhone", "email", "tags", "customFields");
    ImportReport report = preview.report();
    assertThat(List.of(report.rowsRead(), report.inserted(), report.updated(), report.rejected()))
        .containsExactly(4L, 1L, 1L, 2L);
    assertThat(report.errors()).extracting(ImportReport.RowError::line).containsExactly(4L, 5L);
  }

  @Test
  void aRowRepeatingACustomerBatchesEarlierIsRefusedSoASecondImportChangesNothing() throws SQLException {
    CustomerService customers = t.adminScope(t.provision()).customers();
    String file = "full_name,whatsapp_phone,email\n"
        + "Huda,0508100001,huda@example.sa\n"
        + "Omar,0508100002,\n"
        + "Huda Ali,0508100001,\n" // her phone again, in the next batch of two
        + "Sara,,\n"
        + "H. Ali,,huda@example.sa\n"; // her email again, two batches on
    ImportOptions twoByTwo = new ImportOptions(2, r -> {});
    ImportReport first = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        twoByTwo);
    assertThat(first.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::reason).containsExactly(
        tuple(4L, "repeats the customer of an earlier row"),
        tuple(5L, "a row needs a WhatsApp phone or an email to be matched by"),
        tuple(6L, "repeats the customer of an earlier row"));
    assertThat(customers.findByPhone("0508100001").orElseThrow().fullName()).as("the first row wins").hasValue("Huda");

    DatabaseState before = DatabaseState.of(t.admin());
    ImportReport second = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        twoByTwo);
    assertThat(second.unchanged()).isEqualTo(2);
    assertThat(DatabaseState.of(t.admin())).as("a second import changes nothing").isEqualTo(before);
  }

  @Test
  void aRowReachingByAnotherKeyACustomerAnEarlierRowMatchedIsRefusedInTheBatchAndAfter() throws SQLException {
    CustomerService customers = t.adminScope(t.provision()).customers();
    customers.importCsv(new ByteArrayInputStream(("full_name,whatsapp_phone,email\n"
        + "Huda,0508300001,huda@example.sa\nOmar,0508300002,omar@example.sa\nNadia,0508300009,nadia@example.sa\n")
        .getBytes(StandardCharsets.UTF_8)),
        ImportOptions.DEFAULTS);
    // Huda by her phone, then by her email in the same batch; Omar by his phone, then by his email a batch on;
    // a row refused for another reason takes nothing, so the row after it with the same phone is new.
    String file = "full_name,whatsapp_phone,email\n"
        + "Huda A,0508300001,\n"
        + "Huda B,,huda@example.sa\n"
        + "Omar A,0508300002,\n"
        + "Sara,0508300003,nadia@example.sa\n"
        + "Sara,0508300003,\n"
        + "Omar B,,omar@example.sa\n";
    ImportOptions byThree = new ImportOptions(3, r -> {});
    ImportReport first = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), byThree);
    assertThat(first.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::reason).containsExactly(
        tuple(3L, "repeats the customer of line 2"),
        tuple(5L, "belongs to a customer with another WhatsApp phone"),
        tuple(7L, "repeats the customer of an earlier row"));
    assertThat(List.of(first.inserted(), first.updated())).containsExactly(1L, 2L);
    assertThat(customers.findByPhone("0508300001").orElseThrow().fullName()).hasValue("Huda A");
    assertThat(customers.findByPhone("0508300002").orElseThrow().fullName()).hasValue("Omar A");

    DatabaseState before = DatabaseState.of(t.admin());
    ImportReport second = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), byThree);
    assertThat(second.unchanged()).isEqualTo(3);
    assertThat(DatabaseState.of(t.admin())).as("a second import changes nothing").isEqualTo(before);
  }

  @Test
  void aPreviewInBatchesSaysWhatTheImportThenDoesRepeatsAndTheLimitIncluded() {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.CUSTOMERS, OptionalLong.of(3));
    CustomerService customers = t.adminScope(org).customers();
    String file = "full_name,whatsapp_phone\n"
        + "A,0508200001\nB,0508200002\n"
        + "A again,0508200001\nC,0508200003\n"
        + "D,0508200004\nE,0508200005\n";
    ImportOptions twoByTwo = new ImportOptions(2, r -> {});
    ImportPreview dryRun = customers.previewCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        twoByTwo, 10);
    assertThat(dryRun.rows()).extracting(ImportPreview.Row::line).as("the rows the import then stores")
        .containsExactly(2L, 3L, 5L);
    ImportReport preview = dryRun.report();
    ImportReport report = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        twoByTwo);
    assertThat(List.of(report.inserted(), report.rejected())).containsExactly(3L, 3L);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
        .containsExactly(tuple(4L, "row"),
            tuple(6L, "row"), tuple(7L, "row"));
    assertThat(preview).as("the preview said so").usingRecursiveComparison().ignoringFields("bytesRead")
        .isEqualTo(report);
  }

  @Test
  void aReportListsTheFirstThousandErrorsAndCountsThemAll() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    ImportReport report = customers.importCsv(new ByteArrayInputStream(file(2_500, 1)), ImportOptions.DEFAULTS);
    assertThat(report.rejected()).isEqualTo(2_500);
    assertThat(report.errors()).hasSize(ImportReport.MAX_ERRORS);
    assertThat(report.errors().get(0).line()).isEqualTo(2);
    assertThat(report.errors().get(ImportReport.MAX_ERRORS - 1).line()).isEqualTo(1_001);
  }
}
