package io.spidernet.spiderpool.agent.ippool;

import java.util.List;

/** What a batch did for one request. */
public sealed interface PoolOutcome {
  /** The IP the pod holds; {@code fresh} when this batch recorded it. */
  record Allocated(String ip, boolean fresh) implements PoolOutcome {}

  /** The IPs whose records were removed (possibly none). */
  record Released(List<String> ips) implements PoolOutcome {}

  /** No IP could be given; the message names the pool and why ("all IP addresses used out ..."). */
  record Exhausted(String message) implements PoolOutcome {}
}
