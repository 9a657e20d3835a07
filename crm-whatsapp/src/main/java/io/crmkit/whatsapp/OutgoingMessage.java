package io.crmkit.whatsapp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to send to one WhatsApp user, identified by phone number in E.164 ({@code +9665…}) or,
 * for a user known only by a username, by the business-scoped user id WhatsApp gave for them
 * ({@code SA.1502576394655843}). WhatsApp recommends the phone whenever it is known.
 *
 * <pre>{@code
 * gateway.send(sender, new OutgoingMessage.Text("+966501234567", "Your order has shipped"));
 * gateway.send(sender, OutgoingMessage.Template.of("+966501234567", "order_update", "ar", List.of("A-1042")));
 * }</pre>
 */
public sealed interface OutgoingMessage permits OutgoingMessage.Text, OutgoingMessage.Template, OutgoingMessage.Media {

  /**
   * The recipient: a phone in E.164 ({@code +966501234567}) or a business-scoped user id
   * ({@code SA.1502576394655843}).
   */
  String to();

  /** True if {@link #to()} is a business-scoped user id rather than a phone. */
  default boolean toIsUserId() {
    return !to().startsWith("+");
  }

  private static String recipient(String to) {
    Objects.requireNonNull(to, "to");
    if (!to.matches("\\+[1-9][0-9]{6,14}") && !to.matches("[A-Z]{2}\\.[A-Za-z0-9.]{1,140}")) {
      throw new IllegalArgumentException("to must be a phone number in E.164 such as +966501234567 or a business-scoped"
          + " user id such as SA.1502576394655843, was " + to);
    }
    return to;
  }

  /**
   * Free-form text; WhatsApp delivers it only within 24 hours of the user's last message.
   *
   * @param to the recipient: a phone in E.164 or a business-scoped user id
   * @param body the text, 1 to 4,096 characters
   */
  record Text(String to, String body) implements OutgoingMessage {
    /** Creates the message. */
    public Text {
      to = recipient(to);
      Objects.requireNonNull(body, "body");
      if (body.isBlank() || body.length() > 4096) {
        throw new IllegalArgumentException("body must be 1 to 4096 characters, not blank");
      }
    }
  }

  /**
   * An approved template, the only kind of message WhatsApp delivers outside the 24-hour window.
   *
   * @param to the recipient: a phone in E.164 or a business-scoped user id
   * @param name the template's name as approved
   * @param languageCode the template's language, e.g. {@code ar} or {@code en_US}
   * @param components the values of its header, body and buttons; none for a template without any
   */
  record Template(String to, String name, String languageCode, List<TemplateComponent> components)
      implements OutgoingMessage {
    /** Creates the message; the components are copied. */
    public Template {
      to = recipient(to);
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(languageCode, "languageCode");
      if (!name.matches("[a-z0-9_]{1,512}")) {
        throw new IllegalArgumentException("name must be a template name (lowercase letters, digits, _), was " + name);
      }
      if (!languageCode.matches("[a-z]{2,3}(_[A-Z]{2})?")) {
        throw new IllegalArgumentException("languageCode must look like ar or en_US, was " + languageCode);
      }
      components = List.copyOf(components);
    }

    /** A template whose body has these positional values ({@code {{1}}}, {@code {{2}}}, …); none for none. */
    public static Template of(String to, String name, String languageCode, List<String> bodyParameters) {
      return new Template(to, name, languageCode, bodyParameters.isEmpty() ? List.of()
          : List.of(TemplateComponent.body(bodyParameters.stream().map(TemplateParameter::positional).toList())));
    }

    /** The body's values in order, or none: what {@link #of} was given. */
    public List<String> bodyParameters() {
      return components.stream().filter(c -> c.type() == TemplateComponent.Type.BODY).findFirst()
          .map(c -> c.parameters().stream().map(TemplateParameter::text).toList()).orElse(List.of());
    }
  }

