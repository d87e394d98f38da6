package io.spidernet.spiderpool.controller.gc;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.core.kube.Kube;
import io.vertx.core.Future;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about pools, so a platform engineer can see why an IP was released:
 * {@code kubectl get events -n default --field-selector reason=IPReleased}. Events of a cluster-scoped
 * pool live in {@code default}, as the API server does for nodes. Failing to emit is logged, never fatal.
 */
public final class PoolEvents {
  public static final String NAMESPACE = "default";
  public static final String IP_RELEASED = "IPReleased";
  public static final String IP_RELEASE_WOULD_HAPPEN = "IPReleaseWouldHappen";
  public static final String POOL_NEARLY_EXHAUSTED = "PoolNearlyExhausted";
  private static final Logger LOG = LoggerFactory.getLogger(PoolEvents.class);

  private final Kube kube;
  private final String component;

  public PoolEvents(Kube kube, String component) {
    this.kube = kube;
    this.component = component;
  }

  /** Emits an Event of {@code type} (Normal, Warning) on {@code pool}. Any thread. */
  public Future<Void> emit(SpiderIPPool pool, String type, String reason, String message) {
    String now = Instant.now().toString();
    Event event = new EventBuilder().withNewMetadata().withGenerateName(pool.getMetadata().getName() + ".")
        .withNamespace(NAMESPACE).endMetadata()
        .withNewInvolvedObject().withApiVersion(Constants.API_VERSION).withKind("SpiderIPPool")
        .withName(pool.getMetadata().getName()).withUid(pool.getMetadata().getUid()).endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message).withCount(1).withFirstTimestamp(now).withLastTimestamp(now)
        .withNewSource().withComponent(component).endSource().build();
    return kube.call(() -> kube.client().v1().events().inNamespace(NAMESPACE).resource(event).create())
        .<Void>mapEmpty()
        .onFailure(e -> LOG.warn("cannot emit {} on SpiderIPPool {}: {}", reason, pool.getMetadata().getName(), e.getMessage()));
  }
}
