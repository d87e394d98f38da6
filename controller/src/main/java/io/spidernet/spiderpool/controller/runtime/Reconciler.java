package io.spidernet.spiderpool.controller.runtime;

import io.vertx.core.Future;

/**
 * Brings the object named by a key to the state it should be in. Called on the loop's context, one
 * call per key at a time; may hop to worker threads for API calls and must complete its future.
 */
public interface Reconciler {
  /** Names the reconciler in metrics and logs. */
  String name();

  Future<Decision> reconcile(String key);
}
