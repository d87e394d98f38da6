package io.spidernet.spiderpool.webhook.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Objects of one kind admitted by this webhook that its informer may not show yet. Merged over the
 * informer's list, an entry wins until the informer holds a version other than the one it
 * replaced (the write landed, or someone else's did), or until it expires (the API server did not
 * store it: another webhook refused it, or etcd failed). Meanwhile a cross-object rule sees the
 * admitted object, so two conflicting objects sent back to back are not both admitted. Any thread.
 */
final class Admitted<T extends HasMetadata> {
  private record Entry<T>(T object, String baseResourceVersion, long expiresAtNanos) {}

  private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final LongSupplier clock;

  Admitted(long ttlNanos, LongSupplier clock) {
    this.ttlNanos = ttlNanos;
    this.clock = clock;
  }

  void put(T object, String baseResourceVersion) {
    entries.put(object.getMetadata().getName(), new Entry<>(object, baseResourceVersion, clock.getAsLong() + ttlNanos));
  }

  /** The informer's objects with admitted ones in place of, or beside, them. */
  List<T> over(Collection<T> informed) {
    if (entries.isEmpty()) {
      return new ArrayList<>(informed);
    }
    long now = clock.getAsLong();
    Map<String, Entry<T>> pending = new HashMap<>(entries);
    List<T> out = new ArrayList<>(informed.size() + pending.size());
    for (T object : informed) {
      String name = object.getMetadata().getName();
      Entry<T> e = pending.remove(name);
      if (e != null && live(e, now) && String.valueOf(e.baseResourceVersion()).equals(object.getMetadata().getResourceVersion())) {
        out.add(e.object());
      } else {
        if (e != null) {
          entries.remove(name, e);
        }
        out.add(object);
      }
    }
    for (Map.Entry<String, Entry<T>> e : pending.entrySet()) {
      if (live(e.getValue(), now) && e.getValue().baseResourceVersion() == null) {
        out.add(e.getValue().object());
      } else {
        entries.remove(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The admitted object of that name over the informer's, or the informer's. */
  T over(String name, T informed) {
    Entry<T> e = entries.get(name);
    if (e == null || !live(e, clock.getAsLong())) {
      return informed;
    }
    String base = e.baseResourceVersion();
    if (informed == null ? base == null : String.valueOf(base).equals(informed.getMetadata().getResourceVersion())) {
      return e.object();
    }
    return informed;
  }

  private static boolean live(Entry<?> e, long now) {
    return now - e.expiresAtNanos() < 0;
  }
}
