package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.ProvisionedOrganization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files as spreadsheets and other tools write them: a semicolon or a tab between cells, UTF-8 with
 * or without a byte order mark, UTF-16 as Excel's "Unicode text" writes it, blank lines; a row with
 * fewer or more fields than the header is refused whole, never read shifted; errors name the line
 * a text editor shows and the record number.
 */
class CustomerImportReadingTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static InputStream bytes(String text, Charset charset, byte... bom) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bom);
    out.writeBytes(text.getBytes(charset));
    return new ByteArrayInputStream(out.toByteArray());
  }

  /**
   * Imports {@code file} again after {@code first}: every row stored then is found unchanged, the
   * same rows are refused, and the database is as it was.
   */
  private static void againChangesNothing(CustomerService customers, ImportReport first,
      java.util.function.Supplier<InputStream> file) {
    DatabaseState before = DatabaseState.of(t.admin());
    ImportReport again = customers.importCsv(file.get(), ImportOptions.DEFAULTS);
    assertThat(List.of(again.inserted(), again.updated(), again.unchanged())).as("a second import")
        .containsExactly(0L, 0L, first.inserted() + first.updated() + first.unchanged());
    assertThat(again.errors()).isEqualTo(first.errors());
    assertThat(DatabaseState.of(t.admin())).as("a second import changes nothing").isEqualTo(before);
  }

  private static CustomerService customers() {
    return t.adminScope(t.provision()).customers();
  }

  @Test
  void aSemicolonFileAsExcelWritesItInEuropeIsReadByItsHeaderAndASecondImportChangesNothing()
      throws SQLException {
    CustomerService customers = customers();
    String file = "whatsapp_phone;full_name;company\r\n0507000001;Huda;Nour, Sons & Co\r\n0507000002;\"Omar; Jr\";\r\n";
    ImportReport report = customers.importCsv(bytes(file, StandardCharsets.UTF_8, (byte) 0xEF, (byte) 0xBB,
        (byte) 0xBF), ImportOptions.DEFAULTS);
    assertThat(report.errors()).isEmpty();
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(customers.findByPhone("0507000001").orElseThrow().company()).hasValue("Nour, Sons & Co");
    assertThat(customers.findByPhone("0507000002").orElseThrow().fullName()).hasValue("Omar; Jr");

    DatabaseState before = DatabaseState.of(t.admin());
    ImportReport again = customers.importCsv(bytes(file, StandardCharsets.UTF_8), ImportOptions.DEFAULTS);
    assertThat(again.unchanged()).as("without the BOM, the same file").isEqualTo(2);
    assertThat(DatabaseState.of(t.admin())).isEqualTo(before);
  }

  @Test
  void excelsUnicodeTextIsUtf16WithTabsAndArabicComesThroughInBothByteOrders() {
    CustomerService customers = customers();
    String file = "full_name\twhatsapp_phone\tcompany\nأحمد الحربي\t0507100001\tمؤسسة الحربي\n";
    ImportReport little = customers.importCsv(bytes(file, StandardCharsets.UTF_16LE, (byte) 0xFF, (byte) 0xFE),
        ImportOptions.DEFAULTS);
    assertThat(little.inserted()).isEqualTo(1);
    assertThat(customers.findByPhone("0507100001").orElseThrow().fullName()).hasValue("أحمد الحربي");
    againChangesNothing(customers, little, () -> bytes(file, StandardCharsets.UTF_16LE, (byte) 0xFF, (byte) 0xFE));

    String big = "full_name\twhatsapp_phone\nفاطمة\t0507100002\n";
    ImportReport bigEndian = customers.importCsv(bytes(big, StandardCharsets.UTF_16BE, (byte) 0xFE, (byte) 0xFF),
        ImportOptions.DEFAULTS);
    assertThat(bigEndian.inserted()).isEqualTo(1);
    assertThat(customers.findByPhone("0507100002").orElseThrow().fullName()).hasValue("فاطمة");
    againChangesNothing(customers, bigEndian, () -> bytes(big, StandardCharsets.UTF_16BE, (byte) 0xFE, (byte) 0xFF));
  }

  @Test
  void aRowWithFewerOrMoreFieldsThanTheHeaderIsRefusedWholeWithItsLineAndRecord() {
    CustomerService customers = customers();
    String file = "whatsapp_phone,full_name,company\n"
        + "0507200001,Huda,Nour\n"
        + "\n"
        + "0507200002,Omar\n"
        + "0507200003,\"Sara\nAl-Harbi\",Acme,extra\n"
        + "0507200004,Layla,Blue\n";
    ImportReport report = customers.importCsv(bytes(file + ",,,Ahmed,0507200005\n", StandardCharsets.UTF_8),
        ImportOptions.DEFAULTS);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::record,
        ImportReport.RowError::field, ImportReport.RowError::reason).containsExactly(
            tuple(4L, 2L, "row", "has 2 fields where the header has 3; nothing of it is read"),
            tuple(5L, 3L, "row", "has 4 fields where the header has 3; nothing of it is read"),
            tuple(8L, 5L, "row", "has 5 fields where the header has 3; nothing of it is read"));
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(customers.findByPhone("0507200002")).as("nothing shifted into a wrong field").isEmpty();
    assertThat(customers.findByPhone("0507200004").orElseThrow().company()).as("line 7, after the quoted break")
        .hasValue("Blue");
    againChangesNothing(customers, report, () -> bytes(file + ",,,Ahmed,0507200005\n", StandardCharsets.UTF_8));
  }

  @Test
  void aRowTooWideOrTooLongIsItsRowsErrorAndAHeaderTooWideIsRefused() throws SQLException {
    CustomerService customers = customers();
    StringBuilder file = new StringBuilder("whatsapp_phone,full_name");
    for (int i = 1; i <= 12; i++) {
      file.append(",c").append(i);
    }
    file.append("\n0507250001,Huda").append(",".repeat(12)).append('\n');
    // Two million fields on one line: counted as the parser meets them, none of them kept.
    file.append("0507250002,Omar").append(",".repeat(2_000_000)).append('\n');
    // Twelve long cells, each under the cell limit, over the row's million characters.
    file.append("0507250003,Nour").append((",\"" + "x".repeat(90_000) + "\"").repeat(12)).append('\n');
    file.append("0507250004,Layla").append(",".repeat(12)).append('\n');
    ImportReport report = customers.importCsv(bytes(file.toString(), StandardCharsets.UTF_8), ImportOptions.DEFAULTS);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::reason).containsExactly(
        tuple(3L, "has 2000002 fields where the header has 14; nothing of it is read"),
        tuple(4L, "is over 1000000 characters; nothing of it is read"));
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(customers.findByPhone("0507250004")).as("the rows after them are read").isPresent();

    DatabaseState before = DatabaseState.of(t.admin());
    String wide = "whatsapp_phone" + ",c".repeat(5_000) + "\n";
    assertThatThrownBy(() -> customers.importCsv(bytes(wide, StandardCharsets.UTF_8), ImportOptions.DEFAULTS))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("header");
          assertThat(e.reason()).isEqualTo("names more than 5000 columns");
        });
    assertThat(DatabaseState.of(t.admin())).isEqualTo(before);
  }

  @Test
  void aBatchOfLongRowsIsWrittenOnceItHoldsSixteenMillionCharacters() {
    CustomerService customers = customers();
    StringBuilder file = new StringBuilder("whatsapp_phone");
    for (int i = 1; i <= 11; i++) {
      file.append(",c").append(i);
    }
    file.append('\n');
    String cells = (",\"" + "x".repeat(90_000) + "\"").repeat(11); // 990,000 characters a row
    for (int i = 1; i <= 20; i++) {
      file.append(String.format("05072600%02d", i)).append(cells).append('\n');
    }
    java.util.List<Long> batches = new java.util.ArrayList<>();
    ImportReport report = customers.importCsv(bytes(file.toString(), StandardCharsets.UTF_8),
        ImportOptions.DEFAULTS.withProgress(soFar -> batches.add(soFar.rowsRead())));
    assertThat(batches).as("17 rows pass 16,000,000 characters; batches of 500 rows otherwise").containsExactly(17L,
        20L);
    assertThat(report.rowsRead()).isEqualTo(20);
  }

  @Test
  void aGivenDelimiterWinsOverDetectionAndABadOneIsRefused() {
    CustomerService customers = customers();
    String file = "whatsapp_phone|full_name\n0507300001|Nour, the first\n";
    assertThat(customers.importCsv(bytes(file, StandardCharsets.UTF_8), ImportOptions.DEFAULTS.withDelimiter('|'))
        .inserted()).isEqualTo(1);
    assertThat(customers.findByPhone("0507300001").orElseThrow().fullName()).hasValue("Nour, the first");
    for (char bad : new char[] {'"', '\n', 'a', '7'}) {
      assertThatThrownBy(() -> ImportOptions.DEFAULTS.withDelimiter(bad)).isInstanceOfSatisfying(
          ValidationException.class, e -> assertThat(e.field()).isEqualTo("delimiter"));
    }
  }

  @Test
  void aHeaderNamingAColumnTwiceIsRefusedAndNothingLands() throws SQLException {
    CustomerService customers = customers();
    DatabaseState before = DatabaseState.of(t.admin());
    assertThatThrownBy(() -> customers.importCsv(bytes("whatsapp_phone,email,email\n0507400001,a@x.sa,b@x.sa\n",
        StandardCharsets.UTF_8), ImportOptions.DEFAULTS)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).contains("twice"));
    assertThat(DatabaseState.of(t.admin())).isEqualTo(before);
  }

  @Test
  void excelsSepLineBlankLinesRowsOfDelimitersAndBlankHeaderCellsAreReadAsMeant() {
    CustomerService customers = customers();
    String file = "sep=;\n\nwhatsapp_phone;full_name;;company\n;;;\n0507500001;Huda;;Nour\n0507500002;x\n";
    ImportReport report = customers.importCsv(bytes(file, StandardCharsets.UTF_8), ImportOptions.DEFAULTS);
    assertThat(report.inserted()).isEqualTo(1);
    assertThat(report.rowsRead()).as("the row of delimiters is an empty row, skipped").isEqualTo(2);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::record)
        .containsExactly(tuple(6L, 2L));
    assertThat(customers.findByPhone("0507500001").orElseThrow().customFields()).as("the blank column is left out")
        .isEmpty();
    againChangesNothing(customers, report, () -> bytes(file, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> customers.importCsv(bytes("Email,email \na@x.sa,b@x.sa\n", StandardCharsets.UTF_8),
        ImportOptions.DEFAULTS)).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).contains("twice"));
  }
}
