package io.spidernet.spiderpool.webhook.rules;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.codec.PoolIPAllocation;
import io.spidernet.spiderpool.api.codec.PoolIPAllocations;
import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.codec.StatusCodecException;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.core.ippool.SubnetAdoption;
import io.spidernet.spiderpool.core.subnet.AutoPools;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/** SpiderIPPool admission (spec 3.1): defaults, then Spiderpool's rules in Spiderpool's order. */
public final class PoolWebhook implements KindWebhook {
  private static final String OWNER = "IPPool";

  private final WebhookConfig config;
  private final ClusterView view;
  private final ObjectTrees trees;

  public PoolWebhook(WebhookConfig config, ClusterView view, ObjectTrees trees) {
    this.config = config;
    this.view = view;
    this.trees = trees;
  }

  @Override
  public Kind kind() {
    return Kind.SPIDER_IPPOOL;
  }

  @Override
  public Verdict mutate(Review review) {
    SpiderIPPool pool = Validation.readOrNull(review, trees, SpiderIPPool.class);
    if (pool == null || pool.getMetadata() == null || pool.getMetadata().getDeletionTimestamp() != null || pool.getSpec() == null) {
      return Verdict.ALLOWED;
    }
    applyDefaults(pool);
    return Verdict.patched(trees.patch(review.object(), pool));
  }

  void applyDefaults(SpiderIPPool pool) {
    Defaults.addFinalizer(pool);
    IPPoolSpec spec = pool.getSpec();
    if (spec.ipVersion == null) {
      int family = SpecChecks.familyOf(spec.subnet);
      if (family == 0) {
        return;
      }
      spec.ipVersion = (long) family;
    }
    if (SpecChecks.familyOf(spec.subnet) != 0) {
      Defaults.label(pool, Constants.LABEL_IPPOOL_CIDR, Cidr.parseAny(spec.subnet).label());
    }
    if (config.enableSpiderSubnet()) {
      adoptBySubnet(pool);
    }
    spec.ips = Defaults.merged(spec.ipVersion, spec.ips);
    spec.excludeIPs = Defaults.merged(spec.ipVersion, spec.excludeIPs);
  }

