package io.spidernet.spiderpool.controller.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on the Lease {@code spiderpool-controller-leases} with fabric8's
 * {@link LeaderElector}: the renew deadline is shorter than the lease, so a leader that cannot renew
 * stops leading (and its loops stop writing) before another replica may take the lease. fabric8's
 * elector ends once leadership is lost; this campaigns again (after the retry period), so a replica
 * that lost the lease to an API server outage leads again once it may. The lease is released when
 * this process stops. Callbacks run on the elector's own thread.
 */
public final class Leadership implements AutoCloseable {
  public static final String LEASE = "spiderpool-controller-leases";
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** The {@code SPIDERPOOL_LEADER_*} durations. */
  public record Timing(Duration lease, Duration renewDeadline, Duration retryPeriod) {}

  private final ExecutorService executor;
  private final KubernetesClient client;
  private final Timing timing;
  private volatile CompletableFuture<?> running;
  private volatile boolean closed;
  private volatile boolean leading;
  private final LeaderElectionConfig config;

  private Leadership(KubernetesClient client, String namespace, String identity, Timing timing, Runnable onStart,
      Runnable onStop) {
    this.client = client;
    this.timing = timing;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "spiderpool-leader-election");
      t.setDaemon(true);
      return t;
    });
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> {
      leading = true;
      LOG.info("{} leads ({}/{})", identity, namespace, LEASE);
      onStart.run();
    }, () -> {
      leading = false;
      LOG.info("{} stopped leading", identity);
      onStop.run();
    }, leader -> LOG.info("the leader is {}", leader));
    this.config = new LeaderElectionConfigBuilder().withName(LEASE)
        .withLock(new LeaseLock(namespace, LEASE, identity)).withLeaseDuration(timing.lease())
        .withRenewDeadline(timing.renewDeadline()).withRetryPeriod(timing.retryPeriod())
        .withReleaseOnCancel(true).withLeaderCallbacks(callbacks).build();
    campaign();
  }

  /** Runs the elector; when it ends (leadership lost, or the API server unreachable), runs it again. */
  private void campaign() {
    if (closed) {
      return;
    }
    // fabric8's elector may only be started once: a new one per campaign.
    running = new LeaderElector(client, config, executor).start();
    running.whenComplete((x, e) -> {
      if (!closed) {
        LOG.info("campaigning for {} again in {}", LEASE, timing.retryPeriod());
        CompletableFuture.delayedExecutor(timing.retryPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .execute(this::campaign);
      }
    });
  }

  /** Campaigns for the lease from now on. {@code onStart}/{@code onStop} run when leadership is won or lost. */
  public static Leadership campaign(KubernetesClient client, String namespace, String identity, Timing timing,
      Runnable onStart, Runnable onStop) {
    return new Leadership(client, namespace, identity, timing, onStart, onStop);
  }

  public boolean leading() {
    return leading;
  }

  /** Stops campaigning and releases the lease if held. */
  @Override
  public void close() {
    closed = true;
    running.cancel(true);
    executor.shutdown();
  }
}
