package io.spidernet.spiderpool.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** SpiderCoordinator defaults and rules (spec 3.4). */
class CoordinatorWebhookTest {
  private final CoordinatorWebhook webhook = new CoordinatorWebhook(Reviews.TREES);

  private static String coordinator(String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderCoordinator\nmetadata: {name: default}\nspec:\n" + spec.indent(2);
  }

  @Test
  void defaultsAndPrefixes() {
    JsonNode m = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_COORDINATOR, coordinator("podCIDRType: auto\n"
        + "hijackCIDR: [10.233.0.0/18, 10.96.0.10, 'fd00::1']\npolicyRoutes: [{dst: 10.8.0.1, gw: 10.6.0.1}]")));
    JsonNode spec = m.path("spec");
    assertThat(spec.path("mode").asString()).isEqualTo("auto");
    assertThat(spec.path("tunePodRoutes").asBoolean()).isTrue();
    assertThat(spec.path("hostRuleTable").asInt()).isEqualTo(500);
    assertThat(spec.path("podRPFilter").asInt()).isZero();
    assertThat(spec.path("txQueueLen").asInt()).isZero();
    assertThat(spec.path("vethLinkAddress").asString()).isEmpty();
    assertThat(spec.path("vethMTU").asInt()).isEqualTo(1500);
    assertThat(spec.path("hijackCIDR").toString()).isEqualTo("[\"10.233.0.0/18\",\"10.96.0.10/32\",\"fd00::1/128\"]");
    assertThat(spec.path("policyRoutes").get(0).path("dst").asString()).isEqualTo("10.8.0.1/32");
    assertThat(m.path("metadata").path("finalizers").toString()).contains("spiderpool.spidernet.io");
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        Arguments.of("podCIDRType: auto", null),
        Arguments.of("mode: auto", "spec.podCIDRType: Required value"),
        Arguments.of("podCIDRType: weave", "spec.podCIDRType: Unsupported value: \"weave\""),
        Arguments.of("podCIDRType: none\nhijackCIDR: [10.0.0.0/33]", "spec.hijackCIDR[0]: Invalid value: \"10.0.0.0/33\""),
        Arguments.of("podCIDRType: none\npolicyRoutes: [{dst: 10.8.0.0/16, gw: 'fd00::1'}]", "dst and gw must be of the same IP family"),
        Arguments.of("podCIDRType: none\npolicyRoutes: [{dst: 10.8.0.0/16, gw: nope}]", "spec.policyRoutes[0].gw: Invalid value: \"nope\""),
        Arguments.of("podCIDRType: none\npodMACPrefix: '0b:1a'", "not a unicast MAC"),
        Arguments.of("podCIDRType: none\npodMACPrefix: 'zz:1a'", "spec.podMACPrefix: Invalid value: \"zz:1a\""),
        Arguments.of("podCIDRType: none\npodMACPrefix: '0a:1b'", null),
        Arguments.of("podCIDRType: none\ntxQueueLen: -1", "spec.txQueueLen: Invalid value: -1"),
        Arguments.of("podCIDRType: none\npodRPFilter: 3", "spec.podRPFilter: Unsupported value: 3"),
        Arguments.of("podCIDRType: none\npodRPFilter: -1", null),
        Arguments.of("podCIDRType: none\nvethLinkAddress: 169.254.100.1", null),
        Arguments.of("podCIDRType: none\nvethLinkAddress: nope", "spec.vethLinkAddress: Invalid value: \"nope\""),
        Arguments.of("podCIDRType: none\nvethMTU: 0", "spec.vethMTU: Invalid value: 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void rule(String spec, String refusal) {
    Verdict v = webhook.validate(Reviews.afterMutation(webhook, Reviews.create(Kind.SPIDER_COORDINATOR, coordinator(spec))));
    if (refusal == null) {
      assertThat(v.allowed()).as(() -> v.refusal().message()).isTrue();
    } else {
      assertThat(v.refusal().message()).contains(refusal);
    }
  }
}
