package io.spidernet.spiderpool.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Verdict;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** SpiderSubnet defaults and rules (spec 3.2). */
class SubnetWebhookTest {
  private final InMemoryView view = new InMemoryView();
  private WebhookConfig config = WebhookConfig.defaults();

  private SubnetWebhook webhook() {
    return new SubnetWebhook(config, view, Reviews.TREES);
  }

  private static String subnet(String name, String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderSubnet\nmetadata:\n  name: " + name
        + "\n  resourceVersion: \"7\"\nspec:\n" + spec.indent(2);
  }

  private Verdict create(String name, String spec) {
    return webhook().validate(Reviews.afterMutation(webhook(), Reviews.create(Kind.SPIDER_SUBNET, subnet(name, spec))));
  }

  private void pool(String name, String subnet, String ips) {
    view.pools.put(name, Reviews.read(Reviews.tree("metadata: {name: " + name + "}\nspec: {ipVersion: 4, subnet: " + subnet
        + ", ips: " + ips + "}"), SpiderIPPool.class));
  }

  @Test
  void mutationDefaultsLikeAPool() {
    JsonNode mutated = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_SUBNET, subnet("s", "subnet: 172.22.0.0/16\n"
        + "ips: [172.22.40.2-172.22.40.254, 172.22.40.1]")));
    assertThat(mutated.path("spec").path("ipVersion").asInt()).isEqualTo(4);
    assertThat(mutated.path("metadata").path("labels").path("ipam.spidernet.io/subnet-cidr").asString()).isEqualTo("172-22-0-0-16");
    assertThat(mutated.path("metadata").path("finalizers").toString()).contains("spiderpool.spidernet.io");
    assertThat(mutated.path("spec").path("ips").toString()).isEqualTo("[\"172.22.40.1-172.22.40.254\"]");
  }

  @Test
  void createRules() {
    assertThat(create("doc", "subnet: 172.22.0.0/16\nips: [172.22.40.2-172.22.40.254]\nexcludeIPs: [172.22.40.10-172.22.40.20]\n"
        + "gateway: 172.22.40.1").allowed()).isTrue();
    assertThat(create("same-cidr", "subnet: 172.22.0.0/16\nips: [172.22.50.1]").refusal().message())
        .contains("spec.subnet: Invalid value: \"172.22.0.0/16\": overlap with SpiderSubnet 'doc'");
    assertThat(create("inside", "subnet: 172.22.1.0/24").refusal().message()).contains("overlap with SpiderSubnet 'doc'");
    assertThat(create("bad", "subnet: 172.23.0.1/16").refusal().message()).contains("unformatted subnet 172.23.0.1/16, please "
        + "change it to 172.23.0.0/16");
    assertThat(create("out", "subnet: 172.23.0.0/16\nips: [172.24.0.1]").refusal().message())
        .contains("spec.ips[0]: Invalid value: \"172.24.0.1\": not pertains to the 'spec.subnet' 172.23.0.0/16 of Subnet");
    assertThat(create("gw", "subnet: 172.23.0.0/16\nips: [172.23.0.1-172.23.0.9]\ngateway: 172.23.0.1").refusal().message())
        .contains("conflicts with 'spec.gateway' 172.23.0.1");
    assertThat(create("route", "subnet: 172.23.0.0/16\nroutes: [{dst: 0.0.0.0/0, gw: 172.23.0.1}]").refusal().message())
        .contains("please specify 'spec.gateway'");
  }

  @Test
  void existingPools() {
    pool("wide", "10.30.0.0/16", "[10.30.0.1]");
    assertThat(create("narrow", "subnet: 10.30.1.0/24").refusal().message())
        .contains("overlap with SpiderIPPool 'wide' resource 'spec.subnet' 10.30.0.0/16");
    pool("p", "10.31.0.0/16", "[10.31.0.1-10.31.0.20]");
    assertThat(create("small", "subnet: 10.31.0.0/16\nips: [10.31.0.1-10.31.0.10]").refusal().message())
        .contains("SpiderIPPool 'p' owns some IP addresses that SpiderSubnet 'small' can't control: [10.31.0.11-10.31.0.20]");
    assertThat(create("big", "subnet: 10.31.0.0/16\nips: [10.31.0.1-10.31.0.100]").allowed()).isTrue();
  }

  @Test
  void updatesKeepTheIPsOfControlledPools() {
    String stored = subnet("s", "ipVersion: 4\nsubnet: 10.40.0.0/16\nips: [10.40.0.1-10.40.0.100]") + "status:\n"
        + "  controlledIPPools: '{\"p1\":{\"ips\":[\"10.40.0.50-10.40.0.60\"]}}'\n  allocatedIPCount: 3\n";
    Verdict shrink = webhook().validate(Reviews.update(Kind.SPIDER_SUBNET, stored, stored.replace("10.40.0.1-10.40.0.100",
        "10.40.0.1-10.40.0.55")));
    assertThat(shrink.refusal().message()).contains("spec.ips: Forbidden: remove some IP ranges [10.40.0.56-10.40.0.60] that is "
        + "being used by IPPool p1");
    assertThat(webhook().validate(Reviews.update(Kind.SPIDER_SUBNET, stored, stored.replace("subnet: 10.40.0.0/16",
        "subnet: 10.40.0.0/17"))).refusal().message()).contains("spec.subnet: Forbidden: is not changeable");
    String terminating = stored.replace("  resourceVersion: \"7\"\n", "  resourceVersion: \"7\"\n  deletionTimestamp: "
        + "'2026-01-01T00:00:00Z'\n  finalizers: [spiderpool.spidernet.io]\n");
    assertThat(webhook().validate(Reviews.update(Kind.SPIDER_SUBNET, terminating, terminating)).refusal().message())
        .contains("cannot update a terminaing Subnet");
    config = config.withValidateDeletes(true);
    assertThat(webhook().validate(Reviews.delete(Kind.SPIDER_SUBNET, stored)).refusal().message())
        .contains("cannot delete a Subnet with allocated IPs(3)");
  }

  @Test
  void twoOverlappingSubnetsBackToBack() {
    assertThat(create("a", "subnet: 10.50.0.0/16").allowed()).isTrue();
    assertThat(view.subnets.get("a")).isInstanceOf(SpiderSubnet.class);
    assertThat(create("b", "subnet: 10.50.0.0/16").allowed()).isFalse();
  }
}
