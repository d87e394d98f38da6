package io.spidernet.spiderpool.controller.multus;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinition;
import io.spidernet.spiderpool.api.nad.NetworkAttachmentDefinitionSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderMultusConfig;
import io.spidernet.spiderpool.controller.runtime.Decision;
import io.spidernet.spiderpool.controller.runtime.Events;
import io.spidernet.spiderpool.controller.runtime.Reconciler;
import io.spidernet.spiderpool.core.kube.Kube;
import io.spidernet.spiderpool.core.pod.PodRules;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the NetworkAttachmentDefinition of each SpiderMultusConfig as {@link NadRenderer} renders it
 * (spec 6.6): created in the SMC's namespace and controlled by it (so deleting the SMC deletes it),
 * updated when its annotations, config or owner drift, re-created when deleted. A NAD of that name
 * controlled by anything else is never taken: the SMC gets a Warning Event naming the owner. An SMC
 * that cannot be rendered gets a Warning Event with the reason and is left alone until it changes.
 * Keys are {@code namespace/name} of SMCs.
 */
public final class MultusConfigReconciler implements Reconciler {
  /** How soon a NAD that is being deleted is looked at again. */
  static final Duration TERMINATING_RETRY = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(MultusConfigReconciler.class);

  private final Kube kube;
  private final Function<String, SpiderMultusConfig> smcs;
  private final BiFunction<String, String, NetworkAttachmentDefinition> nads;
  private final Events events;
  /** What was last warned about per SMC (resourceVersion + reason), so one problem is one Event. */
  private final Map<String, String> warned = new ConcurrentHashMap<>();

  /**
   * @param smcs the cached SMC of a {@code namespace/name} key, or null
   * @param nads the cached NAD of a namespace and name, or null
   */
  public MultusConfigReconciler(Kube kube, Function<String, SpiderMultusConfig> smcs,
      BiFunction<String, String, NetworkAttachmentDefinition> nads, Events events) {
    this.kube = kube;
    this.smcs = smcs;
    this.nads = nads;
    this.events = events;
  }

  @Override
  public String name() {
    return "spidermultusconfig";
  }

  /** The SMC keys a NAD event concerns: its controlling SMC, else an SMC of the same name (to adopt it). */
  public static List<String> keysOf(NetworkAttachmentDefinition nad) {
    OwnerReference owner = PodRules.controllerOf(nad);
    String ns = nad.getMetadata().getNamespace();
    List<String> keys = new ArrayList<>();
    if (owner != null && SpiderMultusConfig.class.getSimpleName().equals(owner.getKind())) {
      keys.add(ns + "/" + owner.getName());
    } else if (owner == null) {
      keys.add(ns + "/" + nad.getMetadata().getName());
    }
    return keys;
  }

  @Override
  public Future<Decision> reconcile(String key) {
    SpiderMultusConfig smc = smcs.apply(key);
    if (smc == null) {
      warned.remove(key);
      return Future.succeededFuture(Decision.DONE); // its NAD goes with it (owner reference)
    }
    if (smc.getMetadata().getDeletionTimestamp() != null) {
      return Future.succeededFuture(Decision.DONE);
    }
    NadRenderer.Nad want;
    try {
      want = NadRenderer.render(smc);
    } catch (NadRenderer.Unrenderable e) {
      warnOnce(key, smc, e.getMessage());
      return Future.succeededFuture(Decision.DONE);
    }
    String ns = smc.getMetadata().getNamespace();
    NetworkAttachmentDefinition have = nads.apply(ns, want.name());
    if (have != null && have.getMetadata().getDeletionTimestamp() != null) {
      return Future.succeededFuture(Decision.requeueAfter(TERMINATING_RETRY));
    }
    OwnerReference controller = have == null ? null : PodRules.controllerOf(have);
    if (controller != null && !smc.getMetadata().getUid().equals(controller.getUid())) {
      warnOnce(key, smc, "NetworkAttachmentDefinition " + ns + "/" + want.name() + " is controlled by " + controller.getKind() + " "
          + controller.getName() + "; it is left as it is");
      return Future.succeededFuture(Decision.DONE);
    }
    NetworkAttachmentDefinition desired = desired(smc, want, have);
    if (have != null && same(have, desired)) {
      warned.remove(key);
      return Future.succeededFuture(Decision.DONE);
    }
    return kube.call(() -> {
      var client = kube.client().resources(NetworkAttachmentDefinition.class).inNamespace(ns);
      return have == null ? client.resource(desired).create() : client.resource(desired).update();
    }).map(written -> {
      LOG.info("{} NetworkAttachmentDefinition {}/{} of SpiderMultusConfig {}", have == null ? "created" : "updated", ns,
          want.name(), key);
      warned.remove(key);
      return Decision.DONE;
    });
  }

  /** The NAD to write: {@code have} (its resourceVersion and foreign owners kept) with what the SMC renders. */
  private static NetworkAttachmentDefinition desired(SpiderMultusConfig smc, NadRenderer.Nad want, NetworkAttachmentDefinition have) {
    NetworkAttachmentDefinition nad = new NetworkAttachmentDefinition();
    nad.getMetadata().setNamespace(smc.getMetadata().getNamespace());
    nad.getMetadata().setName(want.name());
    List<OwnerReference> owners = new ArrayList<>();
    if (have != null) {
      nad.getMetadata().setResourceVersion(have.getMetadata().getResourceVersion());
      nad.getMetadata().setLabels(have.getMetadata().getLabels());
      nad.getMetadata().setFinalizers(have.getMetadata().getFinalizers());
      if (have.getMetadata().getOwnerReferences() != null) {
        have.getMetadata().getOwnerReferences().stream().filter(r -> !Boolean.TRUE.equals(r.getController())).forEach(owners::add);
      }
    }
    owners.add(new OwnerReferenceBuilder().withApiVersion(smc.getApiVersion()).withKind(smc.getKind())
        .withName(smc.getMetadata().getName()).withUid(smc.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build());
    nad.getMetadata().setOwnerReferences(owners);
    nad.getMetadata().setAnnotations(new LinkedHashMap<>(want.annotations()));
    nad.setSpec(want.config() == null ? new NetworkAttachmentDefinitionSpec() : new NetworkAttachmentDefinitionSpec(want.config()));
    return nad;
  }

  private static boolean same(NetworkAttachmentDefinition have, NetworkAttachmentDefinition want) {
    Map<String, String> annotations = have.getMetadata().getAnnotations() == null ? Map.of() : have.getMetadata().getAnnotations();
    String config = have.getSpec() == null ? null : have.getSpec().config;
    return annotations.equals(want.getMetadata().getAnnotations()) && Objects.equals(config, want.getSpec().config)
        && Set.copyOf(owners(have)).equals(Set.copyOf(owners(want)));
  }

  private static List<String> owners(NetworkAttachmentDefinition nad) {
    return nad.getMetadata().getOwnerReferences() == null ? List.of() : nad.getMetadata().getOwnerReferences().stream()
        .map(r -> r.getUid() + "/" + r.getController()).toList();
  }

  private void warnOnce(String key, SpiderMultusConfig smc, String message) {
    String what = smc.getMetadata().getResourceVersion() + " " + message;
    if (!what.equals(warned.put(key, what))) {
      LOG.warn("SpiderMultusConfig {}: {}", key, message);
      events.emit(smc, "Warning", Events.NAD_NOT_RENDERED, message);
    }
  }
}
