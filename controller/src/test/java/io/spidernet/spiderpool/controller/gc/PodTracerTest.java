package io.spidernet.spiderpool.controller.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event tracing: a pod event brings the scan forward to the moment its grace runs out (not before),
 * bursts share scans, and nothing is traced by a replica that does not lead.
 */
class PodTracerTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger scans = new AtomicInteger();
  private final AtomicBoolean leading = new AtomicBoolean(true);

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private PodTracer tracer(Duration additionalGrace) {
    return new PodTracer(vertx, scans::incrementAndGet, additionalGrace, leading::get);
  }

  private static Pod running() {
    return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-0").withUid("u1").withResourceVersion("1")
        .endMetadata().withNewSpec().withTerminationGracePeriodSeconds(30L).endSpec().withNewStatus().withPhase("Running")
        .endStatus().build();
  }

  /** Milliseconds until the first scan, or -1 when none comes within {@code withinMillis}. */
  private long firstScanAfter(long withinMillis) throws InterruptedException {
    long t0 = System.nanoTime();
    while (scans.get() == 0 && System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(withinMillis)) {
      Thread.sleep(20);
    }
    return scans.get() == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  @Test
  void aTerminatingPodIsScannedWhenItsGraceEndsNotBefore() throws Exception {
    Pod terminating = new PodBuilder(running()).editMetadata().withResourceVersion("2")
        .withDeletionTimestamp(Instant.now().minusSeconds(28).toString()).withDeletionGracePeriodSeconds(30L).endMetadata().build();
    tracer(Duration.ZERO).onUpdate(running(), terminating);
    long after = firstScanAfter(6000);
    assertThat(after).as("scanned once the 2 s left of its grace have passed").isBetween(1000L, 4500L);
  }

  @Test
  void aFinishedPodIsScannedAfterItsTerminationGracePlusTheAdditionalDelay() throws Exception {
    Pod finished = new PodBuilder(running()).editMetadata().withResourceVersion("2").endMetadata().editStatus().withPhase("Failed")
        .addNewContainerStatus().withName("c").withNewState().withNewTerminated()
        .withFinishedAt(Instant.now().minusSeconds(30).toString()).endTerminated().endState().endContainerStatus().endStatus().build();
    tracer(Duration.ofSeconds(2)).onUpdate(running(), finished);
    assertThat(firstScanAfter(6000)).as("grace over, 2 s of additional delay left").isBetween(1000L, 4500L);
  }

  @Test
  void aDeletedPodIsScannedAfterTheAdditionalDelay() throws Exception {
    tracer(Duration.ofSeconds(1)).onDelete(running(), false);
    assertThat(firstScanAfter(5000)).isBetween(500L, 3500L);
  }

  @Test
  void aBurstOfDeletionsSharesScans() throws Exception {
    PodTracer tracer = tracer(Duration.ZERO);
    for (int i = 0; i < 200; i++) {
      tracer.onDelete(running(), false);
    }
    assertThat(firstScanAfter(5000)).isNotNegative();
    Thread.sleep(1500);
    assertThat(scans.get()).as("200 deletions in one moment, one or two scans").isBetween(1, 2);
  }

  @Test
  void aReplicaThatDoesNotLeadTracesNothingAndHostNetworkPodsAreIgnored() throws Exception {
    leading.set(false);
    tracer(Duration.ZERO).onDelete(running(), false);
    leading.set(true);
    tracer(Duration.ZERO).onDelete(new PodBuilder(running()).editSpec().withHostNetwork(true).endSpec().build(), false);
    Pod unchanged = new PodBuilder(running()).editMetadata().withResourceVersion("2").endMetadata().build();
    tracer(Duration.ZERO).onUpdate(running(), unchanged);
    assertThat(firstScanAfter(2500)).as("no scan").isEqualTo(-1);
  }
}
