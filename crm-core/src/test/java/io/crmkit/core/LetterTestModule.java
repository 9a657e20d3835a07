package io.crmkit.core;

import io.crmkit.core.spi.CrmModule;
import io.crmkit.core.spi.ModuleContext;
import java.util.List;

/**
 * A module that receives items from outside as a webhook would and replays its dead letters of
 * source {@code test.letters}: an item {@code {"stage": name}} becomes a sales stage of that name,
 * which fails honestly (a unique violation) while the tenant has a stage of the name already.
 */
public final class LetterTestModule implements CrmModule {
  static final String SOURCE = "test.letters";

  @Override
  public String name() {
    return "lettertest";
  }

  @Override
  public List<String> dependsOn() {
    return List.of("core");
  }

  @Override
  public List<Class<?>> mappers() {
    return List.of(LetterTestMapper.class);
  }

  @Override
  public void install(ModuleContext context) {
    context.deadLetterSource(SOURCE, (tx, item) ->
        tx.mapper(LetterTestMapper.class).insertStage(tx.organizationId(), item.path("stage").asText()));
  }
}
