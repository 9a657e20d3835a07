package io.crmkit.campaigns;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a campaign sends: an approved WhatsApp template with values per recipient, or free-form text,
 * which WhatsApp delivers only to a user who wrote within the last 24 hours (the others are skipped
 * with that reason). Text and values may hold placeholders filled from each recipient's customer:
 * {@code {{full_name}}}, {@code {{first_name}}}, {@code {{last_name}}}, {@code {{company}}},
 * {@code {{position}}}, {@code {{phone}}}, {@code {{email}}} and {@code {{custom.<key>}}}, each with
 * an optional fallback after a bar, {@code {{first_name|Customer}}}. An empty value is never sent: a
 * placeholder without a value or a fallback is refused when the campaign is scheduled or started.
 *
 * <pre>{@code
 * CampaignContent offer = CampaignContent.template("spring_offer", "ar", List.of(
 *     TemplateComponent.body(List.of(TemplateParameter.of("{{first_name|عميلنا}}"), TemplateParameter.of("20%")))));
 * CampaignContent note = CampaignContent.freeForm("Hello {{first_name|there}}, your order is ready.");
 * }</pre>
 */
public sealed interface CampaignContent permits CampaignContent.Template, CampaignContent.FreeForm {

  /** An approved template; see {@link Template}. */
  static Template template(String name, String languageCode, List<TemplateComponent> components) {
    return new Template(name, languageCode, components);
  }

  /** Free-form text; see {@link FreeForm}. */
  static FreeForm freeForm(String text) {
    return new FreeForm(text);
  }

  /**
   * An approved template, the only message WhatsApp delivers outside the 24-hour window.
   *
   * @param name the template's name as approved (lowercase letters, digits and {@code _})
   * @param languageCode its language, {@code ar} or {@code en_US}
   * @param components the parameters of its header, body and buttons; none for a template without
   *     parameters
   */
  record Template(String name, String languageCode, List<TemplateComponent> components) implements CampaignContent {
    /** Creates the content; the components are copied. Checked when the campaign is created. */
    public Template {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(languageCode, "languageCode");
      components = List.copyOf(Objects.requireNonNull(components, "components"));
    }
  }

  /**
   * Free-form text, 1 to 4,096 characters once rendered, sent only to recipients whose 24-hour
   * customer service window is open.
   *
   * @param text the text, with placeholders
   */
  record FreeForm(String text) implements CampaignContent {
    /** Creates the content. Checked when the campaign is created. */
    public FreeForm {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * The parameters of one component of a template.
   *
   * @param type the component: header, body or a button
   * @param buttonIndex a button's position among the template's buttons (0 to 9); empty for others
   * @param buttonSubType a button's kind, {@code url} or {@code quick_reply}; empty for others
   * @param parameters the values, all positional ({@code {{1}}}, {@code {{2}}}, … in order) or all
   *     named ({@code parameter_name})
   */
  record TemplateComponent(ComponentType type, Optional<Integer> buttonIndex, Optional<String> buttonSubType,
      List<TemplateParameter> parameters) {
    /** Creates the component; the parameters are copied. */
    public TemplateComponent {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(buttonIndex, "buttonIndex");
      Objects.requireNonNull(buttonSubType, "buttonSubType");
      parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
    }

    /** The header's parameters. */
    public static TemplateComponent header(List<TemplateParameter> parameters) {
      return new TemplateComponent(ComponentType.HEADER, Optional.empty(), Optional.empty(), parameters);
    }

    /** The body's parameters. */
    public static TemplateComponent body(List<TemplateParameter> parameters) {
      return new TemplateComponent(ComponentType.BODY, Optional.empty(), Optional.empty(), parameters);
    }

    /** A button's parameters: a URL button's suffix, say. */
    public static TemplateComponent button(int index, String subType, List<TemplateParameter> parameters) {
      return new TemplateComponent(ComponentType.BUTTON, Optional.of(index), Optional.of(subType), parameters);
    }
  }

  /** Which part of a template a component fills. */
  enum ComponentType {
    /** The header's text parameter. */
    HEADER,
    /** The body's parameters. */
    BODY,
    /** A button's parameter. */
    BUTTON
  }

  /**
   * One value of a template.
   *
   * @param name the parameter's name for a template with named parameters; empty for positional
   * @param value the value, with placeholders; 1 to 1,024 characters once rendered
   */
  record TemplateParameter(Optional<String> name, String value) {
    /** Creates the parameter. */
    public TemplateParameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    /** A positional parameter. */
    public static TemplateParameter of(String value) {
      return new TemplateParameter(Optional.empty(), value);
    }

    /** A named parameter. */
    public static TemplateParameter named(String name, String value) {
      return new TemplateParameter(Optional.of(name), value);
    }
  }
}
