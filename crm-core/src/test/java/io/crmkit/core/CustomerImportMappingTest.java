package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.ImportField;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportMapping;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportPreset;
import io.crmkit.core.customers.ImportReport;
import io.crmkit.core.exception.ValidationException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files in the shapes of the exports people bring, built from the headers those exports write:
 * each is recognized by its header (or mapped by hand), stored as the export meant it, its bad rows
 * refused with their line, and a second import of it changes nothing.
 */
class CustomerImportMappingTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start();
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  /** Imports {@code file} twice: the report of the first, after checking the second changed nothing. */
  private static ImportReport importTwice(CustomerService customers, String file, ImportOptions options) {
    ImportReport first = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), options);
    DatabaseState before = DatabaseState.of(t.admin());
    ImportReport second = customers.importCsv(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)),
        options);
    assertThat(second.inserted() + second.updated()).as("a second import").isZero();
    assertThat(DatabaseState.of(t.admin())).as("a second import changes nothing").isEqualTo(before);
    return first;
  }

  private static CustomerService customers() {
    return t.adminScope(t.provision()).customers();
  }

  @Test
  void googleContactsJoinsTheNameSplitsMultiValueCellsAndKeepsTheRest() {
    CustomerService customers = customers();
    String file = "First Name,Middle Name,Last Name,Nickname,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,"
        + "Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Organization Name,Organization Title,Notes,Labels\n"
        + "Ahmed,Saleh,Al-Harbi,Abu Saleh,* Work,ahmed@harbi.sa ::: a.harbi@mail.sa,Mobile,+966 50 100 2001 ::: "
        + "050 100 2009,Work,011 234 5678,Harbi Trading,CEO,Met at Gitex,* myContacts ::: Riyadh ::: VIP\n"
        + "فاطمة,,الزهراني,,,,Mobile,0501002002,,,,,,\n"
        + "No,,Contact,,,,,,,,,,,\n";
    assertThat(ImportPreset.detect(List.of(file.substring(0, file.indexOf('\n')).split(","))))
        .hasValue(ImportPreset.GOOGLE_CONTACTS);
    ImportReport report = importTwice(customers, file, ImportOptions.DEFAULTS);
    assertThat(report.inserted()).isEqualTo(2);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
        .containsExactly(tuple(4L, "whatsappPhone"));
    Customer ahmed = customers.findByPhone("0501002001").orElseThrow();
    assertThat(ahmed.fullName()).hasValue("Ahmed Saleh Al-Harbi");
    assertThat(ahmed.email()).hasValue("ahmed@harbi.sa");
    assertThat(ahmed.phone()).hasValue("+966112345678");
    assertThat(ahmed.company()).hasValue("Harbi Trading");
    assertThat(ahmed.position()).hasValue("CEO");
    assertThat(ahmed.tags()).containsExactly("Riyadh", "VIP");
    assertThat(ahmed.customFields()).containsEntry("email_more", "a.harbi@mail.sa")
        .containsEntry("whatsapp_phone_more", "050 100 2009").doesNotContainKey("Nickname");
    assertThat(customers.findByPhone("0501002002").orElseThrow().fullName()).hasValue("فاطمة الزهراني");
  }

  @Test
  void badBytesInTheOtherValuesOfAMultiValueCellAreTheirRowsError() {
    CustomerService customers = customers();
    java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    file.writeBytes("First Name,E-mail 1 - Value,Phone 1 - Value\nMona,mona@x.sa ::: m".getBytes(StandardCharsets.UTF_8));
    file.writeBytes(new byte[] {(byte) 0xFF}); // never a byte of UTF-8
    file.writeBytes("@y.sa,0501009001\n".getBytes(StandardCharsets.UTF_8));
    ImportReport report = customers.importCsv(new ByteArrayInputStream(file.toByteArray()), ImportOptions.DEFAULTS);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field,
        ImportReport.RowError::reason).containsExactly(tuple(2L, "customFields.email_more",
            "holds bytes that are not UTF-8"));
    assertThat(report.inserted()).isZero();
  }

  @Test
  void outlookTakesTheMobileAsTheWhatsAppNumber() {
    CustomerService customers = customers();
    String file = "First Name,Middle Name,Last Name,Title,E-mail Address,E-mail 2 Address,Mobile Phone,"
        + "Business Phone,Company,Job Title,Notes,Categories\n"
        + "Omar,,Haddad,Mr.,omar@haddad.jo,,0501003001,+962 6 500 0000,Haddad & Sons,Owner,,Clients;Amman\n"
        + "Sara,,Nasser,,not-an-email,,0501003002,,,,,\n";
    ImportReport report = importTwice(customers, file, ImportOptions.DEFAULTS);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
        .containsExactly(tuple(3L, "email"));
    Customer omar = customers.findByPhone("0501003001").orElseThrow();
    assertThat(omar.fullName()).hasValue("Omar Haddad");
    assertThat(omar.phone()).hasValue("+96265000000");
    assertThat(omar.tags()).containsExactly("Clients", "Amman");
  }

  @Test
  void hubSpotsNameColumnIsTheCompanyAndNeverTheContactsName() {
    CustomerService customers = customers();
    String file = "Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,Job Title,Name\n"
        + "51,Layla,Khalil,layla@khalil.ae,,0501004001,Khalil Group,CFO,Khalil Group\n";
    importTwice(customers, file, ImportOptions.DEFAULTS);
    Customer layla = customers.findByEmail("layla@khalil.ae").orElseThrow();
    assertThat(layla.fullName()).hasValue("Layla Khalil");
    assertThat(layla.company()).hasValue("Khalil Group");
    assertThat(layla.externalId()).hasValue("51");
    assertThat(layla.customFields()).doesNotContainKey("Name").doesNotContainKey("Record ID");
  }

  @Test
  void salesforceAndZohoReportsAreToldApart() {
    CustomerService customers = customers();
    String salesforce = "Contact ID,First Name,Last Name,Title,Account Name,Email,Phone,Mobile,Description\n"
        + "0035g00000AbCdE,Yousef,Saad,Buyer,Saad Foods,yousef@saad.sa,,0501005001,Prefers calls\n";
    assertThat(ImportPreset.detect(List.of(salesforce.substring(0, salesforce.indexOf('\n')).split(","))))
        .hasValue(ImportPreset.SALESFORCE);
    importTwice(customers, salesforce, ImportOptions.DEFAULTS);
    assertThat(customers.findByPhone("0501005001").orElseThrow().notes()).hasValue("Prefers calls");
    assertThat(customers.findByExternalId("0035g00000AbCdE").orElseThrow().email()).hasValue("yousef@saad.sa");

    String zoho = "Record Id,Contact Owner,First Name,Last Name,Account Name,Email,Phone,Mobile,Title,Description,Tag\n"
        + "zcrm_77,Nadia,Huda,Omar,Omar Textiles,huda@omar.sa,,0501005002,Manager,,Wholesale\n";
    assertThat(ImportPreset.detect(List.of(zoho.substring(0, zoho.indexOf('\n')).split(","))))
        .hasValue(ImportPreset.ZOHO);
    importTwice(customers, zoho, ImportOptions.DEFAULTS);
    Customer huda = customers.findByPhone("0501005002").orElseThrow();
    assertThat(huda.company()).hasValue("Omar Textiles");
    assertThat(huda.tags()).containsExactly("Wholesale");
    assertThat(huda.externalId()).hasValue("zcrm_77");
    assertThat(huda.customFields()).doesNotContainKey("Contact Owner");
  }

  @Test
  void excelWithArabicHeadersAndACountryCodeColumnMappedByHand() {
    CustomerService customers = customers();
    String file = "\uFEFFالاسم الأول;اسم العائلة;رمز الدولة;الجوال;البريد;بطاقة الولاء\n"
        + "خالد;العتيبي;971;050 123 4567;khalid@otaibi.ae;L-1\n"
        + "منى;السبيعي;;0501006002;;\n"
        + "ريم;الحربي;999;0501006003;;\n"
        + "نور;;800;1234 5678;;\n"
        + "سلمى;;800;;salma@example.sa;\n";
    ImportMapping mapping = ImportMapping.builder()
        .join(ImportField.FULL_NAME, "الاسم الأول", "اسم العائلة")
        .phone(ImportField.WHATSAPP_PHONE, "رمز الدولة", "الجوال")
        .column(ImportField.EMAIL, "البريد")
        .customField("بطاقة الولاء", "loyalty_card").build();
    ImportReport report = importTwice(customers, file, ImportOptions.DEFAULTS.withMapping(mapping));
    assertThat(report.inserted()).isEqualTo(4);
    assertThat(report.errors()).extracting(ImportReport.RowError::line, ImportReport.RowError::field)
        .containsExactly(tuple(4L, "whatsappPhone"));
    assertThat(customers.findByEmail("salma@example.sa").orElseThrow().whatsappPhone())
        .as("a code without a number is no phone").isEmpty();
    assertThat(customers.findByPhone("+80012345678").orElseThrow().fullName())
        .as("a calling code of no country").hasValue("نور");
    Customer khalid = customers.findByPhone("+971501234567").orElseThrow();
    assertThat(khalid.fullName()).hasValue("خالد العتيبي");
    assertThat(khalid.customFields()).containsEntry("loyalty_card", "L-1");
    assertThat(customers.findByPhone("0501006002").orElseThrow().fullName())
        .as("no country code: the organization's region").hasValue("منى السبيعي");
  }

  @Test
  void anInboxExportWithItsOwnHeadersIsMappedByHandAndAMappingWithoutAKeyIsRefused() {
    CustomerService customers = customers();
    String interakt = "Name,Country Code,Phone Number,Email,Tags\n"
        + "Nour,+966,501007001,nour@example.sa,lead;riyadh\n";
    ImportMapping mapping = ImportMapping.builder().column(ImportField.FULL_NAME, "Name")
        .phone(ImportField.WHATSAPP_PHONE, "Country Code", "Phone Number").column(ImportField.EMAIL, "Email")
        .column(ImportField.TAGS, "Tags").build();
    importTwice(customers, interakt, ImportOptions.DEFAULTS.withMapping(mapping));
    assertThat(customers.findByPhone("0501007001").orElseThrow().tags()).containsExactly("lead", "riyadh");

    ImportMapping keyless = ImportMapping.builder().column(ImportField.FULL_NAME, "Name").build();
    assertThatThrownBy(() -> customers.importCsv(new ByteArrayInputStream(interakt.getBytes(StandardCharsets.UTF_8)),
        ImportOptions.DEFAULTS.withMapping(keyless))).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.field()).isEqualTo("header"));
    assertThatThrownBy(() -> ImportMapping.builder().phone(ImportField.EMAIL, "a", "b"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> ImportMapping.builder().join(ImportField.FULL_NAME, "only one"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void aFileOfNamesOnlyImportsWithoutIdentityAndEachIdentityMatchesByItsOwnKey() {
    CustomerService customers = customers();
    String names = "Name\nHuda\nOmar\n";
    assertThatThrownBy(() -> customers.importCsv(new ByteArrayInputStream(names.getBytes(StandardCharsets.UTF_8)),
        ImportOptions.DEFAULTS)).as("names only cannot be matched").isInstanceOf(ValidationException.class);
    ImportReport once = customers.importCsv(new ByteArrayInputStream(names.getBytes(StandardCharsets.UTF_8)),
        ImportOptions.DEFAULTS.withIdentity(ImportIdentity.NONE));
    assertThat(once.inserted()).isEqualTo(2);

    customers.importCsv(new ByteArrayInputStream("whatsapp_phone,email,full_name\n0501008001,a@x.sa,A\n"
        .getBytes(StandardCharsets.UTF_8)), ImportOptions.DEFAULTS);
    String sameEmailNewPhone = "whatsapp_phone,email,full_name\n0501008002,a@x.sa,A by email\n";
    ImportReport byPhone = customers.importCsv(new ByteArrayInputStream(sameEmailNewPhone.getBytes(
        StandardCharsets.UTF_8)), ImportOptions.DEFAULTS.withIdentity(ImportIdentity.PHONE));
    assertThat(byPhone.errors()).extracting(ImportReport.RowError::field, ImportReport.RowError::reason)
        .containsExactly(tuple("email", "belongs to a customer with another WhatsApp phone"));
    String sameEmailNoPhone = "email,full_name\nA@X.SA,A renamed\n";
    ImportReport byEmail = customers.importCsv(new ByteArrayInputStream(sameEmailNoPhone.getBytes(
        StandardCharsets.UTF_8)), ImportOptions.DEFAULTS.withIdentity(ImportIdentity.EMAIL));
    assertThat(byEmail.updated()).isEqualTo(1);
    assertThat(customers.findByPhone("0501008001").orElseThrow().fullName()).hasValue("A renamed");
    ImportReport none = customers.importCsv(new ByteArrayInputStream(sameEmailNoPhone.getBytes(
        StandardCharsets.UTF_8)), ImportOptions.DEFAULTS.withIdentity(ImportIdentity.NONE));
    assertThat(none.errors()).extracting(ImportReport.RowError::field).as("a new customer cannot take the email")
        .containsExactly("email");
  }

  @Test
  void ownColumnsWinOverPresetsZohoLeadsAreZohosAndHalfAPhoneRuleIsRefused() {
    assertThat(ImportPreset.detect(List.of("Record ID", "First Name", "Email", "whatsapp_phone"))).isEmpty();
    assertThat(ImportPreset.detect(List.of("Record Id", "Company", "First Name", "Last Name", "Email", "Mobile")))
        .hasValue(ImportPreset.ZOHO);
    CustomerService customers = customers();
    String leads = "Record Id,Company,First Name,Last Name,Email,Mobile\nzl_1,Dana Foods,Dana,Ali,dana@ali.sa,0501009001\n";
    importTwice(customers, leads, ImportOptions.DEFAULTS);
    assertThat(customers.findByPhone("0501009001").orElseThrow().company()).hasValue("Dana Foods");

    ImportMapping halfPhone = ImportMapping.builder().phone(ImportField.WHATSAPP_PHONE, "Dial Code", "Mobile").build();
    assertThatThrownBy(() -> customers.importCsv(new ByteArrayInputStream(leads.getBytes(StandardCharsets.UTF_8)),
        ImportOptions.DEFAULTS.withMapping(halfPhone))).isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.reason()).contains("Dial Code"));
  }
}
