package io.spidernet.spiderpool.agent.ipam;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs the IPAM work of one pod incarnation one request at a time. A retried ADD, a DEL, or the
 * rollback of an ADD that missed its deadline never interleave for the same UID, so a rollback
 * cannot undo what a later request returned. Different pods run in parallel. Thread-safe.
 */
public final class PodLocks {
  private final Map<String, Future<?>> tails = new HashMap<>();

  public synchronized <T> Future<T> run(String key, Supplier<Future<T>> work) {
    Future<?> previous = tails.get(key);
    Promise<T> done = Promise.promise();
    Future<T> mine = done.future();
    tails.put(key, mine);
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
    mine.onComplete(ignored -> {
      synchronized (this) {
        if (tails.get(key) == mine) {
          tails.remove(key);
        }
      }
    });
    return mine;
  }
}