  /** Step 4: the SpiderSubnet of the same CIDR controls the pool; it inherits gateway and routes. */
  private void adoptBySubnet(SpiderIPPool pool) {
    String label = pool.getMetadata().getLabels() == null ? null
        : pool.getMetadata().getLabels().get(Constants.LABEL_OWNER_SPIDER_SUBNET);
    if (label != null && controller(pool) != null && label.equals(controller(pool).getName())) {
      return;
    }
    if (SpecChecks.familyOf(pool.getSpec().subnet) == 0) {
      return;
    }
    String cidr = Cidr.parseAny(pool.getSpec().subnet).label();
    for (SpiderSubnet subnet : view.subnets()) {
      Map<String, String> labels = subnet.getMetadata().getLabels();
      boolean same = labels != null ? cidr.equals(labels.get(Constants.LABEL_SUBNET_CIDR))
          : subnet.getSpec() != null && SpecChecks.familyOf(subnet.getSpec().subnet) != 0
              && cidr.equals(SpecChecks.cidrOf(subnet.getSpec().subnet).label());
      if (!same || subnet.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      SubnetAdoption.adopt(subnet, pool);
      return;
    }
  }

  @Override
  public Verdict validate(Review review) {
    return Validation.dispatch(review, trees, SpiderIPPool.class, (r, pool) -> remember(r, pool, null, validateCreate(r, pool)),
        (r, old, pool) -> remember(r, pool, old == null ? null : old.getMetadata().getResourceVersion(),
            validateUpdate(r, old, pool)), this::validateDelete);
  }

  private Verdict validateCreate(Review review, SpiderIPPool pool) {
    IPPoolSpec spec = pool.getSpec();
    if (spec == null) {
      return refuse(review, FieldError.required("spec", "a SpiderIPPool needs a spec"));
    }
    FieldError version = SpecChecks.ipVersion(spec.ipVersion, config);
    if (version != null) {
      return refuse(review, version);
    }
    int family = spec.ipVersion.intValue();
    FieldError cidr = SpecChecks.cidr(family, spec.subnet);
    if (cidr != null) {
      return refuse(review, cidr);
    }
    Cidr subnet = Cidr.parse(spec.subnet);
    for (SpiderIPPool other : view.pools()) {
      if (other.getSpec() == null || other.getSpec().subnet == null || !Objects.equals(other.getSpec().ipVersion, spec.ipVersion)) {
        continue;
      }
      if (other.getMetadata().getName().equals(review.name())) {
        // A retry of a create this webhook admitted is not a second object; the API server refuses a real duplicate.
        if (view.poolStored(review.name())) {
          return Verdict.refused(Refusal.alreadyExists(kind(), review.name()));
        }
        continue;
      }
      if (other.getSpec().subnet.equals(spec.subnet)) {
        continue;
      }
      if (SpecChecks.overlaps(subnet, other.getSpec().subnet)) {
        return refuse(review, FieldError.invalid(SpecChecks.SUBNET, spec.subnet,
            "overlap with IPPool " + other.getMetadata().getName() + " which 'spec.subnet' is " + other.getSpec().subnet));
      }
    }
    List<FieldError> errors = new ArrayList<>();
    FieldError specError = specRules(review.name(), family, subnet, spec);
    if (specError != null) {
      errors.add(specError);
    }
    errors.addAll(podAffinity(pool));
    if (!errors.isEmpty()) {
      return Verdict.refused(Refusal.invalid(kind(), review.name(), errors));
    }
    FieldError owned = subnetControl(pool, family);
    return owned == null ? Verdict.ALLOWED : refuse(review, owned);
  }

  private Verdict validateUpdate(Review review, SpiderIPPool old, SpiderIPPool pool) {
    if (pool.getMetadata().getDeletionTimestamp() != null && Defaults.hasFinalizer(pool)) {
      if (old != null && old.getMetadata().getDeletionTimestamp() != null) {
        return Verdict.refused(Refusal.forbidden(kind(), review.name(), "cannot update a terminating IPPool"));
      }
    }
    IPPoolSpec spec = pool.getSpec();
    if (spec == null) {
      return refuse(review, FieldError.required("spec", "a SpiderIPPool needs a spec"));
    }
    FieldError unchanged = old == null || old.getSpec() == null ? null
        : SpecChecks.unchanged(old.getSpec().ipVersion, old.getSpec().subnet, spec.ipVersion, spec.subnet);
    if (unchanged != null) {
      return refuse(review, unchanged);
    }
    FieldError version = SpecChecks.ipVersion(spec.ipVersion, config);
    if (version != null) {
      return refuse(review, version);
    }
    int family = spec.ipVersion.intValue();
    Cidr subnet = SpecChecks.cidrOf(spec.subnet);
    if (subnet == null) {
      return refuse(review, FieldError.invalid(SpecChecks.SUBNET, spec.subnet, "not a CIDR"));
    }
    FieldError specError = specRules(review.name(), family, subnet, spec);
    if (specError != null) {
      return refuse(review, specError);
    }
    List<FieldError> affinity = podAffinity(pool);
    if (!affinity.isEmpty()) {
      return Verdict.refused(Refusal.invalid(kind(), review.name(), affinity));
    }
    FieldError inUse = ipsInUse(pool, family);
    if (inUse != null) {
      return refuse(review, inUse);
    }
    FieldError owned = subnetControl(pool, family);
    return owned == null ? Verdict.ALLOWED : refuse(review, owned);
  }

  private Verdict validateDelete(Review review, SpiderIPPool pool) {
    if (!config.validateDeletes() || pool == null) {
      return Verdict.ALLOWED;
    }
    long count = pool.getStatus() == null || pool.getStatus().allocatedIPCount == null ? 0 : pool.getStatus().allocatedIPCount;
    if (count > 0) {
      return Verdict.refused(Refusal.forbidden(kind(), review.name(), "cannot delete an IPPool with allocated IPs(" + count + ")"));
    }
    return Verdict.ALLOWED;
  }

  /** Steps 3-5: ranges inside the subnet, no overlap with pools of the same CIDR, gateway, routes. */
  private FieldError specRules(String name, int family, Cidr subnet, IPPoolSpec spec) {
    FieldError e = SpecChecks.rangesInside(SpecChecks.IPS, family, subnet, spec.ips, OWNER);
    if (e == null) {
      e = SpecChecks.rangesInside(SpecChecks.EXCLUDE_IPS, family, subnet, spec.excludeIPs, OWNER);
    }
    if (e == null) {
      e = SpecChecks.noOverlapWithin(SpecChecks.IPS, family, spec.ips);
    }
    if (e == null) {
      e = overlapWithPools(name, family, subnet, spec);
    }
    if (e == null) {
      e = SpecChecks.gateway(family, subnet, spec.gateway, spec.ips, spec.excludeIPs, OWNER);
    }
    if (e == null) {
      e = SpecChecks.routes(family, subnet, spec.routes, OWNER);
    }
    return e;
  }

  private FieldError overlapWithPools(String name, int family, Cidr subnet, IPPoolSpec spec) {
    IPRanges mine = SpecChecks.usable(family, spec.ips, spec.excludeIPs);
    if (mine.isEmpty()) {
      return null;
    }
    for (SpiderIPPool other : view.pools()) {
      if (other.getMetadata().getName().equals(name) || other.getSpec() == null || !SpecChecks.sameCidr(subnet, other.getSpec().subnet)) {
        continue;
      }
      IPRanges theirs = SpecChecks.usableOrEmpty((long) family, other.getSpec().ips, other.getSpec().excludeIPs);
      IPRanges overlap = theirs == null ? IPRanges.empty(family) : mine.intersect(theirs);
      if (!overlap.isEmpty()) {
        return FieldError.forbidden(SpecChecks.IPS, "overlap with IPPool " + other.getMetadata().getName() + " in IP ranges "
            + overlap.toStrings() + ", total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'");
      }
    }
    return null;
  }

  /** Step 6: auto-created pools keep their five app-* labels only; others need a valid, non-empty selector. */
  private List<FieldError> podAffinity(SpiderIPPool pool) {
    var affinity = pool.getSpec().podAffinity;
    List<FieldError> errors = new ArrayList<>();
    if (affinity == null) {
      return errors;
    }
    String field = "spec.podAffinity";
    if (AutoPools.isAutoPool(pool)) {
      List<String> allowed = List.of(Constants.APP_API_GROUP, Constants.APP_API_VERSION, Constants.APP_KIND,
          Constants.APP_NAMESPACE, Constants.APP_NAME);
      if (affinity.getMatchLabels() != null && !allowed.containsAll(affinity.getMatchLabels().keySet())) {
        errors.add(FieldError.invalid(field, affinity.getMatchLabels().keySet().stream().sorted().toList(),
            "it's invalid to add additional podAffinity matchLabels for auto-created SpiderIPPool"));
      }
      if (affinity.getMatchExpressions() != null && !affinity.getMatchExpressions().isEmpty()) {
        errors.add(FieldError.invalid(field, affinity.getMatchExpressions().size() + " matchExpressions",
            "it's invalid to add additional podAffinity matchExpressions for auto-created SpiderIPPool"));
      }
      return errors;
    }
    errors.addAll(LabelSelectorChecks.check(field, affinity));
    int size = (affinity.getMatchLabels() == null ? 0 : affinity.getMatchLabels().size())
        + (affinity.getMatchExpressions() == null ? 0 : affinity.getMatchExpressions().size());
    if (size == 0) {
      errors.add(FieldError.invalid(field, "{}", "empty podAffinity is invalid for SpiderIPPool"));
    }
    return errors;
  }

  /** Every recorded IP stays in ips − excludeIPs; the error names the pod holding it. */
  private FieldError ipsInUse(SpiderIPPool pool, int family) {
    if (pool.getStatus() == null || pool.getStatus().allocatedIPs == null) {
      return null;
    }
    SortedMap<String, PoolIPAllocation> records;
    try {
      records = PoolIPAllocations.decode(pool.getMetadata().getName(), pool.getStatus().allocatedIPs);
    } catch (StatusCodecException e) {
      return FieldError.internal(SpecChecks.IPS, e.getMessage());
    }
    IPRanges usable = SpecChecks.usable(family, pool.getSpec().ips, pool.getSpec().excludeIPs);
    for (Map.Entry<String, PoolIPAllocation> r : records.entrySet()) {
      if (!usable.contains(IP.parse(r.getKey()))) {
        return FieldError.forbidden(SpecChecks.IPS, "remove an IP address " + r.getKey() + " that is being used by Pod "
            + r.getValue().pod() + ", total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'");
      }
    }
    return null;
  }

  /** Step 7: a pool controlled by a SpiderSubnet stays inside its IPs (auto-created ones inside their pre-allocation). */
  private FieldError subnetControl(SpiderIPPool pool, int family) {
    OwnerReference owner = controller(pool);
    if (!config.enableSpiderSubnet() || owner == null || !"SpiderSubnet".equals(owner.getKind())) {
      return null;
    }
    IPRanges mine = SpecChecks.usable(family, pool.getSpec().ips, pool.getSpec().excludeIPs);
    if (mine.isEmpty()) {
      return null;
    }
    SpiderSubnet subnet = view.subnet(owner.getName());
    if (subnet == null || subnet.getSpec() == null) {
      return FieldError.internal(SpecChecks.IPS, "the controller Subnet " + owner.getName() + " of IPPool "
          + pool.getMetadata().getName() + " does not exist");
    }
    IPRanges theirs = SpecChecks.usableOrEmpty(subnet.getSpec().ipVersion, subnet.getSpec().ips, subnet.getSpec().excludeIPs);
    if (theirs == null || theirs.version() != family) {
      theirs = IPRanges.empty(family);
    }
    if (AutoPools.isAutoPool(pool)) {
      Map<String, PoolIPPreAllocation> controlled = ControlledIPPools.orEmpty(subnet);
      PoolIPPreAllocation expected = controlled.get(pool.getMetadata().getName());
      IPRanges want = expected == null ? IPRanges.empty(family) : IPRanges.parse(family, expected.ips(), "controlledIPPools");
      // Within, not equal (upstream): a growing pool's entry is written first, a shrinking one's last,
      // so the subnet's entry always covers its pool and no IP is ever in two pools.
      IPRanges beyond = mine.subtract(want);
      if (!beyond.isEmpty()) {
        return FieldError.forbidden(SpecChecks.IPS, "the IP ranges " + beyond.toStrings() + " of auto-created IPPool "
            + pool.getMetadata().getName() + " are not among " + want.toStrings() + " that Subnet " + owner.getName()
            + " pre-allocated for it; auto-created IPPools are changed only by scaling their application");
      }
      return null;
    }
    IPRanges outside = mine.subtract(theirs);
    if (!outside.isEmpty()) {
      return FieldError.forbidden(SpecChecks.IPS, "add some IP ranges " + outside.toStrings()
          + " that are not contained in controller Subnet " + owner.getName()
          + ", total IP addresses of an IPPool are jointly determined by 'spec.ips' and 'spec.excludeIPs'");
    }
    return null;
  }

  private static OwnerReference controller(SpiderIPPool pool) {
    List<OwnerReference> refs = pool.getMetadata().getOwnerReferences();
    return refs == null ? null : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
  }

  /** An admitted object is visible to the next review at once (see {@link ClusterView#admitted}). */
  private Verdict remember(Review review, SpiderIPPool pool, String baseResourceVersion, Verdict verdict) {
    if (verdict.allowed() && !review.dryRun()) {
      view.admitted(pool, baseResourceVersion);
    }
    return verdict;
  }

  private Verdict refuse(Review review, FieldError error) {
    return Verdict.refused(Refusal.invalid(kind(), review.name(), error));
  }
}
