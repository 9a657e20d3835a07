package io.crmkit.campaigns.internal;

import io.crmkit.campaigns.CampaignContent;
import io.crmkit.campaigns.CampaignContent.ComponentType;
import io.crmkit.campaigns.CampaignContent.TemplateComponent;
import io.crmkit.campaigns.CampaignContent.TemplateParameter;
import io.crmkit.campaigns.CampaignDraft;
import io.crmkit.core.exception.ValidationException;
import io.crmkit.core.spi.Inputs;
import io.crmkit.whatsapp.OutgoingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a campaign's input, checked before any SQL: its name, pauses and content, and every
 * recipient's rendered message (WhatsApp refuses an empty template parameter, one with a line
 * break or a tab or more than four spaces in a row, and a header value over 60 characters).
 */
final class CampaignInputs {
  static final int MAX_TEXT = 4096;
  static final int MAX_VALUE = 1024;
  static final int MAX_HEADER_VALUE = 60;
  static final int MAX_PARAMETERS = 100;
  static final Duration MAX_DELAY = Duration.ofHours(1);
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");
  private static final Pattern PARAMETER_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,99}");
  private static final Pattern SPACES = Pattern.compile(" {5,}");

  private CampaignInputs() {}

  /** The draft as stored, every field checked. */
  static CampaignRows.NewCampaign draft(CampaignDraft draft) {
    String name = Inputs.text("name", draft.name(), 255);
    int min = delay("delayMin", draft.delayMin());
    int max = delay("delayMax", draft.delayMax());
    if (max < min) {
      throw new ValidationException("delayMax", "must not be shorter than delayMin");
    }
    content(draft.content());
    Integer resend = draft.resendUnknownAfter().map(quiet -> {
      if (quiet.compareTo(Duration.ofMinutes(1)) < 0 || quiet.compareTo(Duration.ofDays(1)) > 0) {
        throw new ValidationException("resendUnknownAfter", "must be from 1 minute to 1 day");
      }
      return (int) quiet.toSeconds();
    }).orElse(null);
    return new CampaignRows.NewCampaign(draft.profileId(), name, ContentCodec.text(draft.content()),
        ContentCodec.template(draft.content()), min, max, resend);
  }

  private static int delay(String field, Duration delay) {
    if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
      throw new ValidationException(field, "must be from 0 to 1 hour");
    }
    return (int) delay.toMillis();
  }

  /** Checks the content: the template's shape, or the text, and every placeholder. */
  static void content(CampaignContent content) {
    if (content instanceof CampaignContent.FreeForm free) {
      Inputs.multiline("content.text", free.text(), MAX_TEXT);
      Placeholders.check("content.text", free.text());
      return;
    }
    CampaignContent.Template template = (CampaignContent.Template) content;
    if (!TEMPLATE_NAME.matcher(template.name()).matches()) {
      throw new ValidationException("content.name", "must be a template's name: 1 to 512 lowercase letters, digits"
          + " or _");
    }
    if (!LANGUAGE.matcher(template.languageCode()).matches()) {
      throw new ValidationException("content.languageCode", "must be a template language such as ar or en_US");
    }
    Set<String> seen = new HashSet<>();
    List<TemplateComponent> components = template.components();
    for (int i = 0; i < components.size(); i++) {
      String field = "content.components[" + i + "]";
      TemplateComponent component = components.get(i);
      if (component == null) {
        throw new ValidationException(field, "is required");
      }
      String key = component.type() + component.buttonIndex().map(Object::toString).orElse("");
      if (!seen.add(key)) {
        throw new ValidationException(field, "repeats a component; give each header, body and button once");
      }
      component(field, component);
    }
  }

  private static void component(String field, TemplateComponent component) {
    boolean button = component.type() == ComponentType.BUTTON;
    if (button != component.buttonIndex().isPresent() || button != component.buttonSubType().isPresent()) {
      throw new ValidationException(field, "a button, and only a button, has an index and a sub type");
    }
    if (button && (component.buttonIndex().get() < 0 || component.buttonIndex().get() > 9)) {
      throw new ValidationException(field + ".buttonIndex", "must be from 0 to 9");
    }
    if (button && !List.of("url", "quick_reply").contains(component.buttonSubType().get())) {
      throw new ValidationException(field + ".buttonSubType", "must be url or quick_reply");
    }
    List<TemplateParameter> parameters = component.parameters();
    if (parameters.isEmpty() || parameters.size() > MAX_PARAMETERS) {
      throw new ValidationException(field + ".parameters", "must be 1 to " + MAX_PARAMETERS + " values");
    }
    Set<String> names = new HashSet<>();
    boolean named = parameters.get(0) != null && parameters.get(0).name().isPresent();
    for (int p = 0; p < parameters.size(); p++) {
      String at = field + ".parameters[" + p + "]";
      TemplateParameter parameter = parameters.get(p);
      if (parameter == null) {
        throw new ValidationException(at, "is required");
      }
      if (parameter.name().isPresent() != named) {
        throw new ValidationException(at, "mixes named and positional parameters in one component");
      }
      if (named && (!PARAMETER_NAME.matcher(parameter.name().get()).matches() || !names.add(parameter.name().get()))) {
        throw new ValidationException(at + ".name", "must be a parameter name (lowercase letters, digits, _), once");
      }
      Inputs.text(at + ".value", parameter.value(), MAX_VALUE);
      Placeholders.check(at + ".value", parameter.value());
    }
  }

  /**
   * The message for one recipient, rendered and checked as WhatsApp would check it.
   *
   * @throws ValidationException naming the value and the placeholder that does not render
   */
  static OutgoingMessage render(CampaignContent content, Placeholders.Values values) {
    if (content instanceof CampaignContent.FreeForm free) {
      String text = Placeholders.render("content.text", free.text(), values);
      if (text.isBlank() || text.length() > MAX_TEXT) {
        throw new ValidationException("content.text", "is blank or over " + MAX_TEXT + " characters for recipient "
            + values.recipient());
      }
      return new OutgoingMessage.Text(values.to(), text);
    }
    CampaignContent.Template template = (CampaignContent.Template) content;
    List<OutgoingMessage.TemplateComponent> rendered = new ArrayList<>();
    List<TemplateComponent> components = template.components();
    for (int i = 0; i < components.size(); i++) {
      TemplateComponent component = components.get(i);
      int max = component.type() == ComponentType.HEADER ? MAX_HEADER_VALUE : MAX_VALUE;
      List<OutgoingMessage.TemplateParameter> parameters = new ArrayList<>();
      for (int p = 0; p < component.parameters().size(); p++) {
        String field = "content.components[" + i + "].parameters[" + p + "].value";
        TemplateParameter parameter = component.parameters().get(p);
        String value = Placeholders.render(field, parameter.value(), values);
        if (value.length() > max) {
          throw new ValidationException(field, "is over " + max + " characters for recipient " + values.recipient());
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\t') >= 0
            || SPACES.matcher(value).find()) {
          throw new ValidationException(field, "holds a line break, a tab or more than four spaces in a row for"
              + " recipient " + values.recipient() + ", which WhatsApp refuses");
        }
        parameters.add(new OutgoingMessage.TemplateParameter(parameter.name(), value));
      }
      rendered.add(new OutgoingMessage.TemplateComponent(OutgoingMessage.TemplateComponent.Type.valueOf(
          component.type().name()), component.buttonIndex(), component.buttonSubType(), parameters));
    }
    return new OutgoingMessage.Template(values.to(), template.name(), template.languageCode(), rendered);
  }
}
