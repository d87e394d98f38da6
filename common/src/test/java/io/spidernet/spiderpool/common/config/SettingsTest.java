package io.spidernet.spiderpool.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  static final Setting<String> NODE = Setting.requiredString("SPIDERPOOL_NODE_NAME", "the node this agent serves");
  static final Setting<Integer> HEALTH = Setting.port("SPIDERPOOL_HEALTH_PORT", 5710, "probe port");
  static final Setting<Boolean> METRIC = Setting.bool("SPIDERPOOL_ENABLED_METRIC", false, "serve /metrics");
  static final Setting<Duration> WAIT = Setting.seconds("SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND", 2, "wait");
  static final List<Setting<?>> ALL = List.of(NODE, HEALTH, METRIC, WAIT);

  @Test
  void readsValuesAndDefaults() {
    Settings s = Settings.load(ALL, Map.of("SPIDERPOOL_NODE_NAME", "worker-node-1", "SPIDERPOOL_ENABLED_METRIC", "True"));
    assertThat(s.get(NODE)).isEqualTo("worker-node-1");
    assertThat(s.get(HEALTH)).isEqualTo(5710);
    assertThat(s.get(METRIC)).isTrue();
    assertThat(s.get(WAIT)).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.describe()).contains("SPIDERPOOL_NODE_NAME=worker-node-1", "SPIDERPOOL_HEALTH_PORT=5710");
  }

  @Test
  void reportsEveryProblemAtOnceNamingTheVariable() {
    assertThatThrownBy(() -> Settings.load(ALL, Map.of(
            "SPIDERPOOL_HEALTH_PORT", "70000",
            "SPIDERPOOL_ENABLED_METRIC", "yes",
            "SPIDERPOOL_HEALT_PORT", "5710")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
            "SPIDERPOOL_NODE_NAME is required (the node this agent serves)",
            "SPIDERPOOL_HEALTH_PORT=\"70000\": must be between 0 and 65535",
            "SPIDERPOOL_ENABLED_METRIC=\"yes\": must be true or false",
            "SPIDERPOOL_HEALT_PORT is not a setting of this process (known: [SPIDERPOOL_ENABLED_METRIC, "
                + "SPIDERPOOL_HEALTH_PORT, SPIDERPOOL_NODE_NAME, SPIDERPOOL_WAIT_SUBNET_POOL_TIME_IN_SECOND])"));
  }

  @Test
  void toleratesTheServiceLinksKubernetesInjects() {
    Settings s = Settings.load(ALL, Map.of(
        "SPIDERPOOL_NODE_NAME", "n1",
        "SPIDERPOOL_AGENT_SERVICE_HOST", "10.96.0.20",
        "SPIDERPOOL_AGENT_SERVICE_PORT", "5711",
        "SPIDERPOOL_AGENT_SERVICE_PORT_METRICS", "5711",
        "SPIDERPOOL_CONTROLLER_PORT", "tcp://10.96.0.21:5722",
        "SPIDERPOOL_CONTROLLER_PORT_5722_TCP", "tcp://10.96.0.21:5722",
        "SPIDERPOOL_CONTROLLER_PORT_5722_TCP_PROTO", "tcp",
        "SPIDERPOOL_CONTROLLER_PORT_5722_TCP_ADDR", "10.96.0.21",
        "SPIDERPOOL_CONTROLLER_PORT_5722_TCP_PORT", "5722"));
    assertThat(s.get(NODE)).isEqualTo("n1");
    assertThatThrownBy(() -> Settings.load(ALL, Map.of("SPIDERPOOL_NODE_NAME", "n1", "SPIDERPOOL_METRICS_PORT", "5711")))
        .as("a _PORT name whose value is not a service link is a typo, not a service")
        .hasMessageContaining("SPIDERPOOL_METRICS_PORT is not a setting of this process");
  }

  @Test
  void emptyOptionalValuesMeanTheDefault() {
    Settings s = Settings.load(ALL, Map.of("SPIDERPOOL_NODE_NAME", "n1", "SPIDERPOOL_HEALTH_PORT", ""));
    assertThat(s.get(HEALTH)).isEqualTo(5710);
    assertThatThrownBy(() -> Settings.load(ALL, Map.of("SPIDERPOOL_NODE_NAME", " ")))
        .hasMessageContaining("SPIDERPOOL_NODE_NAME=\" \": must not be empty");
  }
}
