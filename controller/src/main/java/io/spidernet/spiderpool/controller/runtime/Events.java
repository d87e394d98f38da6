package io.spidernet.spiderpool.controller.runtime;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.spidernet.spiderpool.core.kube.Kube;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about our objects, so a platform engineer can see why something happened:
 * {@code kubectl get events -n default --field-selector reason=IPReleased}. Events of a cluster-scoped
 * object (a pool) live in {@code default}, as the API server does for nodes; those of a namespaced
 * one in its namespace. Failing to emit is logged, never fatal.
 *
 * <p>Emitting is asynchronous, like client-go's recorder: Events wait in a queue and at most
 * {@link #IN_FLIGHT} are written at once, so explaining 10 000 releases never holds up, nor crowds
 * out, the reads and writes of the releases themselves. Thread-safe.
 */
public final class Events {
  /** Where Events of cluster-scoped objects go. */
  public static final String NAMESPACE = "default";
  public static final String IP_RELEASED = "IPReleased";
  public static final String IP_RELEASE_WOULD_HAPPEN = "IPReleaseWouldHappen";
  public static final String POOL_NEARLY_EXHAUSTED = "PoolNearlyExhausted";
  public static final String NAD_NOT_RENDERED = "NetworkAttachmentDefinitionNotRendered";
  /** Events being written at once. */
  static final int IN_FLIGHT = 4;
  /**
   * Events waiting at most: beyond, new ones are dropped with a log line (as client-go's recorder
   * drops), so an API server that accepts no Event cannot make the queue grow without end.
   */
  static final int MAX_QUEUED = 20_000;
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);

  private final Kube kube;
  private final String component;
  private final Deque<Event> queue = new ArrayDeque<>();
  private int writing;

  public Events(Kube kube, String component) {
    this.kube = kube;
    this.component = component;
  }

  /** Queues an Event of {@code type} (Normal, Warning) on {@code object}. Any thread. */
  public void emit(HasMetadata object, String type, String reason, String message) {
    String now = Instant.now().toString();
    String namespace = object.getMetadata().getNamespace() == null ? NAMESPACE : object.getMetadata().getNamespace();
    Event event = new EventBuilder().withNewMetadata().withGenerateName(object.getMetadata().getName() + ".")
        .withNamespace(namespace).endMetadata()
        .withNewInvolvedObject().withApiVersion(object.getApiVersion()).withKind(object.getKind())
        .withNamespace(object.getMetadata().getNamespace())
        .withName(object.getMetadata().getName()).withUid(object.getMetadata().getUid()).endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message).withCount(1).withFirstTimestamp(now).withLastTimestamp(now)
        .withNewSource().withComponent(component).endSource().build();
    synchronized (queue) {
      if (queue.size() >= MAX_QUEUED) {
        LOG.warn("Event {} on {} {} dropped: {} Events are waiting to be written ({})", reason, object.getKind(),
            object.getMetadata().getName(), queue.size(), message);
        return;
      }
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
    kube.call(() -> kube.client().v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create())
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("cannot emit {} on {} {}: {}", event.getReason(), event.getInvolvedObject().getKind(),
                event.getInvolvedObject().getName(), ar.cause().getMessage());
          }
          synchronized (queue) {
            writing--;
          }
          writeNext();
        });
  }
}
