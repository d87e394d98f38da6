package io.spidernet.spiderpool.controller.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** The GC's pod cache keeps what the rules read, and hands the informer what it needs. */
class ReducedStoreTest {
  private final ReducedStore<Pod, GcPod> store = new ReducedStore<>(GcPod::of, (key, f) -> f.toPod(key),
      (key, f) -> GcPod.skeleton(key, f.uid(), f.resourceVersion()));

  private static Pod web0(String uid, String rv) {
    return new PodBuilder().withNewMetadata().withNamespace("shop").withName("web-0").withUid(uid).withResourceVersion(rv)
        .withDeletionTimestamp("2026-11-30T12:00:00Z").withDeletionGracePeriodSeconds(30L)
        .addNewOwnerReference().withKind("StatefulSet").withName("web").withController(true).endOwnerReference()
        .addToLabels("app", "web").endMetadata()
        .withNewSpec().withNodeName("node-1").withTerminationGracePeriodSeconds(10L).addNewContainer().withName("c")
        .withImage("nginx").endContainer().endSpec()
        .withNewStatus().withPhase("Failed").addNewPodIP("10.6.0.5").addNewContainerStatus().withName("c").withNewState()
        .withNewTerminated().withFinishedAt("2026-11-30T11:59:00Z").endTerminated().endState().endContainerStatus().endStatus()
        .build();
  }

  @Test
  void keepsWhatTheRulesReadUnderTheNamespaceNameKey() {
    store.put("shop/web-0", web0("u1", "7"));
    GcPod facts = store.facts("shop", "web-0");
    assertThat(facts.uid()).isEqualTo("u1");
    assertThat(facts.nodeName()).isEqualTo("node-1");
    assertThat(facts.phase()).isEqualTo("Failed");
    assertThat(facts.hasIPs()).isTrue();
    assertThat(facts.finishedAt()).hasToString("2026-11-30T11:59:00Z");
    assertThat(facts.terminating()).isTrue();
    assertThat(facts.ownerKind()).isEqualTo("StatefulSet");
    assertThat(facts.ownerName()).isEqualTo("web");
    assertThat(facts.terminationGrace()).isEqualTo(10);
    assertThat(store.facts("shop", "web-1")).isNull();
  }

  @Test
  void theFormerPodComesBackForTheInformersNotifications() {
    assertThat(store.put("shop/web-0", web0("u1", "7"))).isNull();
    Pod before = store.put("shop/web-0", web0("u2", "9"));
    // the informer compares resource versions to tell an update from a re-list of the same object
    assertThat(before.getMetadata().getResourceVersion()).isEqualTo("7");
    GcPod former = GcPod.of(before);
    GcPod kept = GcPod.of(web0("u1", "7"));
    assertThat(former).isEqualTo(new GcPod(kept.uid(), kept.resourceVersion(), kept.nodeName(), kept.hostNetwork(), kept.phase(),
        false, kept.deletionTimestamp(), kept.deletionGraceSeconds(), kept.terminationGraceSeconds(), null, kept.ownerKind(),
        kept.ownerName()));
    assertThat(store.remove("shop/web-0").getMetadata().getUid()).isEqualTo("u2");
    assertThat(store.size()).isZero();
  }

  @Test
  void valuesAreIdentitiesForTheInformersRelist() {
    store.put("shop/web-0", web0("u1", "7"));
    Pod only = store.values().findFirst().orElseThrow();
    assertThat(store.getKey(only)).isEqualTo("shop/web-0");
    assertThat(only.getMetadata().getUid()).isEqualTo("u1");
    assertThat(only.getSpec()).isNull();
    assertThat(store.keySet()).containsExactly("shop/web-0");
  }
}
