package io.crmkit.whatsapp.cloudapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.crmkit.core.spi.Json;
import io.crmkit.whatsapp.SendFailure;
import io.crmkit.whatsapp.SendResult;
import java.io.IOException;

/** The Cloud API's answers as {@link SendResult}s, its error codes as {@link SendFailure.Kind}s (see {@link CloudApiGateway}). */
final class CloudApiAnswers {
  private CloudApiAnswers() {}

  /** A Cloud API answer as a result. */
  static SendResult result(int status, String body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body == null || body.isEmpty() ? "{}" : body);
    } catch (IOException e) {
      json = Json.MAPPER.createObjectNode();
    }
    if (status >= 200 && status < 300) {
      JsonNode id = json.path("messages").path(0).path("id");
      if (id.isTextual()) {
        return new SendResult.Accepted(id.asText());
      }
      if (json.path("success").asBoolean(false)) {
        return new SendResult.Accepted("");
      }
      return new SendResult.Failed(new SendFailure(SendFailure.Kind.PROVIDER_ERROR, 0,
          "HTTP " + status + " without a message id"));
    }
    JsonNode error = json.path("error");
    int code = error.path("code").asInt(0);
    String detail = error.path("error_data").path("details").asText("");
    String message = error.path("message").asText("HTTP " + status) + (detail.isEmpty() ? "" : ": " + detail);
    return new SendResult.Failed(new SendFailure(kind(status, code, error.has("code")), code, message));
  }

  private static SendFailure.Kind kind(int status, int code, boolean hasCode) {
    if (hasCode) {
      switch (code) {
        case 130429, 80007, 4:
          return SendFailure.Kind.RATE_LIMITED;
        case 131056:
          return SendFailure.Kind.PAIR_RATE_LIMITED;
        case 131047:
          return SendFailure.Kind.OUTSIDE_CUSTOMER_WINDOW;
        case 131026:
          return SendFailure.Kind.UNDELIVERABLE;
        case 131050:
          return SendFailure.Kind.MARKETING_OPT_OUT;
        case 190, 0, 10:
          return SendFailure.Kind.AUTHENTICATION;
        default:
          if (code >= 200 && code <= 299) {
            return SendFailure.Kind.AUTHENTICATION;
          }
      }
    }
    if (status == 401) {
      return SendFailure.Kind.AUTHENTICATION;
    }
    if (status == 429) {
      return SendFailure.Kind.RATE_LIMITED;
    }
    return status >= 500 ? SendFailure.Kind.PROVIDER_ERROR : SendFailure.Kind.REJECTED;
  }
}
