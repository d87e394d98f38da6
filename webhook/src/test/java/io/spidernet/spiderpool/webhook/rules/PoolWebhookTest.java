package io.spidernet.spiderpool.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** SpiderIPPool defaults and rules (spec 3.1), one case per rule, against an in-memory cluster view. */
class PoolWebhookTest {
  private final InMemoryView view = new InMemoryView();
  private WebhookConfig config = WebhookConfig.defaults();

  private PoolWebhook webhook() {
    return new PoolWebhook(config, view, Reviews.TREES);
  }

  private static String pool(String name, String spec) {
    return "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: " + name
        + "\n  resourceVersion: \"10\"\nspec:\n" + spec.indent(2);
  }

  /** Stores a pool as the API server would after our mutation: defaulted, in the informer. */
  private void existing(String name, String spec) {
    JsonNode stored = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool(name, spec)));
    view.pools.put(name, Reviews.read(stored, SpiderIPPool.class));
  }

  private Verdict create(String name, String spec) {
    Review review = Reviews.afterMutation(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool(name, spec)));
    return webhook().validate(review);
  }

  record Case(String rule, String spec, String refusal) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Case> createCases() {
    return Stream.of(
        new Case("seed 000 pool is admitted", "subnet: 10.6.0.0/16\nips: [10.6.168.60-10.6.168.69]\ngateway: 10.6.0.1\n"
            + "nodeName: [controller-node-1]", null),
        new Case("1 ipVersion not one of 4, 6", "ipVersion: 976\nsubnet: 10.6.0.0/16",
            "spec.ipVersion: Unsupported value: 976: supported values: \"4\", \"6\""),
        new Case("1 ipVersion not inferable", "subnet: invalid CIDR",
            "spec.ipVersion: Invalid value: null: is not generated correctly, 'spec.subnet' may be invalid"),
        new Case("2 subnet of the other family", "ipVersion: 6\nsubnet: 10.6.0.0/16",
            "spec.subnet: Invalid value: \"10.6.0.0/16\": not a valid IPv6 CIDR"),
        new Case("2 subnet not canonical", "subnet: 10.6.0.1/16",
            "spec.subnet: Invalid value: \"10.6.0.1/16\": unformatted subnet 10.6.0.1/16, please change it to 10.6.0.0/16"),
        new Case("2 subnet overlaps another pool's", "subnet: 10.6.0.0/24\nips: [10.6.0.10]",
            "spec.subnet: Invalid value: \"10.6.0.0/24\": overlap with IPPool existing which 'spec.subnet' is 10.6.0.0/16"),
        new Case("3 same subnet, disjoint IPs", "subnet: 10.6.0.0/16\nips: [10.6.1.1-10.6.1.9]", null),
        new Case("3 same subnet, overlapping IPs", "subnet: 10.6.0.0/16\nips: [10.6.200.65-10.6.200.80]",
            "spec.ips: Forbidden: overlap with IPPool existing in IP ranges [10.6.200.65-10.6.200.69], total IP addresses"),
        new Case("3 overlap only through excludeIPs is fine", "subnet: 10.6.0.0/16\nips: [10.6.200.65-10.6.200.80]\n"
            + "excludeIPs: [10.6.200.60-10.6.200.69]", null),
        new Case("3 ips entry outside the subnet", "subnet: 10.7.0.0/16\nips: [10.6.0.1]",
            "spec.ips[0]: Invalid value: \"10.6.0.1\": not pertains to the 'spec.subnet' 10.7.0.0/16 of IPPool"),
        new Case("3 ips entry not a range", "subnet: 10.7.0.0/16\nips: [invalid IP range]",
            "spec.ips[0]: Invalid value: \"invalid IP range\": invalid IP range"),
        new Case("3 excludeIPs entry outside the subnet", "subnet: 10.7.0.0/16\nips: [10.7.0.1]\nexcludeIPs: [10.8.0.1]",
            "spec.excludeIPs[0]: Invalid value: \"10.8.0.1\": not pertains to the 'spec.subnet' 10.7.0.0/16 of IPPool"),
        new Case("4 gateway outside the subnet (seed 003, refused by Spiderpool too)",
            "default: true\nips: [\"172.110.1.1-172.110.1.200\"]\nsubnet: 172.110.1.0/24\ngateway: 172.110.0.1",
            "spec.gateway: Invalid value: \"172.110.0.1\": not pertains to the 'spec.subnet' 172.110.1.0/24 of IPPool"),
        new Case("4 gateway inside ips", "subnet: 10.7.0.0/16\nips: [10.7.0.1-10.7.0.9]\ngateway: 10.7.0.1",
            "spec.ips[0]: Invalid value: \"10.7.0.1-10.7.0.9\": conflicts with 'spec.gateway' 10.7.0.1, add the gateway IP"),
        new Case("4 gateway inside ips and excluded", "subnet: 10.7.0.0/16\nips: [10.7.0.1-10.7.0.9]\ngateway: 10.7.0.1\n"
            + "excludeIPs: [10.7.0.1]", null),
        new Case("5 default route as a route", "subnet: 10.7.0.0/16\nroutes: [{dst: 0.0.0.0/0, gw: 10.7.0.1}]",
            "spec.routes[0].dst: Invalid value: \"0.0.0.0/0\": please specify 'spec.gateway' to configure the default route"),
        new Case("5 two routes to one dst", "subnet: 10.7.0.0/16\nroutes: [{dst: 10.9.0.0/16, gw: 10.7.0.1}, "
            + "{dst: 10.9.0.0/16, gw: 10.7.0.2}]", "spec.routes[1].dst: Invalid value: \"10.9.0.0/16\": duplicate route with the same dst"),
        new Case("5 route dst of the other family", "subnet: 10.7.0.0/16\nroutes: [{dst: 'fd00::/64', gw: 10.7.0.1}]",
            "spec.routes[0].dst: Invalid value: \"fd00::/64\": not a valid IPv4 CIDR"),
        new Case("5 route via a gateway outside the subnet", "subnet: 10.7.0.0/16\nroutes: [{dst: 10.9.0.0/16, gw: 10.8.0.1}]",
            "spec.routes[0].gw: Invalid value: \"10.8.0.1\": not pertains to the 'spec.subnet' 10.7.0.0/16 of IPPool"),
        new Case("6 empty podAffinity", "subnet: 10.7.0.0/16\npodAffinity: {}",
            "spec.podAffinity: Invalid value: \"{}\": empty podAffinity is invalid for SpiderIPPool"),
        new Case("6 podAffinity with an invalid label value", "subnet: 10.7.0.0/16\npodAffinity: {matchLabels: {app: 'no spaces'}}",
            "spec.podAffinity.matchLabels: Invalid value: \"no spaces\": a valid label must be"),
        new Case("6 podAffinity with an unknown operator", "subnet: 10.7.0.0/16\npodAffinity: {matchExpressions: "
            + "[{key: app, operator: Near, values: [x]}]}", "spec.podAffinity.matchExpressions[0].operator: Unsupported value: \"Near\""),
        new Case("6 valid podAffinity", "subnet: 10.7.0.0/16\npodAffinity: {matchLabels: {app: web}}", null),
        new Case("IPv6 pool", "subnet: 'fd00:10:6::/120'\nips: ['fd00:10:6::10-fd00:10:6::20']\ngateway: 'fd00:10:6::1'", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createCases")
  void create(Case c) {
    existing("existing", "subnet: 10.6.0.0/16\nips: [10.6.200.60-10.6.200.69]");
    Verdict verdict = create("new-pool", c.spec());
    if (c.refusal() == null) {
      assertThat(verdict.allowed()).as(() -> verdict.refusal().message()).isTrue();
    } else {
      assertThat(verdict.allowed()).isFalse();
      assertThat(verdict.refusal().message()).startsWith("SpiderIPPool.spiderpool.spidernet.io \"new-pool\" is invalid: ")
          .contains(c.refusal());
      assertThat(verdict.refusal().code()).isEqualTo(422);
    }
  }

  @Test
  void mutationInfersTheFamilyLabelsTheCidrAddsTheFinalizerAndMergesRanges() {
    JsonNode mutated = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool("p", "subnet: 172.18.40.0/24\n"
        + "ips: [\"172.18.40.10\", \"172.18.40.1-172.18.40.2\", \"172.18.40.2-172.18.40.3\"]\n"
        + "excludeIPs: [172.18.40.3, 172.18.40.2]")));
    assertThat(mutated.path("spec").path("ipVersion").asInt()).isEqualTo(4);
    assertThat(mutated.path("metadata").path("labels").path("ipam.spidernet.io/ippool-cidr").asString()).isEqualTo("172-18-40-0-24");
    assertThat(mutated.path("metadata").path("finalizers").get(0).asString()).isEqualTo("spiderpool.spidernet.io");
    assertThat(mutated.path("spec").path("ips").toString()).isEqualTo("[\"172.18.40.1-172.18.40.3\",\"172.18.40.10\"]");
    assertThat(mutated.path("spec").path("excludeIPs").toString()).isEqualTo("[\"172.18.40.2-172.18.40.3\"]");
  }

  @Test
  void mutationInfersIPv6() {
    JsonNode mutated = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool("p", "subnet: 'fd00::/120'")));
    assertThat(mutated.path("spec").path("ipVersion").asInt()).isEqualTo(6);
    assertThat(mutated.path("metadata").path("labels").path("ipam.spidernet.io/ippool-cidr").asString()).isEqualTo("fd00---120");
  }

  @Test
  void mutationOnlyTouchesWhatItDefaults() {
    Review review = Reviews.create(Kind.SPIDER_IPPOOL, pool("p", "subnet: 10.6.0.0/16\nips: [10.6.168.60-10.6.168.69]\n"
        + "gateway: 10.6.0.1\nnodeName: [controller-node-1]\ndefault: false\ndisable: false"));
    Verdict verdict = webhook().mutate(review);
    assertThat(verdict.patch()).hasSize(3);
    assertThat(verdict.patch().toString()).contains("/metadata/finalizers", "/spec/ipVersion", "/metadata/labels")
        .doesNotContain("remove");
  }

  @Test
  void aDefaultingProblemLeavesTheObjectToValidation() {
    Review unreadable = Reviews.create(Kind.SPIDER_IPPOOL, pool("p", "subnet: 10.6.0.0/16\nips: 5"));
    assertThat(webhook().mutate(unreadable).allowed()).isTrue();
    assertThat(webhook().mutate(unreadable).patch()).isNull();
    JsonNode mutated = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool("p", "subnet: nonsense")));
    assertThat(mutated.path("spec").has("ipVersion")).isFalse();
  }

  @Test
  void aPoolOfASubnetsCidrIsControlledByItAndInheritsGatewayAndRoutes() {
    SpiderSubnet subnet = Reviews.read(Reviews.tree("metadata: {name: s1, uid: u-1, labels: "
        + "{ipam.spidernet.io/subnet-cidr: 10-7-0-0-16}}\nspec: {ipVersion: 4, subnet: 10.7.0.0/16, ips: [10.7.0.1-10.7.0.100], "
        + "gateway: 10.7.0.254, routes: [{dst: 10.9.0.0/16, gw: 10.7.0.253}]}"), SpiderSubnet.class);
    view.subnets.put("s1", subnet);
    JsonNode mutated = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool("p", "subnet: 10.7.0.0/16\n"
        + "ips: [10.7.0.1-10.7.0.9]")));
    assertThat(mutated.path("metadata").path("ownerReferences").get(0).path("name").asString()).isEqualTo("s1");
    assertThat(mutated.path("metadata").path("ownerReferences").get(0).path("controller").asBoolean()).isTrue();
    assertThat(mutated.path("metadata").path("labels").path("ipam.spidernet.io/owner-spider-subnet").asString()).isEqualTo("s1");
    assertThat(mutated.path("spec").path("gateway").asString()).isEqualTo("10.7.0.254");
    assertThat(mutated.path("spec").path("routes").get(0).path("dst").asString()).isEqualTo("10.9.0.0/16");

    JsonNode keeps = Reviews.mutated(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, pool("q", "subnet: 10.7.0.0/16\nroutes: []")));
    assertThat(keeps.path("spec").path("routes").isEmpty()).as("an explicit empty list is kept").isTrue();

    Verdict outside = create("r", "subnet: 10.7.0.0/16\nips: [10.7.0.90-10.7.0.110]");
    assertThat(outside.refusal().message()).contains("spec.ips: Forbidden: add some IP ranges [10.7.0.101-10.7.0.110] that are "
        + "not contained in controller Subnet s1");
  }

  @Test
  void autoCreatedPoolsKeepTheirOwnPodAffinity() {
    Verdict verdict = create("manual", "subnet: 10.8.0.0/16\npodAffinity: {matchLabels: {ipam.spidernet.io/app-name: web, "
        + "team: a}}");
    assertThat(verdict.allowed()).isTrue();
    String auto = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: auto-1\n  labels: "
        + "{ipam.spidernet.io/owner-application-uid: u1}\nspec: {subnet: 10.9.0.0/16, podAffinity: {matchLabels: "
        + "{ipam.spidernet.io/app-name: web, team: a}}}";
    Verdict refused = webhook().validate(Reviews.afterMutation(webhook(), Reviews.create(Kind.SPIDER_IPPOOL, auto)));
    assertThat(refused.refusal().message()).contains("it's invalid to add additional podAffinity matchLabels for auto-created");
  }

  @Test
  void anAutoCreatedPoolStaysWithinWhatItsSubnetPreAllocated() {
    view.subnets.put("s1", Reviews.read(Reviews.tree("metadata: {name: s1, uid: u-1, labels: "
        + "{ipam.spidernet.io/subnet-cidr: 10-7-0-0-16}}\nspec: {ipVersion: 4, subnet: 10.7.0.0/16, ips: [10.7.0.1-10.7.0.100]}\n"
        + "status: {controlledIPPools: '{\"auto4-web-eth0-abcde\":{\"ips\":[\"10.7.0.1-10.7.0.3\"],"
        + "\"application\":\"apps_v1_Deployment_default_web\"}}'}"), SpiderSubnet.class));
    String auto = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: auto4-web-eth0-abcde\n"
        + "  labels: {ipam.spidernet.io/owner-application-uid: u1}\n  ownerReferences: [{apiVersion: spiderpool.spidernet.io/v2beta1, "
        + "kind: SpiderSubnet, name: s1, uid: u-1, controller: true}]\nspec: {subnet: 10.7.0.0/16, ips: [%s]}";
    Verdict within = webhook().validate(Reviews.afterMutation(webhook(),
        Reviews.create(Kind.SPIDER_IPPOOL, auto.formatted("10.7.0.1-10.7.0.2"))));
    assertThat(within.allowed()).as("a pool shrunk before its entry, or grown after it").isTrue();
    Verdict beyond = webhook().validate(Reviews.afterMutation(webhook(),
        Reviews.create(Kind.SPIDER_IPPOOL, auto.formatted("10.7.0.1-10.7.0.4"))));
    assertThat(beyond.refusal().message()).contains("the IP ranges [10.7.0.4] of auto-created IPPool auto4-web-eth0-abcde are not "
        + "among [10.7.0.1-10.7.0.3] that Subnet s1 pre-allocated for it");
  }

  @Test
  void aDuplicateNameIsAlreadyExists() {
    existing("dup", "subnet: 10.6.0.0/16\nips: [10.6.0.1]");
    Verdict verdict = create("dup", "subnet: 10.6.0.0/16\nips: [10.6.0.2]");
    assertThat(verdict.refusal().code()).isEqualTo(409);
    assertThat(verdict.refusal().message()).isEqualTo("spiderippools.spiderpool.spidernet.io \"dup\" already exists");
  }

  @Test
  void aPoolAdmittedMomentsAgoCountsForTheNextReview() {
    assertThat(create("first", "subnet: 10.20.0.0/16\nips: [10.20.0.1-10.20.0.9]").allowed()).isTrue();
    Verdict second = create("second", "subnet: 10.20.0.0/24\nips: [10.20.0.5]");
    assertThat(second.refusal().message()).contains("overlap with IPPool first");
    Verdict retry = create("first", "subnet: 10.20.0.0/16\nips: [10.20.0.1-10.20.0.9]");
    assertThat(retry.allowed()).as("a retried create is not its own duplicate").isTrue();
  }

  @Test
  void updatesKeepFamilyAndSubnetAndEveryIPInUse() {
    String stored = pool("web", "ipVersion: 4\nsubnet: 10.6.0.0/16\nips: [10.6.168.60-10.6.168.69]") + "status:\n  allocatedIPs: '"
        + "{\"10.6.168.61\":{\"pod\":\"default/web-0\",\"podUid\":\"u0\"}}'\n  allocatedIPCount: 1\n";
    Verdict subnet = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, stored, stored.replace("subnet: 10.6.0.0/16",
        "subnet: 10.6.0.0/24")));
    assertThat(subnet.refusal().message()).contains("spec.subnet: Forbidden: is not changeable");
    Verdict family = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, stored, stored.replace("ipVersion: 4", "ipVersion: 6")));
    assertThat(family.refusal().message()).contains("spec.ipVersion: Forbidden: is not changeable");
    Verdict inUse = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, stored, stored.replace("ips: [10.6.168.60-10.6.168.69]",
        "ips: [10.6.168.62-10.6.168.69]")));
    assertThat(inUse.refusal().message()).contains("spec.ips: Forbidden: remove an IP address 10.6.168.61 that is being used by "
        + "Pod default/web-0");
    Verdict excluded = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, stored, stored.replace("ips: [10.6.168.60-10.6.168.69]",
        "ips: [10.6.168.60-10.6.168.69]\n  excludeIPs: [10.6.168.61]")));
    assertThat(excluded.refusal().message()).contains("remove an IP address 10.6.168.61");
    Verdict grow = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, stored, stored.replace("10.6.168.60-10.6.168.69",
        "10.6.168.60-10.6.168.79")));
    assertThat(grow.allowed()).isTrue();
  }

  @Test
  void aTerminatingPoolOnlyLosesItsFinalizer() {
    String terminating = "apiVersion: spiderpool.spidernet.io/v2beta1\nkind: SpiderIPPool\nmetadata:\n  name: gone\n"
        + "  deletionTimestamp: '2026-01-01T00:00:00Z'\n  finalizers: [spiderpool.spidernet.io]\nspec: {ipVersion: 4, subnet: 10.6.0.0/16}";
    Verdict edit = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, terminating, terminating.replace("10.6.0.0/16}",
        "10.6.0.0/16, disable: true}")));
    assertThat(edit.refusal().code()).isEqualTo(403);
    assertThat(edit.refusal().message()).isEqualTo("spiderippools.spiderpool.spidernet.io \"gone\" is forbidden: cannot update a "
        + "terminating IPPool");
    Verdict release = webhook().validate(Reviews.update(Kind.SPIDER_IPPOOL, terminating,
        terminating.replace("  finalizers: [spiderpool.spidernet.io]\n", "")));
    assertThat(release.allowed()).isTrue();
    assertThat(webhook().mutate(Reviews.update(Kind.SPIDER_IPPOOL, terminating, terminating)).patch()).isNull();
  }

  @Test
  void deletingAPoolWithIPsIsRefusedOnlyWhenConfigured() {
    String stored = pool("web", "ipVersion: 4\nsubnet: 10.6.0.0/16") + "status:\n  allocatedIPCount: 2\n";
    assertThat(webhook().validate(Reviews.delete(Kind.SPIDER_IPPOOL, stored)).allowed()).isTrue();
    config = config.withValidateDeletes(true);
    Verdict verdict = webhook().validate(Reviews.delete(Kind.SPIDER_IPPOOL, stored));
    assertThat(verdict.refusal().message()).isEqualTo("spiderippools.spiderpool.spidernet.io \"web\" is forbidden: cannot delete "
        + "an IPPool with allocated IPs(2)");
    assertThat(webhook().validate(Reviews.delete(Kind.SPIDER_IPPOOL, pool("empty", "subnet: 10.6.0.0/16"))).allowed()).isTrue();
  }

  @Test
  void aDisabledFamilyIsForbidden() {
    config = new WebhookConfig(true, false, true, false, WebhookConfig.PodResourceInject.OFF);
    Verdict verdict = create("v6", "subnet: 'fd00::/120'");
    assertThat(verdict.refusal().message()).contains("spec.ipVersion: Forbidden: IPv6 is disabled");
    assertThat(List.of(verdict.refusal().causes().get(0).field())).containsExactly("spec.ipVersion");
  }
}
