package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerQuery;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerSource;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.exception.TenantContextException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.Limit;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomerImportTest {
  private static final String FILE = """
      Full Name,WhatsApp Phone,Email,Company,Tags,Loyalty Card
      أحمد الحربي,050 100 0001,ahmed@example.sa,Al-Harbi Trading,vip;riyadh,A-17
      Fatimah,,fatimah@example.sa,,,
      Omar,0501000003,,Omar & Sons,,B-2
      Broken,call me,,,,
      No key,,,,,
      Ahmed again,+966501000001,,,,
      """;

  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  @Test
  void goodRowsLandAndEachBadRowGetsItsOwnError() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    ImportReport report = customers.importCsv(withBom(FILE), ImportOptions.DEFAULTS);
    assertThat(report.rowsRead()).isEqualTo(6);
    assertThat(report.inserted()).isEqualTo(3);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
        .containsExactly(tuple(5L, "whatsappPhone"), tuple(6L, "whatsappPhone"), tuple(7L, "row"));
    Customer ahmed = customers.findByPhone("0501000001").orElseThrow();
    assertThat(ahmed.fullName()).hasValue("أحمد الحربي");
    assertThat(ahmed.source()).isEqualTo(CustomerSource.IMPORT);
    assertThat(ahmed.tags()).containsExactly("vip", "riyadh");
    assertThat(ahmed.customFields()).containsEntry("Loyalty Card", "A-17");
    assertThat(customers.findByEmail("FATIMAH@example.sa")).isPresent();
  }

  @Test
  void importingTheSameFileTwiceChangesNothingTheSecondTime() throws SQLException {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    customers.importCsv(in(FILE), ImportOptions.DEFAULTS);
    long activities = activities(org);
    ImportReport again = customers.importCsv(in(FILE), ImportOptions.DEFAULTS);
    assertThat(again.inserted()).isZero();
    assertThat(again.updated()).isZero();
    assertThat(again.unchanged()).isEqualTo(3);
    assertThat(activities(org)).as("no activity for rows that changed nothing").isEqualTo(activities);

    ImportReport changed = customers.importCsv(in("""
        whatsapp_phone,company
        0501000003,Omar & Daughters
        0501000001,Al-Harbi Trading
        """), ImportOptions.DEFAULTS);
    assertThat(changed.updated()).isEqualTo(1);
    assertThat(changed.unchanged()).isEqualTo(1);
    assertThat(customers.findByPhone("0501000003").orElseThrow().company()).hasValue("Omar & Daughters");
    assertThat(activities(org)).isEqualTo(activities + 1);
  }

  @Test
  void aRowWhosePhoneAndEmailNameTwoCustomersIsReportedNotMerged() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    Customer byPhone = customers.create(CustomerDraft.builder().whatsappPhone("0502000001").fullName("P").build());
    Customer byEmail = customers.create(CustomerDraft.builder().email("e@example.sa").fullName("E").build());
    ImportReport report = customers.importCsv(in("""
        whatsapp_phone,email,full_name
        0502000001,e@example.sa,Both
        """), ImportOptions.DEFAULTS);
    assertThat(report.errors()).singleElement().extracting(ImportReport.RowError::field).isEqualTo("email");
    assertThat(customers.get(byPhone.id()).orElseThrow().fullName()).hasValue("P");
    assertThat(customers.get(byEmail.id()).orElseThrow().fullName()).hasValue("E");
  }

  @Test
  void maxCustomersHoldsAndTheFailingBatchIsReplayedRowByRow() {
    ProvisionedOrganization org = t.provision();
    t.crm.platform().setCustomLimit(org.organization().id(), Limit.CUSTOMERS, OptionalLong.of(4));
    CustomerService customers = t.adminScope(org).customers();
    customers.create(CustomerDraft.builder().fullName("Existing 1").build());
    customers.create(CustomerDraft.builder().fullName("Existing 2").build());
    ImportReport report = customers.importCsv(in("""
        whatsapp_phone,full_name
        0503000001,One
        0503000002,Two
        0503000003,Three
        0503000004,Four
        """), new ImportOptions(10, r -> {}));
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(report.errors()).hasSize(2).allSatisfy(e -> assertThat(e.reason()).contains("max_customers"));
    assertThat(customers.findByPhone("0503000001")).isPresent();
    assertThat(customers.findByPhone("0503000004")).isEmpty();
  }

  @Test
  void tagsFollowTheServicesRule() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    ImportReport report = customers.importCsv(in("""
        whatsapp_phone,tags
        0505000001,vip; vip ;;gold
        0505000002,ok;%s
        """.formatted("x".repeat(65))), ImportOptions.DEFAULTS);
    assertThat(customers.findByPhone("0505000001").orElseThrow().tags()).containsExactly("vip", "gold");
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
        .containsExactly(tuple(3L, "tags"));
  }

  @Test
  void progressIsReportedAfterEachBatch() {
    ProvisionedOrganization org = t.provision();
    StringBuilder csv = new StringBuilder("whatsapp_phone,full_name\n");
    for (int i = 0; i < 250; i++) {
      csv.append(String.format("05040%05d,Customer %d%n", i, i));
    }
    List<Long> seen = new ArrayList<>();
    ImportReport report = t.adminScope(org).customers().importCsv(in(csv.toString()),
        new ImportOptions(100, soFar -> seen.add(soFar.rowsRead())));
    assertThat(seen).containsExactly(100L, 200L, 250L);
    assertThat(report.inserted()).isEqualTo(250);
    assertThat(report.errors()).isEmpty();
  }

  @Test
  void anImportInsideATransactionIsRefused() {
    TenantScope admin = t.adminScope(t.provision());
    assertThatThrownBy(() -> admin.inTransaction(tx -> tx.customers().importCsv(in(FILE), ImportOptions.DEFAULTS)))
        .isInstanceOf(TenantContextException.class);
  }

  @Test
  void aHeaderWithoutAMatchingColumnIsRefused() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    assertThatThrownBy(() -> customers.importCsv(in("full_name,company\nA,B\n"), ImportOptions.DEFAULTS))
        .isInstanceOf(ValidationException.class).extracting("field").isEqualTo("header");
    String longHeader = "x".repeat(65);
    assertThatThrownBy(() -> customers.importCsv(in("email," + longHeader + "\na@example.com,B\n"),
        ImportOptions.DEFAULTS)).as("a custom field's name follows the one rule")
        .isInstanceOf(ValidationException.class).hasMessageContaining("1 to 64");
    assertThat(customers.list(CustomerQuery.builder().build(), 10, java.util.Optional.empty()).items())
        .as("nothing stored").isEmpty();
  }

  @Test
  void cellsWithNulControlCharactersOrBytesThatAreNotUtf8AreRowErrorsAndTheGoodRowsLand() {
    ProvisionedOrganization org = t.provision();
    CustomerService customers = t.adminScope(org).customers();
    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    csv.writeBytes(utf8("whatsapp_phone,full_name,notes,Loyalty Card\n"));
    csv.writeBytes(utf8("0506000001,Good One,\"two\n\tlines\",A-1\n"));
    csv.writeBytes(utf8("0506000002,Bad\u0000Name,,\n"));
    csv.writeBytes(utf8("0506000003,Bell,ring\u0007,\n"));
    csv.writeBytes(utf8("0506000004,Broken,caf"));
    csv.writeBytes(new byte[] {(byte) 0xC3, '('}); // a lead byte without its continuation
    csv.writeBytes(utf8(",\n0506000005,Card,,"));
    csv.writeBytes(new byte[] {(byte) 0xFF}); // never a byte of UTF-8
    csv.writeBytes(utf8("\n0506000006,Control card,,x\u0001y\n"));
    csv.writeBytes(utf8("0506000007,"));
    csv.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // a surrogate written in UTF-8
    csv.writeBytes(utf8(",,\n0506000008,Replacement \uFFFD kept,,\u200Fمرحبا\u200E\n"));
    csv.writeBytes(utf8("05060\u00000009,Phone with NUL,,\n"));
    csv.writeBytes(utf8("0506000010,C1\u0085,,\n"));
    DatabaseState before = DatabaseState.of(t.admin());

    ImportReport report = customers.importCsv(new ByteArrayInputStream(csv.toByteArray()), ImportOptions.DEFAULTS);

    assertThat(report.rowsRead()).isEqualTo(10);
    // Lines as an editor numbers them: the first row's quoted cell spans lines 2 and 3.
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::record,
        ImportReport.RowError::field)
        .containsExactly(tuple(4L, 2L, "fullName"), tuple(5L, 3L, "notes"), tuple(6L, 4L, "notes"),
            tuple(7L, 5L, "customFields.Loyalty Card"), tuple(8L, 6L, "customFields.Loyalty Card"),
            tuple(9L, 7L, "fullName"), tuple(11L, 9L, "whatsappPhone"), tuple(12L, 10L, "fullName"));
    assertThat(report.errors()).filteredOn(e -> e.record() == 4 || e.record() == 5 || e.record() == 7)
        .extracting(ImportReport.RowError::reason).containsOnly("holds bytes that are not UTF-8");
    assertThat(report.errors()).extracting(ImportReport.RowError::reason)
        .noneMatch(reason -> reason.contains("SQLSTATE") || reason.contains("\u0000"));
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(customers.findByPhone("0506000001").orElseThrow().notes()).hasValue("two\n\tlines");
    Customer kept = customers.findByPhone("0506000008").orElseThrow();
    assertThat(kept.fullName()).as("a real U+FFFD is a character like any other").hasValue("Replacement \uFFFD kept");
    assertThat(kept.customFields()).containsEntry("Loyalty Card", "\u200Fمرحبا\u200E");
    Map<String, Long> counts = DatabaseState.of(t.admin()).rowCounts();
    assertThat(counts.get("customers")).as("the two good rows only").isEqualTo(before.rowCounts().get("customers") + 2);
  }

  @Test
  void aHeaderWithAControlCharacterOrBytesThatAreNotUtf8IsRefusedAndNothingLands() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    DatabaseState before = DatabaseState.of(t.admin());
    for (byte[] header : List.of(utf8("email,Loyalty\u0000Card\n"), utf8("email,\u0007Card\n"),
        utf8("\u001Bemail\n"), new byte[] {'e', 'm', 'a', 'i', 'l', ',', (byte) 0xC0, (byte) 0xAF, '\n'})) {
      ByteArrayOutputStream csv = new ByteArrayOutputStream();
      csv.writeBytes(header);
      csv.writeBytes(utf8("a@example.com,1\n"));
      assertThatThrownBy(() -> customers.importCsv(new ByteArrayInputStream(csv.toByteArray()), ImportOptions.DEFAULTS))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("header"));
    }
    assertThat(DatabaseState.of(t.admin())).isEqualTo(before);
  }

  @Test
  void aCellOverAnyFieldsLimitEndsTheImportAfterTheRowsBeforeIt() {
    CustomerService customers = t.adminScope(t.provision()).customers();
    String csv = "whatsapp_phone,notes\n0507000001,first\n0507000002,second\n0507000003," + "x".repeat(100_001)
        + "\n0507000004,after\n";
    assertThatThrownBy(() -> customers.importCsv(in(csv), new ImportOptions(500, r -> {})))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("csv");
          assertThat(e.reason()).isEqualTo("a cell is over 100000 characters (after 2 rows)");
        });
    assertThat(customers.findByPhone("0507000002")).as("the rows before it landed").isPresent();
    assertThat(customers.findByPhone("0507000004")).as("nothing after it").isEmpty();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long activities(ProvisionedOrganization org) throws SQLException {
    return Long.parseLong(MigrationTest.query(t.admin(), "select count(*) from crm.customer_activities"
        + " where organization_id = '" + org.organization().id() + "'").get(0));
  }

  private static InputStream in(String csv) {
    return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
  }

  private static InputStream withBom(String csv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xEF);
    out.write(0xBB);
    out.write(0xBF);
    out.writeBytes(csv.getBytes(StandardCharsets.UTF_8));
    return new ByteArrayInputStream(out.toByteArray());
  }
}