  /**
   * The values of one component of a template.
   *
   * @param type header, body or button
   * @param index a button's position among the template's buttons (0 to 9); empty for others
   * @param subType a button's kind, {@code url} or {@code quick_reply}; empty for others
   * @param parameters its values, in order
   */
  record TemplateComponent(Type type, Optional<Integer> index, Optional<String> subType,
      List<TemplateParameter> parameters) {
    /** Creates the component; the parameters are copied. */
    public TemplateComponent {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(index, "index");
      Objects.requireNonNull(subType, "subType");
      if ((type == Type.BUTTON) != (index.isPresent() && subType.isPresent())) {
        throw new IllegalArgumentException("a button, and only a button, has an index and a sub type");
      }
      parameters = List.copyOf(parameters);
    }

    /** The header's values. */
    public static TemplateComponent header(List<TemplateParameter> parameters) {
      return new TemplateComponent(Type.HEADER, Optional.empty(), Optional.empty(), parameters);
    }

    /** The body's values. */
    public static TemplateComponent body(List<TemplateParameter> parameters) {
      return new TemplateComponent(Type.BODY, Optional.empty(), Optional.empty(), parameters);
    }

    /** A button's values: a URL button's suffix ({@code url}) or a quick reply's payload ({@code quick_reply}). */
    public static TemplateComponent button(int index, String subType, List<TemplateParameter> parameters) {
      return new TemplateComponent(Type.BUTTON, Optional.of(index), Optional.of(subType), parameters);
    }

    /** Which part of the template. */
    public enum Type {
      /** The header. */
      HEADER,
      /** The body. */
      BODY,
      /** A button. */
      BUTTON
    }
  }

  /**
   * One text value of a template.
   *
   * @param name its name for a template with named parameters ({@code parameter_name}); empty for positional
   * @param text the value, never empty (WhatsApp refuses empty parameters)
   */
  record TemplateParameter(Optional<String> name, String text) {
    /** Creates the value. */
    public TemplateParameter {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(text, "text");
      if (text.isEmpty()) {
        throw new IllegalArgumentException("a template parameter is never empty");
      }
    }

    /** A positional value. */
    public static TemplateParameter positional(String text) {
      return new TemplateParameter(Optional.empty(), text);
    }

    /** A named value. */
    public static TemplateParameter named(String name, String text) {
      return new TemplateParameter(Optional.of(name), text);
    }
  }

  /**
   * An image, video, audio file, document or sticker, by public link or by an id the media
   * endpoint returned for an upload.
   *
   * @param to the recipient: a phone in E.164 or a business-scoped user id
   * @param kind what it is
   * @param source a link ({@code https://…}) or an uploaded media id
   * @param caption a caption (images, videos and documents only)
   * @param filename the file name shown for a document
   */
  record Media(String to, MediaKind kind, MediaSource source, Optional<String> caption, Optional<String> filename)
      implements OutgoingMessage {
    /** Creates the message. */
    public Media {
      to = recipient(to);
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(caption, "caption");
      Objects.requireNonNull(filename, "filename");
      if (caption.isPresent() && !(kind == MediaKind.IMAGE || kind == MediaKind.VIDEO || kind == MediaKind.DOCUMENT)) {
        throw new IllegalArgumentException("a caption goes with an image, video or document, not " + kind);
      }
      if (filename.isPresent() && kind != MediaKind.DOCUMENT) {
        throw new IllegalArgumentException("a filename goes with a document, not " + kind);
      }
    }
  }

  /** What a media message carries. */
  enum MediaKind {
    /** A picture. */
    IMAGE,
    /** A video. */
    VIDEO,
    /** A sound file or voice note. */
    AUDIO,
    /** Any file, shown with its name. */
    DOCUMENT,
    /** A sticker. */
    STICKER
  }

  /**
   * Where the media is: a public HTTPS link WhatsApp fetches, or the id of an upload.
   *
   * @param link the link, if by link
   * @param mediaId the uploaded media's id, if by id
   */
  record MediaSource(Optional<String> link, Optional<String> mediaId) {
    /** Creates the source; exactly one of link and id is given. */
    public MediaSource {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(mediaId, "mediaId");
      if (link.isPresent() == mediaId.isPresent()) {
        throw new IllegalArgumentException("give exactly one of link and mediaId");
      }
      link.ifPresent(l -> {
        if (!l.startsWith("https://")) {
          throw new IllegalArgumentException("link must be an https:// URL, was " + l);
        }
      });
    }

    /** Media WhatsApp fetches from a public HTTPS link. */
    public static MediaSource link(String link) {
      return new MediaSource(Optional.of(link), Optional.empty());
    }

    /** Media uploaded before, by its id. */
    public static MediaSource id(String mediaId) {
      return new MediaSource(Optional.empty(), Optional.of(mediaId));
    }
  }
}
