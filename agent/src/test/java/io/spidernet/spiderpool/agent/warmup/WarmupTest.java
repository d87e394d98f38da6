package io.spidernet.spiderpool.agent.warmup;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class WarmupTest {
  @Test
  void theSyntheticWorkloadRunsThroughEveryHotPath() {
    // Fails if a hot path the warm-up drives (codec, snapshot, plan, selection) rejects its data.
    assertThatCode(() -> Warmup.run(new KubernetesSerialization(), 300)).doesNotThrowAnyException();
  }
}
