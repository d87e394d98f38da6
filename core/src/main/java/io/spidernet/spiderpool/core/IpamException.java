package io.spidernet.spiderpool.core;

import io.spidernet.spiderpool.core.kube.Unreachable;

/**
 * Why a request could not be served, for both processes: the message is what the CNI plugin and the
 * user see (in Spiderpool's wording where it has one, "no IPPool available, ...", "all IP addresses
 * used out"), the {@link Reason} is what code decides on: CNI codes, metrics and whether a retry may
 * succeed come from it, never from the message text.
 */
public class IpamException extends RuntimeException {
  /** What went wrong, and whether trying again later may help. */
  public enum Reason {
    /** The request or the configuration it names is malformed ("wrong input ..."). */
    BAD_INPUT(false),
    /** No candidate pool is eligible for the pod (spec 2.3). */
    NO_POOL_AVAILABLE(false),
    /** Every candidate pool is full, disabled or terminating ("all IP addresses used out"). */
    POOL_EXHAUSTED(false),
    /** The pod may not have IPs (dead, wrong incarnation for good, data broken). */
    REFUSED(false),
    /** CHECK found no reservation for the interface. */
    RESERVATION_MISSING(false),
    /** The process is not ready to serve yet (caches not synced). */
    NOT_READY(true),
    /** The API server could not be reached (no HTTP answer). */
    API_UNREACHABLE(true),
    /** The API server answered with an error, or a read object was not there yet. */
    API_ERROR(true),
    /** Optimistic-concurrency retries ran out ("exhaust all retries"). */
    CONFLICT_RETRIES_EXHAUSTED(true),
    /** The request did not finish within its deadline; nothing was kept. */
    DEADLINE(true),
    /** A bug or an unexpected failure. */
    INTERNAL(true);

    private final boolean transientFailure;

    Reason(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    /** Whether retrying later may succeed. */
    public boolean isTransient() {
      return transientFailure;
    }
  }

  private final Reason reason;

  public IpamException(Reason reason, String message) {
    this(reason, message, null);
  }

  public IpamException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Whether retrying later may succeed (API server unreachable, deadline) rather than bad input. */
  public boolean isTransient() {
    return reason.isTransient();
  }

  /**
   * What a user is told of a failure: its message when it is one of ours or the API server's (both
   * name the object and the reason in words); for anything else (a defect: a null pointer, a parse
   * error inside a library) no class names or library text, only that the agent failed and where to
   * look. The caller logs the failure itself.
   */
  public static String messageOf(Throwable e) {
    if (e instanceof IpamException || e instanceof io.fabric8.kubernetes.client.KubernetesClientException) {
      return e.getMessage() == null ? "no reason given" : e.getMessage();
    }
    return "an internal error of spiderpool-agent (" + e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "")
        .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT) + "); its log has the details";
  }

  /** The reason of any failure: an IpamException's own, an unreachable API server, else an API error. */
  public static Reason reasonOf(Throwable e) {
    if (e instanceof IpamException i) {
      return i.reason();
    }
    if (e instanceof Unreachable.Exception) {
      return Reason.API_UNREACHABLE;
    }
    if (e instanceof io.fabric8.kubernetes.client.KubernetesClientException) {
      return Reason.API_ERROR;
    }
    return Reason.INTERNAL;
  }
}
