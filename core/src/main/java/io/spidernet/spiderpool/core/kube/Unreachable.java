package io.spidernet.spiderpool.core.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure to reach the API server (refused, reset, timed out: no HTTP status) from an
 * answer of the API server, and words the first so that a user sees which server and why; fabric8
 * only says that the operation failed.
 */
public final class Unreachable {
  private Unreachable() {}

  /** {@code e} itself, or, when the API server at {@code server} was not reached, an exception saying so. */
  public static Throwable explain(Throwable e, String server) {
    if (!(e instanceof KubernetesClientException k) || k.getCode() > 0) {
      return e;
    }
    Throwable root = e;
    boolean io = false;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      io |= root instanceof IOException || root instanceof TimeoutException;
    }
    if (!io) {
      return e;
    }
    String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new Exception("Kubernetes API server " + server + " unreachable (" + why + "): "
        + k.getMessage().replaceAll("\\s+", " ").strip(), e);
  }

  /** The API server at {@code server} gave no answer within {@code deadline}. */
  static Exception noAnswer(String server, java.time.Duration deadline) {
    return new Exception("Kubernetes API server " + server + " unreachable (no answer within " + deadline.toSeconds()
        + " s)", null);
  }

  /** The API server was not reached: no HTTP status (code 0). */
  public static final class Exception extends KubernetesClientException {
    Exception(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
