package io.spidernet.spiderpool.agent.ipam;

/**
 * A request that cannot be served; the message is what the CNI plugin and the user see, in
 * Spiderpool's wording where it has one ("no IPPool available, ...", "all IP addresses used out").
 */
public class IpamException extends RuntimeException {
  private final boolean transientFailure;

  public IpamException(String message) {
    this(message, false);
  }

  public IpamException(String message, boolean transientFailure) {
    super(message);
    this.transientFailure = transientFailure;
  }

  /** Whether retrying later may succeed (API server unreachable, deadline) rather than bad input. */
  public boolean isTransient() {
    return transientFailure;
  }
}
