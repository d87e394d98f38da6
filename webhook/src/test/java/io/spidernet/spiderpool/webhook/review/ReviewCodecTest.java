package io.spidernet.spiderpool.webhook.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** AdmissionReview v1 in and out: what the API server and kubectl read from our answers. */
class ReviewCodecTest {
  private final ReviewCodec codec = new ReviewCodec(new KubernetesSerialization());

  private static byte[] review(String request) {
    return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + request + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRefusalCarriesKindNameAndCausesWithoutRepeatingTheField() throws Exception {
    ReviewCodec.Decoded d = codec.decode(review("{\"uid\":\"u\",\"kind\":{\"group\":\"spiderpool.spidernet.io\","
        + "\"version\":\"v2beta1\",\"kind\":\"SpiderIPPool\"},\"operation\":\"CREATE\",\"name\":\"p\",\"object\":{}}"),
        Kind.SPIDER_IPPOOL);
    assertThat(d.problem()).isNull();
    FieldError error = FieldError.invalid("spec.gateway", "172.110.0.1", "not pertains to the 'spec.subnet' 172.110.1.0/24 of IPPool");
    JsonObject answer = new JsonObject(new String(codec.encode(d.review(), Verdict.refused(Refusal.invalid(Kind.SPIDER_IPPOOL, "p",
        error))), StandardCharsets.UTF_8));
    JsonObject status = answer.getJsonObject("response").getJsonObject("status");
    assertThat(answer.getJsonObject("response").getString("uid")).isEqualTo("u");
    assertThat(status.getInteger("code")).isEqualTo(422);
    assertThat(status.getString("reason")).isEqualTo("Invalid");
    assertThat(status.getString("message")).isEqualTo("SpiderIPPool.spiderpool.spidernet.io \"p\" is invalid: spec.gateway: "
        + "Invalid value: \"172.110.0.1\": not pertains to the 'spec.subnet' 172.110.1.0/24 of IPPool");
    JsonObject cause = status.getJsonObject("details").getJsonArray("causes").getJsonObject(0);
    assertThat(cause.getString("field")).isEqualTo("spec.gateway");
    assertThat(cause.getString("reason")).isEqualTo("FieldValueInvalid");
    assertThat(cause.getString("message")).isEqualTo("Invalid value: \"172.110.0.1\": not pertains to the 'spec.subnet' "
        + "172.110.1.0/24 of IPPool");
  }

  @Test
  void reviewsThatCannotBeAnsweredAndReviewsThatAreRefused() throws Exception {
    assertThatThrownBy(() -> codec.decode("[]".getBytes(StandardCharsets.UTF_8), Kind.SPIDER_IPPOOL))
        .hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> codec.decode(review("{\"uid\":\"\"}"), Kind.SPIDER_IPPOOL)).hasMessageContaining("no request.uid");
    assertThat(codec.decode(review("{\"uid\":\"u\",\"kind\":{\"group\":\"spiderpool.spidernet.io\",\"version\":\"v1\","
        + "\"kind\":\"SpiderIPPool\"},\"operation\":\"CREATE\",\"object\":{}}"), Kind.SPIDER_IPPOOL).problem().message())
        .isEqualTo("this webhook admits SpiderIPPool.spiderpool.spidernet.io v2beta1, not v1");
    assertThat(codec.decode(review("{\"uid\":\"u\",\"kind\":{\"group\":\"spiderpool.spidernet.io\",\"version\":\"v2beta1\","
        + "\"kind\":\"SpiderIPPool\"},\"operation\":\"CREATE\"}"), Kind.SPIDER_IPPOOL).problem().message())
        .isEqualTo("CREATE of SpiderIPPool \"\" carries no object");
    assertThat(codec.decode(review("{\"uid\":\"u\",\"kind\":\"SpiderIPPool\"}"), Kind.SPIDER_IPPOOL).problem().message())
        .startsWith("the AdmissionReview request cannot be read");
  }
}
