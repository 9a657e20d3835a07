package io.crmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmkit.core.exception.CrmException;
import io.crmkit.core.exception.ForbiddenException;
import io.crmkit.core.exception.NotFoundException;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.platform.ProvisionedOrganization;
import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.DeadLetterBox;
import io.crmkit.core.spi.Json;
import io.crmkit.core.spi.ModuleContext;
import io.crmkit.core.spi.TenantWork;
import io.crmkit.core.users.NewMember;
import io.crmkit.core.users.Role;
import io.crmkit.core.users.User;
import io.crmkit.testdb.RowCounts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dead letters as a module writes them (an item that failed alone, kept in another transaction of
 * its tenant) and as an operator sees, replays and drops them through {@link DeadLetters}. The
 * items are {@link LetterTestModule}'s: a sales stage that fails honestly, by a unique violation,
 * while the tenant has a stage of that name.
 */
class DeadLettersTest {
  private static TestCrm t;

  @BeforeAll
  static void setUp() {
    t = TestCrm.start(b -> b.module(new LetterTestModule()));
  }

  @AfterAll
  static void tearDown() {
    t.close();
  }

  private static ObjectNode item(String stage) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("stage", stage);
    item.put("received", "as the sender sent it");
    return item;
  }

  /**
   * Receives the item {@code {"stage": name}} as a webhook would: stored in a tenant transaction
   * of a system actor, or, when that fails, kept as a dead letter in another one.
   *
   * @return whether a new letter was written
   */
  private static boolean receive(ProvisionedOrganization org, String stage) {
    TenantScope webhook = t.crm.tenant(org.organization().id()).asSystem("test-webhook");
    try {
      TenantWork.call(webhook, tx -> tx.mapper(LetterTestMapper.class).insertStage(tx.organizationId(), stage));
      return false;
    } catch (CrmException e) {
      assertThat(DeadLetterBox.isTransient(e)).isFalse();
      return TenantWork.call(webhook, tx -> DeadLetterBox.keep(tx, LetterTestModule.SOURCE, "stage:" + stage,
          item(stage), e));
    }
  }

  private static DeadLetters letters(ProvisionedOrganization org) {
    return t.adminScope(org).service(DeadLetters.class);
  }

  private static User member(ProvisionedOrganization org, Role role) {
    String email = role.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    return t.crm.acceptInvitation(t.adminScope(org).users().invite(email, role).token(),
        NewMember.of("A " + role, "host-" + email));
  }

  private static long stagesNamed(ProvisionedOrganization org, String name) {
    return t.adminScope(org).pipeline().stages().stream().filter(s -> s.name().equals(name)).count();
  }

  @Test
  void anItemThatFailsIsKeptOnceWithItsRawItemAndAReasonWithoutSql() throws Exception {
    ProvisionedOrganization a = t.provision();
    assertThat(receive(a, "Lead")).as("Lead is a stage of every new tenant: the insert fails").isTrue();
    Map<String, Long> before = RowCounts.of(t.admin(), "crm");
    assertThat(receive(a, "Lead")).as("the same item redelivered").isFalse();
    assertThat(RowCounts.of(t.admin(), "crm")).isEqualTo(before);

    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    assertThat(letters(a).list(10, Optional.empty()).items()).hasSize(1);
    assertThat(letter.source()).isEqualTo("test.letters");
    assertThat(letter.key()).isEqualTo("stage:Lead");
    assertThat(Json.MAPPER.readTree(letter.item())).isEqualTo(item("Lead"));
    assertThat(letter.reason()).startsWith("ConflictException: already exists (sales_stages_name_key)")
        .doesNotContainIgnoringCase("insert").doesNotContain("organization_id");
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.lastReplayedAt()).isEmpty();
    assertThat(letters(a).get(letter.id())).isEqualTo(letter);
  }

  @Test
  void textTheDatabaseCannotStoreIsCleanedOutOfTheItemAndTheKey() throws Exception {
    ProvisionedOrganization a = t.provision();
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("stage", "Le\u0000ad\u0007");
    item.put("broken", "half \ud800 a pair");
    item.put("key\u0001", "\u200fمرحبا\tok\n");
    TenantScope webhook = t.crm.tenant(a.organization().id()).asSystem("test-webhook");
    boolean cleaned = TenantWork.call(webhook, tx -> DeadLetterBox.keep(tx, LetterTestModule.SOURCE,
        "stage:Le\u0000ad", item, new IllegalStateException("a defect")));
    boolean hashed = TenantWork.call(webhook, tx -> DeadLetterBox.keep(tx, LetterTestModule.SOURCE, "x".repeat(400),
        item, new IllegalStateException("a defect")));
    assertThat(cleaned).isTrue();
    assertThat(hashed).isTrue();

    List<DeadLetter> kept = letters(a).list(10, Optional.empty()).items();
    String longKey = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest("x".repeat(400).getBytes(StandardCharsets.UTF_8)));
    assertThat(kept).extracting(DeadLetter::key).containsExactlyInAnyOrder("stage:Lead", longKey);
    ObjectNode clean = Json.MAPPER.createObjectNode();
    clean.put("stage", "Lead");
    clean.put("broken", "half \uFFFD a pair");
    clean.put("key", "\u200fمرحبا\tok\n");
    assertThat(kept).allSatisfy(letter -> assertThat(Json.MAPPER.readTree(letter.item()))
        .as("controls removed, broken UTF-16 replaced, the right-to-left mark and line breaks kept").isEqualTo(clean));
  }

  @Test
  void aReplayThatFailsAgainIsCountedAndOneAfterTheFixStoresTheItemAndDeletesTheLetter() {
    ProvisionedOrganization a = t.provision();
    receive(a, "Qualified");
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    Map<String, Long> before = RowCounts.of(t.admin(), "crm");

    DeadLetter again = letters(a).replay(letter.id()).orElseThrow();
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(again.reason()).startsWith("ConflictException: already exists");
    assertThat(again.lastReplayedAt()).isPresent();
    assertThat(again.item()).isEqualTo(letter.item());
    assertThat(RowCounts.of(t.admin(), "crm")).as("nothing of the item stored").isEqualTo(before);
    assertThat(letters(a).get(letter.id())).isEqualTo(again);

    // The cause fixed: the tenant's own stage renamed.
    t.executeAsAdmin("update crm.sales_stages set name = 'Qualified before' where organization_id = '"
        + a.organization().id() + "' and name = 'Qualified'");
    assertThat(letters(a).replay(letter.id())).as("stored, the letter gone").isEmpty();
    assertThat(stagesNamed(a, "Qualified")).isEqualTo(1);
    assertThatThrownBy(() -> letters(a).get(letter.id())).isInstanceOf(NotFoundException.class);
    assertThat(letters(a).list(10, Optional.empty()).items()).isEmpty();
    assertThatThrownBy(() -> letters(a).replay(letter.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aLetterNoModuleReplaysFailsItsReplayAndStays() {
    ProvisionedOrganization a = t.provision();
    TenantScope webhook = t.crm.tenant(a.organization().id()).asSystem("test-webhook");
    TenantWork.call(webhook, tx -> DeadLetterBox.keep(tx, "test.orphan", "one", item("Orphan"),
        new IllegalStateException("a defect")));
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    assertThat(letter.reason()).isEqualTo("IllegalStateException: a defect");

    DeadLetter again = letters(a).replay(letter.id()).orElseThrow();
    assertThat(again.reason()).isEqualTo("ValidationException: source: no module of this Crm replays dead letters"
        + " of test.orphan");
    assertThat(again.attempts()).isEqualTo(2);
    assertThat(stagesNamed(a, "Orphan")).isZero();
  }

  @Test
  void droppingGivesTheItemUp() {
    ProvisionedOrganization a = t.provision();
    receive(a, "Proposal");
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    letters(a).drop(letter.id());
    assertThatThrownBy(() -> letters(a).get(letter.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> letters(a).drop(letter.id())).isInstanceOf(NotFoundException.class);
    assertThat(stagesNamed(a, "Proposal")).as("the tenant's own stage only").isEqualTo(1);
  }

  @Test
  void agentsSeeNoLettersManagersReadThemAndOnlyAdminsReplayOrDrop() {
    ProvisionedOrganization a = t.provision();
    receive(a, "Won");
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);
    DeadLetters agent = t.crm.tenant(a.organization().id()).as(member(a, Role.AGENT).id()).service(DeadLetters.class);
    DeadLetters manager = t.crm.tenant(a.organization().id()).as(member(a, Role.MANAGER).id())
        .service(DeadLetters.class);

    assertThatThrownBy(() -> agent.list(10, Optional.empty())).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> agent.get(letter.id())).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> agent.replay(letter.id())).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> agent.drop(letter.id())).isInstanceOf(ForbiddenException.class);
    assertThat(manager.list(10, Optional.empty()).items()).containsExactly(letter);
    assertThat(manager.get(letter.id())).isEqualTo(letter);
    assertThatThrownBy(() -> manager.replay(letter.id())).isInstanceOf(ForbiddenException.class);
    assertThatThrownBy(() -> manager.drop(letter.id())).isInstanceOf(ForbiddenException.class);
    assertThat(letters(a).get(letter.id())).as("untouched").isEqualTo(letter);
  }

  @Test
  void anotherTenantsLetterIsNotFoundAndNeverListed() {
    ProvisionedOrganization a = t.provision();
    ProvisionedOrganization b = t.provision();
    receive(a, "Lost");
    DeadLetter letter = letters(a).list(10, Optional.empty()).items().get(0);

    assertThat(letters(b).list(10, Optional.empty()).items()).isEmpty();
    assertThatThrownBy(() -> letters(b).get(letter.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> letters(b).replay(letter.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> letters(b).drop(letter.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> letters(a).get(UUID.randomUUID())).as("as for an id that never was")
        .isInstanceOf(NotFoundException.class);
    assertThat(letters(a).get(letter.id())).as("untouched").isEqualTo(letter);
  }

  @Test
  void listsPageNewestFirstAndRefuseBadLimitsAndCursors() {
    ProvisionedOrganization a = t.provision();
    for (String stage : List.of("Lead", "Qualified", "Negotiation")) {
      receive(a, stage);
    }
    Page<DeadLetter> first = letters(a).list(2, Optional.empty());
    assertThat(first.items()).extracting(DeadLetter::key).containsExactly("stage:Negotiation", "stage:Qualified");
    Page<DeadLetter> second = letters(a).list(2, first.nextCursor());
    assertThat(second.items()).extracting(DeadLetter::key).containsExactly("stage:Lead");
    assertThat(second.nextCursor()).isEmpty();

    for (int limit : new int[] {0, -1, DeadLetters.MAX_PAGE + 1, Integer.MIN_VALUE}) {
      assertThatThrownBy(() -> letters(a).list(limit, Optional.empty())).as("limit %d", limit)
          .isInstanceOf(ValidationException.class).extracting(e -> ((ValidationException) e).field())
          .isEqualTo("limit");
    }
    assertThatThrownBy(() -> letters(a).list(10, Optional.of("' or 1=1 --"))).isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field()).isEqualTo("cursor");
  }

  @Test
  void aSourceOrKeyThatIsNoNameIsRefusedBeforeAnyWrite() {
    ProvisionedOrganization a = t.provision();
    TenantScope webhook = t.crm.tenant(a.organization().id()).asSystem("test-webhook");
    JsonNode item = item("Lead");
    IllegalStateException failure = new IllegalStateException("a defect");
    Map<String, Long> before = RowCounts.of(t.admin(), "crm");
    assertThatThrownBy(() -> TenantWork.call(webhook, tx -> DeadLetterBox.keep(tx, "Whats App", "k", item, failure)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantWork.call(webhook, tx -> DeadLetterBox.keep(tx, "test.letters", " \u0000 ", item,
        failure))).isInstanceOf(IllegalArgumentException.class);
    assertThat(RowCounts.of(t.admin(), "crm")).isEqualTo(before);
  }

  /** A module that replays dead letters of {@code source}. */
  private static CrmModule replaying(String name, String source) {
    return new CrmModule() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<String> dependsOn() {
        return List.of("core");
      }

      @Override
      public void install(ModuleContext context) {
        context.deadLetterSource(source, (tx, item) -> {});
      }
    };
  }

  @Test
  void aSourceHasOneReplayerAndIsNamedLikeOne() {
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).module(new LetterTestModule())
        .module(replaying("copycat", LetterTestModule.SOURCE)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("modules copycat and lettertest both replay dead letters of test.letters");
    assertThatThrownBy(() -> Crm.builder().dataSource(t.runtime()).module(replaying("shouty", "Test Letters")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a dead letter source is");
  }
}
