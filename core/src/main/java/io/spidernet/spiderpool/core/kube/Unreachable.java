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
    if (!(e instanceof KubernetesClientException k) || e instanceof Exception || e instanceof Answer) {
      return e;
    }
    if (k.getCode() > 0) {
      return Answer.of(k);
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

  /**
   * The API server's refusal, in words: its status code and message, without fabric8's dump of the
   * request URL and the Status object. Keeps the code, so a 409 still reads as a conflict.
   */
  public static final class Answer extends KubernetesClientException {
    private Answer(String message, int code, io.fabric8.kubernetes.api.model.Status status, Throwable cause) {
      super(message, cause, code, status, null);
    }

    static Answer of(KubernetesClientException k) {
      var status = k.getStatus();
      String reason = status == null || status.getReason() == null || status.getReason().isEmpty() ? ""
          : " " + status.getReason();
      String message = status != null && status.getMessage() != null && !status.getMessage().isEmpty()
          ? status.getMessage() : "no message";
      return new Answer("the Kubernetes API server answered " + k.getCode() + reason + ": " + message, k.getCode(),
          status, k);
    }
  }

  /** The API server was not reached: no HTTP status (code 0). */
  public static final class Exception extends KubernetesClientException {
    Exception(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
