package io.spidernet.spiderpool.api.ip;

/** Text that is not a valid address, CIDR or range; the message names the text and the reason. */
public class IPFormatException extends IllegalArgumentException {
  public IPFormatException(String message) {
    super(message);
  }
}
