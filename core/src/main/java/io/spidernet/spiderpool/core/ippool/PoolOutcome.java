package io.spidernet.spiderpool.core.ippool;

import io.spidernet.spiderpool.core.IpamException;
import java.util.List;

/** What a batch did for one request. */
public sealed interface PoolOutcome {
  /** The IP the pod holds; {@code fresh} when this batch recorded it. */
  record Allocated(String ip, boolean fresh) implements PoolOutcome {}

  /** The IPs whose records were removed (possibly none). */
  record Released(List<String> ips) implements PoolOutcome {}

  /**
   * No IP could be given; the message names the pool and why ("all IP addresses used out ...").
   * {@code reason} is {@link IpamException.Reason#POOL_EXHAUSTED} for a full, disabled or
   * terminating pool, {@link IpamException.Reason#REFUSED} when an IP to keep cannot be kept.
   */
  record Exhausted(IpamException.Reason reason, String message) implements PoolOutcome {}

  /** A recount was planned (written with the batch when the counts were stale). */
  record Counted() implements PoolOutcome {}
}
