package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Event tracing (spec 6.1): a pod that is deleted, starts terminating or finishes makes the leader
 * scan again when its grace has run out (deleted: after {@code SPIDERPOOL_GC_ADDITIONAL_GRACE_DELAY};
 * terminating: deletion time + grace + delay; finished: end of its last container + termination
 * grace + delay), so its IPs come back in seconds instead of at the next periodic scan. Scans asked
 * for within a second are one scan (the loop coalesces them), so a burst of deletions costs a few
 * scans. The scan decides, with the same rules and the same re-reads: tracing only says when.
 */
public final class PodTracer implements ResourceEventHandler<Pod> {
  /** Due times closer than this share a scan. */
  static final long BUCKET_MILLIS = 1000;

  private final Vertx vertx;
  private final Runnable scanSoon;
  private final Duration additionalGrace;
  private final BooleanSupplier leading;
  private final TreeSet<Long> due = new TreeSet<>();
  private long timer = -1;

  /** @param scanSoon asks for a scan ({@link GcLoop#scanSoon}) */
  public PodTracer(Vertx vertx, Runnable scanSoon, Duration additionalGrace, BooleanSupplier leading) {
    this.vertx = vertx;
    this.scanSoon = scanSoon;
    this.additionalGrace = additionalGrace;
    this.leading = leading;
  }

  @Override
  public void onAdd(Pod pod) {
    // a new pod holds nothing to release
  }

  @Override
  public void onUpdate(Pod beforePod, Pod newPod) {
    GcPod pod = GcPod.of(newPod);
    GcPod before = GcPod.of(beforePod);
    if (!leading.getAsBoolean() || pod.hostNetwork()) {
      return;
    }
    if (pod.terminating() && (!before.terminating() || !Objects.equals(before.deletionGraceSeconds(), pod.deletionGraceSeconds()))) {
      traceAt(pod.deletionGraceEnd(additionalGrace));
      return;
    }
    String phase = pod.phase();
    if (("Succeeded".equals(phase) || "Failed".equals(phase)) && !phase.equals(before.phase())) {
      Instant finished = pod.finishedAt();
      traceAt((finished == null ? Instant.now() : finished).plusSeconds(pod.terminationGrace()).plus(additionalGrace));
    }
  }

  @Override
  public void onDelete(Pod pod, boolean unknownFinalState) {
    if (leading.getAsBoolean() && !(pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork()))) {
      traceAt(Instant.now().plus(additionalGrace));
    }
  }

  /** Informer thread: books a scan for {@code when} (a bit after, so the grace has surely passed). */
  synchronized void traceAt(Instant when) {
    long bucket = (when.toEpochMilli() / BUCKET_MILLIS + 1) * BUCKET_MILLIS;
    due.add(bucket);
    arm();
  }

  private synchronized void arm() {
    if (timer >= 0 || due.isEmpty()) {
      return;
    }
    long delay = Math.max(1, due.first() - System.currentTimeMillis());
    timer = vertx.setTimer(delay, id -> fire());
  }

  private void fire() {
    boolean scan = false;
    synchronized (this) {
      timer = -1;
      long now = System.currentTimeMillis();
      while (!due.isEmpty() && due.first() <= now) {
        due.pollFirst();
        scan = true;
      }
    }
    if (scan && leading.getAsBoolean()) {
      scanSoon.run();
    }
    arm();
  }
}
