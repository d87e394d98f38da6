package io.spidernet.spiderpool.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spidernet.spiderpool.agent.kube.AgentCaches;
import io.spidernet.spiderpool.core.IpamException;
import io.spidernet.spiderpool.core.IpamException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CniHandlerTest {
  @Test
  void statusBeforeTheCachesSyncIsPluginNotAvailableNotARetry() throws Exception {
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()).build()) {
      AgentCaches unsynced = AgentCaches.unstarted(client, "node-1");
      CniHandler handler = new CniHandler(null, null, null, unsynced, null, null, "node-1", Duration.ofSeconds(1));
      CniHandler.Outcome outcome = handler.handle(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin"),
          "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"spiderpool\"}}".getBytes(StandardCharsets.UTF_8), "t1")
          .toCompletionStage().toCompletableFuture().get();
      assertThat(outcome.exitCode()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE);
      assertThat(outcome.stdout()).contains("caches are not synced");
    }
  }

  @ParameterizedTest
  @CsvSource({
      "NO_POOL_AVAILABLE, 100", "POOL_EXHAUSTED, 101", "REFUSED, 102", "RESERVATION_MISSING, 103", "BAD_INPUT, 7",
      "API_UNREACHABLE, 11", "API_ERROR, 11", "CONFLICT_RETRIES_EXHAUSTED, 11", "DEADLINE, 11", "INTERNAL, 11",
      "NOT_READY, 11"})
  void theCodeComesFromTheReasonNotTheWording(Reason reason, int code) {
    // The message says "all IP addresses used out" whatever the reason: only the reason counts.
    assertThat(CniHandler.asCniError(new IpamException(reason, "all IP addresses used out, wrong input")).code())
        .isEqualTo(code);
  }
}
