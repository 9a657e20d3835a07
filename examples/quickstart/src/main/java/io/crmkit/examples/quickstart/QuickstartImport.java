package io.crmkit.examples.quickstart;

import io.crmkit.core.TenantScope;
import io.crmkit.core.customers.Customer;
import io.crmkit.core.customers.CustomerService;
import io.crmkit.core.customers.ImportIdentity;
import io.crmkit.core.customers.ImportOptions;
import io.crmkit.core.customers.ImportPreview;
import io.crmkit.core.customers.ImportReport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The quickstart's import: Acme brings its contacts in a HubSpot export. The header tells the
 * export apart ({@code ImportPreset.HUBSPOT}); a preview shows the rows as they would be stored and
 * the file's problems, changing nothing; the import stores them, matching by HubSpot's record id
 * (kept as each customer's external id); importing the same export again changes nothing.
 */
public final class QuickstartImport {
  /** A HubSpot contacts export, as HubSpot writes its headers; one row has an email that is none. */
  static final String HUBSPOT_EXPORT = """
      Record ID,First Name,Last Name,Email,Mobile Phone Number,Company Name,Job Title,Name
      501,Layla,Khalil,layla@khalil.ae,+971 50 123 4567,Khalil Group,CFO,Khalil Group
      502,نورة,العتيبي,noura@otaibi.sa,055 123 4567,مؤسسة العتيبي,,مؤسسة العتيبي
      503,Omar,Saad,omar at saad,055 987 6543,,,
      """;

  private QuickstartImport() {}

  /**
   * What the import did.
   *
   * @param preview the dry run: the first rows as they would be stored, and the whole file's report
   * @param first the import
   * @param again the same export imported again
   * @param layla the customer of HubSpot's record 501, found by its external id
   */
  public record Result(ImportPreview preview, ImportReport first, ImportReport again, Customer layla) {
    /** Creates the result. */
    public Result {
      Objects.requireNonNull(preview, "preview");
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(again, "again");
      Objects.requireNonNull(layla, "layla");
    }
  }

  /** Previews, imports and imports again the export, as {@code acme}'s admin. */
  static Result run(TenantScope acme) {
    CustomerService customers = acme.customers();
    ImportOptions byRecordId = ImportOptions.DEFAULTS.withIdentity(ImportIdentity.EXTERNAL_ID);
    ImportPreview preview = customers.previewCsv(export(), byRecordId, 10);
    ImportReport first = customers.importCsv(export(), byRecordId);
    ImportReport again = customers.importCsv(export(), byRecordId);
    return new Result(preview, first, again, customers.findByExternalId("501").orElseThrow());
  }

  private static InputStream export() {
    return new ByteArrayInputStream(HUBSPOT_EXPORT.getBytes(StandardCharsets.UTF_8));
  }

  /** Prints the preview's rows, each import's counts and the rows refused. */
  static void print(Result result, PrintStream out) {
    out.printf("%nImport of a HubSpot export (preview, import, the same file again):%n");
    for (ImportPreview.Row row : result.preview().rows()) {
      out.printf("  preview, line %d: %s%n", row.line(), row.fields());
    }
    for (ImportReport report : java.util.List.of(result.first(), result.again())) {
      out.printf("  %d rows: %d new, %d updated, %d unchanged, %d refused%n", report.rowsRead(), report.inserted(),
          report.updated(), report.unchanged(), report.rejected());
      for (ImportReport.RowError error : report.errors()) {
        out.printf("    line %d, %s: %s%n", error.line(), error.field(), error.reason());
      }
    }
    Customer layla = result.layla();
    out.printf("  record 501: %s, %s, %s%n", layla.fullName().orElse(""), layla.whatsappPhone().orElse("-"),
        layla.company().orElse(""));
  }
}
