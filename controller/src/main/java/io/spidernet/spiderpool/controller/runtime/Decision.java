package io.spidernet.spiderpool.controller.runtime;

import java.time.Duration;

/**
 * What a reconcile of one key decided: done, look again after a while, or failed (retried with
 * back-off).
 *
 * @param requeueAfter null when done
 * @param failure null unless it failed
 */
public record Decision(Duration requeueAfter, Throwable failure) {
  public static final Decision DONE = new Decision(null, null);

  public static Decision requeueAfter(Duration after) {
    return new Decision(after, null);
  }

  public static Decision failed(Throwable failure) {
    return new Decision(null, failure);
  }
}
