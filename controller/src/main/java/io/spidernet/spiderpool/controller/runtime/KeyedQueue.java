package io.spidernet.spiderpool.controller.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keys waiting to be reconciled. A key is queued at most once however often it is added; a key
 * being reconciled is never handed out again until it is done (an add meanwhile queues it once
 * more for after); a failed key comes back after an exponential back-off with jitter, capped. Not
 * thread-safe: confined to its loop's context.
 */
final class KeyedQueue {
  static final Duration BASE_DELAY = Duration.ofMillis(200);
  static final Duration MAX_DELAY = Duration.ofSeconds(60);

  private final LinkedHashSet<String> ready = new LinkedHashSet<>();
  private final Set<String> inFlight = new HashSet<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();

  /** Queues {@code key} (once). */
  void add(String key) {
    if (inFlight.contains(key)) {
      dirty.add(key);
    } else {
      ready.add(key);
    }
  }

  /** The next key to reconcile, now in flight; null when none is ready. */
  String next() {
    Iterator<String> it = ready.iterator();
    if (!it.hasNext()) {
      return null;
    }
    String key = it.next();
    it.remove();
    inFlight.add(key);
    return key;
  }

  /**
   * {@code key}'s reconcile ended. Answers the delay after which it must be added again (failed:
   * back-off), or null; a key added while in flight is queued now.
   */
  Duration done(String key, boolean failed) {
    inFlight.remove(key);
    Duration retry = null;
    if (failed) {
      int n = failures.merge(key, 1, Integer::sum);
      long base = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(n - 1, 20));
      retry = Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    } else {
      failures.remove(key);
    }
    if (dirty.remove(key)) {
      ready.add(key);
    }
    return retry;
  }

  /** Keys waiting (not counting those in flight). */
  int depth() {
    return ready.size();
  }

  boolean isInFlight(String key) {
    return inFlight.contains(key);
  }
}
