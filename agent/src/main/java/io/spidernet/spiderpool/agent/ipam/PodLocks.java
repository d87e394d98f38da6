package io.spidernet.spiderpool.agent.ipam;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the IPAM work of one pod incarnation one request at a time. A retried ADD, a DEL, or the
 * rollback of an ADD that missed its deadline never interleave for the same UID, so a rollback
 * cannot undo what a later request returned. Different pods run in parallel. Thread-safe and
 * lock-free: only the map of queue tails is shared; the caller's work runs on the calling thread
 * (or where the previous request of the key completed), never under a lock.
 */
public final class PodLocks {
  private final ConcurrentHashMap<String, Future<?>> tails = new ConcurrentHashMap<>();

  public <T> Future<T> run(String key, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    Future<T> mine = done.future();
    Future<?> previous = tails.put(key, mine);
    mine.onComplete(ignored -> tails.remove(key, mine));
    Runnable start = () -> {
      Future<T> f;
      try {
        f = work.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(done);
    };
    if (previous == null) {
      start.run();
    } else {
      previous.onComplete(ignored -> start.run());
    }
    return mine;
  }

  /** How many keys have work queued or running. */
  int size() {
    return tails.size();
  }
}
