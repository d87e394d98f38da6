package io.spidernet.spiderpool.core.ippool;

import java.util.Set;

/** What one caller asks of a pool in a batch. */
public sealed interface PoolRequest {
  /** Give pod {@code pod} ({@code ns/name}) incarnation {@code uid} an IP, or the one it holds. */
  record Allocate(String pod, String uid) implements PoolRequest {}

  /**
   * Move the record of {@code ip} from a StatefulSet pod's former incarnation to its new one; the
   * record must name the same pod ({@code ns/name}).
   */
  record Rebind(String ip, String pod, String oldUid, String newUid) implements PoolRequest {}

  /** Drop the records of {@code uid}; only those of {@code ips} when not null (another UID's stay). */
  record Release(String uid, Set<String> ips) implements PoolRequest {}

  /** Write {@code allocatedIPCount} and {@code totalIPCount} when they do not match the records and the ranges (controller, spec 6.4). */
  record Recount() implements PoolRequest {}
}
