package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.kube.Kube;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about pools, so a platform engineer can see why an IP was released:
 * {@code kubectl get events -n default --field-selector reason=IPReleased}. Events of a cluster-scoped
 * pool live in {@code default}, as the API server does for nodes. Failing to emit is logged, never fatal.
 *
 * <p>Emitting is asynchronous, like client-go's recorder: Events wait in a queue and at most
 * {@link #IN_FLIGHT} are written at once, so explaining 10 000 releases never holds up, nor crowds
 * out, the reads and writes of the releases themselves. Thread-safe.
 */
public final class PoolEvents {
  public static final String NAMESPACE = "default";
  public static final String IP_RELEASED = "IPReleased";
  public static final String IP_RELEASE_WOULD_HAPPEN = "IPReleaseWouldHappen";
  public static final String POOL_NEARLY_EXHAUSTED = "PoolNearlyExhausted";
  /** Events being written at once. */
  static final int IN_FLIGHT = 4;
  private static final Logger LOG = LoggerFactory.getLogger(PoolEvents.class);

  private final Kube kube;
  private final String component;
  private final Deque<Event> queue = new ArrayDeque<>();
  private int writing;

  public PoolEvents(Kube kube, String component) {
    this.kube = kube;
    this.component = component;
  }

  /** Queues an Event of {@code type} (Normal, Warning) on {@code pool}. Any thread. */
  public void emit(SpiderIPPool pool, String type, String reason, String message) {
    String now = Instant.now().toString();
    Event event = new EventBuilder().withNewMetadata().withGenerateName(pool.getMetadata().getName() + ".")
        .withNamespace(NAMESPACE).endMetadata()
        .withNewInvolvedObject().withApiVersion(Constants.API_VERSION).withKind("SpiderIPPool")
        .withName(pool.getMetadata().getName()).withUid(pool.getMetadata().getUid()).endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message).withCount(1).withFirstTimestamp(now).withLastTimestamp(now)
        .withNewSource().withComponent(component).endSource().build();
    synchronized (queue) {
      queue.add(event);
    }
    writeNext();
  }

  /** Events queued and not written yet. */
  public int pending() {
    synchronized (queue) {
      return queue.size() + writing;
    }
  }

  private void writeNext() {
    Event event;
    synchronized (queue) {
      if (writing >= IN_FLIGHT || queue.isEmpty()) {
        return;
      }
      event = queue.poll();
      writing++;
    }
    kube.call(() -> kube.client().v1().events().inNamespace(NAMESPACE).resource(event).create()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("cannot emit {} on SpiderIPPool {}: {}", event.getReason(), event.getInvolvedObject().getName(),
            ar.cause().getMessage());
      }
      synchronized (queue) {
        writing--;
      }
      writeNext();
    });
  }
}
