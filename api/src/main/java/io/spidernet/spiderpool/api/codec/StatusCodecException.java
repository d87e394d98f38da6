package io.spidernet.spiderpool.api.codec;

/** A status field whose JSON cannot be decoded; the message names the object, field and reason. */
public class StatusCodecException extends IllegalArgumentException {
  public StatusCodecException(String message, Throwable cause) {
    super(message, cause);
  }

  public StatusCodecException(String message) {
    super(message);
  }
}
