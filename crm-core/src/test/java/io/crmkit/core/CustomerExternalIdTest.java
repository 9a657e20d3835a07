package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerDraft;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.CustomerUpdate;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportPreview;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.customers.ImportReport.RowError;
import io.crmkit.core.exception.ConflictException;
import io.crmkit.core.exception.ValidationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A customer's id in another system: set on create and update, unique per organization, found by,
 * kept by a merge, and what an import can match rows by when a file is exported again after its
 * phones and emails changed.
 */
class CustomerExternalIdTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static CustomerService customers() {
    return t.adminScope(t.provision()).customers();
  }

  private static InputStream csv(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void isSetFoundUniqueAndExact() {
    CustomerService customers = customers();
    Customer sara = customers.create(CustomerDraft.builder().fullName("Sara").externalId("0035g00000AbCdE").build());
    assertThat(sara.externalId()).hasValue("0035g00000AbCdE");
    assertThat(customers.findByExternalId("0035g00000AbCdE")).map(Customer::id).hasValue(sara.id());
    // Compared exactly: Salesforce ids that differ by case are two records.
    assertThat(customers.findByExternalId("0035G00000ABCDE")).isEmpty();
    Customer other = customers.create(CustomerDraft.builder().fullName("Other").externalId("0035G00000ABCDE").build());

    assertThatThrownBy(() -> customers.create(CustomerDraft.builder().fullName("Copy").externalId("0035g00000AbCdE")
        .build())).isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.existingId()).hasValue(sara.id());
          assertThat(e).hasMessageContaining("external id");
        });
    assertThatThrownBy(() -> customers.update(other.id(), CustomerUpdate.builder().externalId("0035g00000AbCdE")
        .build())).isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.existingId()).hasValue(sara.id()));
    assertThat(customers.get(other.id()).orElseThrow().externalId()).hasValue("0035G00000ABCDE");

    assertThat(customers.update(sara.id(), CustomerUpdate.builder().externalId("  new-7  ").build()).externalId())
        .as("stripped as every one-line field is").hasValue("new-7");
    assertThat(customers.update(sara.id(), CustomerUpdate.builder().clearExternalId().build()).externalId()).isEmpty();
    assertThat(customers.findByExternalId("new-7")).isEmpty();
  }

  @Test
  void aMergeKeepsTheSurvivorsAndTakesTheDuplicatesWhenItHasNone() {
    CustomerService customers = customers();
    Customer survivor = customers.create(CustomerDraft.builder().fullName("Survivor").build());
    Customer duplicate = customers.create(CustomerDraft.builder().fullName("Duplicate").externalId("hs-9").build());
    assertThat(customers.merge(survivor.id(), duplicate.id()).externalId()).hasValue("hs-9");
    assertThat(customers.findByExternalId("hs-9")).map(Customer::id).hasValue(survivor.id());

    Customer other = customers.create(CustomerDraft.builder().fullName("Other").externalId("zcrm_4").build());
    assertThat(customers.merge(survivor.id(), other.id()).externalId()).as("the survivor's own is kept")
        .hasValue("hs-9");
    assertThat(customers.findByExternalId("zcrm_4")).as("the duplicate's went with it").isEmpty();
  }

  @Test
  void anExportTakenAgainIsMatchedByItsRecordIdsAfterPhonesAndEmailsChanged() {
    CustomerService customers = customers();
    ImportOptions byRecordId = ImportOptions.DEFAULTS.withIdentity(ImportIdentity.EXTERNAL_ID);
    String first = "Record ID,First Name,Last Name,Email,Mobile Phone Number\n"
        + "101,Layla,Khalil,layla@khalil.ae,0501007001\n"
        + "102,Huda,Omar,huda@omar.sa,0501007002\n";
    ImportReport report = customers.importCsv(csv(first), byRecordId);
    assertThat(report.inserted()).isEqualTo(2);
    Customer layla = customers.findByExternalId("101").orElseThrow();

    // Exported again: Layla has a new phone and email, a new record, one without a record id.
    String again = "Record ID,First Name,Last Name,Email,Mobile Phone Number\n"
        + "101,Layla,Khalil,layla@new.ae,0501007011\n"
        + "102,Huda,Omar,huda@omar.sa,0501007002\n"
        + "103,Nadia,Saad,nadia@saad.sa,0501007003\n"
        + ",No,Id,noid@x.sa,0501007004\n";
    report = customers.importCsv(csv(again), byRecordId);
    assertThat(report.updated()).isEqualTo(1);
    assertThat(report.unchanged()).isEqualTo(1);
    assertThat(report.inserted()).isEqualTo(1);
    assertThat(report.errors()).extracting(RowError::line, RowError::field).containsExactly(tuple(5L, "externalId"));
    Customer moved = customers.get(layla.id()).orElseThrow();
    assertThat(moved.whatsappPhone()).hasValue("+966501007011");
    assertThat(moved.email()).hasValue("layla@new.ae");
    assertThat(customers.findByPhone("0501007001")).isEmpty();

    DatabaseState before = DatabaseState.of(t.admin());
    ImportReport third = customers.importCsv(csv(again), byRecordId);
    assertThat(third.inserted() + third.updated()).isZero();
    assertThat(DatabaseState.of(t.admin())).as("a second import changes nothing").isEqualTo(before);
  }

  @Test
  void aRowNeverTakesAUniqueValueAnotherCustomerHoldsNorRewritesALink() {
    CustomerService customers = customers();
    Customer ahmed = customers.create(CustomerDraft.builder().fullName("Ahmed").whatsappPhone("0501008001")
        .externalId("zcrm_1").build());
    customers.create(CustomerDraft.builder().fullName("Omar").whatsappPhone("0501008002").build());
    DatabaseState before = DatabaseState.of(t.admin());

    // Matched by record id, a row may not take the phone Omar holds.
    ImportReport byRecordId = customers.importCsv(csv("external_id,whatsapp_phone\nzcrm_1,0501008002\n"),
        ImportOptions.DEFAULTS.withIdentity(ImportIdentity.EXTERNAL_ID));
    // Matched by phone, a row may not take Ahmed's record id for Omar, nor rewrite Ahmed's own.
    ImportReport byPhone = customers.importCsv(csv("external_id,whatsapp_phone\nzcrm_1,0501008002\n"
        + "zcrm_2,0501008001\n"), ImportOptions.DEFAULTS);
    assertThat(byRecordId.errors()).extracting(RowError::line, RowError::field, RowError::reason)
        .containsExactly(tuple(2L, "whatsappPhone", "belongs to another customer"));
    assertThat(byPhone.errors()).extracting(RowError::line, RowError::field, RowError::reason)
        .containsExactly(tuple(2L, "externalId", "belongs to another customer"));
    assertThat(byPhone.unchanged()).as("an external id is set only where there is none").isEqualTo(1);
    assertThat(DatabaseState.of(t.admin())).as("refused rows change nothing").isEqualTo(before);
    assertThat(customers.get(ahmed.id()).orElseThrow().externalId()).hasValue("zcrm_1");
  }

  @Test
  void matchingByExternalIdNeedsItsColumnAndRowsRepeatingAnIdAreRefused() {
    CustomerService customers = customers();
    ImportOptions byRecordId = ImportOptions.DEFAULTS.withIdentity(ImportIdentity.EXTERNAL_ID);
    assertThatThrownBy(() -> customers.importCsv(csv("full_name,email\nSara,sara@x.sa\n"), byRecordId))
        .isInstanceOfSatisfying(ValidationException.class, e -> {
          assertThat(e.field()).isEqualTo("header");
          assertThat(e.reason()).contains("external_id");
        });
    ImportReport report = customers.importCsv(csv("external_id,full_name,company\nA-1,Sara,\nA-1,Sara again,\n"
        + "A-2,Mona,\nA-3,,Only a company\n"), byRecordId);
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(report.errors()).extracting(RowError::line, RowError::field, RowError::reason)
        .containsExactly(tuple(3L, "row", "repeats the customer of line 2"),
            tuple(5L, "fullName", "a new customer needs a name, a phone or an email"));
    // The same row updates a customer that exists; a preview shows the external id it matches by.
    String update = "external_id,full_name,company\nA-2,,Mona's shop\n";
    assertThat(customers.previewCsv(csv(update), byRecordId, 5).rows()).extracting(ImportPreview.Row::fields)
        .containsExactly(java.util.Map.of("externalId", "A-2", "company", "Mona's shop"));
    report = customers.importCsv(csv(update), byRecordId);
    assertThat(report.updated()).isEqualTo(1);
    assertThat(customers.findByExternalId("A-2").orElseThrow().company()).hasValue("Mona's shop");
    assertThat(customers.findByExternalId("A-1").orElseThrow().fullName()).hasValue("Sara");
  }
}
