package io.spidernet.spiderpool.agent.server;

import java.util.concurrent.ThreadLocalRandom;

/** Short random IDs that name one socket request in every log line about it. Any thread. */
final class RequestIds {
  private RequestIds() {}

  /** The caller's {@code X-Request-ID} when it sent a usable one, else a new 8-hex-digit ID. */
  static String of(String header) {
    if (header != null && !header.isEmpty() && header.length() <= 64 && header.chars().allMatch(c -> c > 32 && c < 127)) {
      return header;
    }
    return String.format("%08x", ThreadLocalRandom.current().nextInt());
  }
}
