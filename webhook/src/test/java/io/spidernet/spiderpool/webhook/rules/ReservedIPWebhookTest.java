package io.spidernet.spiderpool.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Verdict;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** SpiderReservedIP defaults and rules (spec 3.3). */
class ReservedIPWebhookTest {
  private final ReservedIPWebhook webhook = new ReservedIPWebhook(WebhookConfig.defaults(), Reviews.TREES);

  private static String reserved(String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderReservedIP\nmetadata: {name: r}\nspec:\n" + spec.indent(2);
  }

  private Verdict create(String spec) {
    return webhook.validate(Reviews.afterMutation(webhook, Reviews.create(Kind.SPIDER_RESERVED_IP, reserved(spec))));
  }

  @Test
  void familyFromTheFirstEntryAndMergedRanges() {
    JsonNode v4 = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_RESERVED_IP, reserved("ips: [10.6.1.5, 10.6.1.1-10.6.1.4]")));
    assertThat(v4.path("spec").path("ipVersion").asInt()).isEqualTo(4);
    assertThat(v4.path("spec").path("ips").toString()).isEqualTo("[\"10.6.1.1-10.6.1.5\"]");
    JsonNode v6 = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_RESERVED_IP, reserved("ips: ['fd00::1-fd00::9']")));
    assertThat(v6.path("spec").path("ipVersion").asInt()).isEqualTo(6);
    JsonNode empty = Reviews.mutated(webhook, Reviews.create(Kind.SPIDER_RESERVED_IP, reserved("ips: []")));
    assertThat(empty.path("spec").has("ipVersion")).isFalse();
  }

  @Test
  void rules() {
    assertThat(create("ips: [10.6.1.1-10.6.1.9]").allowed()).isTrue();
    assertThat(create("ipVersion: 4\nips: ['fd00::1']").refusal().message())
        .contains("spec.ips[0]: Invalid value: \"fd00::1\": not an IPv4 address or range");
    assertThat(create("ipVersion: 4\nips: [10.6.1.9-10.6.1.1]").refusal().message()).contains("spec.ips[0]: Invalid value: \"10.6.1.9-10.6.1.1\"");
    assertThat(create("ipVersion: 4\nips: [invalid IP range]").refusal().message()).contains("spec.ips[0]");
    assertThat(create("ips: []").refusal().message()).contains("spec.ipVersion: Invalid value: null: is not generated correctly, 'spec.ips' may be invalid");
    assertThat(create("ipVersion: 976\nips: [10.6.1.1]").refusal().message()).contains("spec.ipVersion: Unsupported value: 976");
  }

  @Test
  void updateKeepsTheFamily() {
    String stored = reserved("ipVersion: 4\nips: [10.6.1.1]");
    assertThat(webhook.validate(Reviews.update(Kind.SPIDER_RESERVED_IP, stored, reserved("ipVersion: 6\nips: ['fd00::1']")))
        .refusal().message()).contains("spec.ipVersion: Forbidden: is not changeable");
    assertThat(webhook.validate(Reviews.delete(Kind.SPIDER_RESERVED_IP, stored)).allowed()).isTrue();
  }
}
