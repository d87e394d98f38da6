package io.spidernet.spiderpool.webhook.rules;

import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.codec.ControlledIPPools;
import io.spidernet.spiderpool.api.codec.PoolIPPreAllocation;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.api.v2beta1.SubnetSpec;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.Map;
import java.util.Objects;

/** SpiderSubnet admission (spec 3.2). */
public final class SubnetWebhook implements KindWebhook {
  private static final String OWNER = "Subnet";

  private final WebhookConfig config;
  private final ClusterView view;
  private final ObjectTrees trees;

  public SubnetWebhook(WebhookConfig config, ClusterView view, ObjectTrees trees) {
    this.config = config;
    this.view = view;
    this.trees = trees;
  }

  @Override
  public Kind kind() {
    return Kind.SPIDER_SUBNET;
  }

  @Override
  public Verdict mutate(Review review) {
    SpiderSubnet subnet = Validation.readOrNull(review, trees, SpiderSubnet.class);
    if (subnet == null || subnet.getMetadata() == null || subnet.getMetadata().getDeletionTimestamp() != null || subnet.getSpec() == null) {
      return Verdict.ALLOWED;
    }
    Defaults.addFinalizer(subnet);
    SubnetSpec spec = subnet.getSpec();
    int family = SpecChecks.familyOf(spec.subnet);
    if (spec.ipVersion == null && family != 0) {
      spec.ipVersion = (long) family;
    }
    if (family != 0) {
      Defaults.label(subnet, Constants.LABEL_SUBNET_CIDR, Cidr.parseAny(spec.subnet).label());
    }
    spec.ips = Defaults.merged(spec.ipVersion, spec.ips);
    spec.excludeIPs = Defaults.merged(spec.ipVersion, spec.excludeIPs);
    return Verdict.patched(trees.patch(review.object(), subnet));
  }

  @Override
  public Verdict validate(Review review) {
    return Validation.dispatch(review, trees, SpiderSubnet.class, (r, subnet) -> remember(r, subnet, null, validateCreate(r, subnet)),
        (r, old, subnet) -> remember(r, subnet, old == null ? null : old.getMetadata().getResourceVersion(),
            validateUpdate(r, old, subnet)), this::validateDelete);
  }

  private Verdict validateCreate(Review review, SpiderSubnet subnet) {
    SubnetSpec spec = subnet.getSpec();
    if (spec == null) {
      return refuse(review, FieldError.required("spec", "a SpiderSubnet needs a spec"));
    }
    FieldError version = SpecChecks.ipVersion(spec.ipVersion, config);
    if (version != null) {
      return refuse(review, version);
    }
    int family = spec.ipVersion.intValue();
    FieldError cidrError = SpecChecks.cidr(family, spec.subnet);
    if (cidrError != null) {
      return refuse(review, cidrError);
    }
    Cidr cidr = Cidr.parse(spec.subnet);
    for (SpiderSubnet other : view.subnets()) {
      if (other.getSpec() == null || !Objects.equals(other.getSpec().ipVersion, spec.ipVersion)) {
        continue;
      }
      if (other.getMetadata().getName().equals(review.name())) {
        // A retry of a create this webhook admitted is not a second object; the API server refuses a real duplicate.
        if (view.subnetStored(review.name())) {
          return Verdict.refused(Refusal.alreadyExists(kind(), review.name()));
        }
        continue;
      }
      if (SpecChecks.overlaps(cidr, other.getSpec().subnet)) {
        return refuse(review, FieldError.invalid(SpecChecks.SUBNET, spec.subnet,
            "overlap with SpiderSubnet '" + other.getMetadata().getName() + "' which 'spec.subnet' is " + other.getSpec().subnet));
      }
    }
    FieldError specError = specRules(family, cidr, spec);
    if (specError != null) {
      return refuse(review, specError);
    }
    IPRanges mine = SpecChecks.usable(family, spec.ips, spec.excludeIPs);
    for (SpiderIPPool pool : view.pools()) {
      if (pool.getSpec() == null || pool.getSpec().subnet == null || !Objects.equals(pool.getSpec().ipVersion, spec.ipVersion)) {
        continue;
      }
      boolean same = SpecChecks.sameCidr(cidr, pool.getSpec().subnet);
      if (!same && SpecChecks.overlaps(cidr, pool.getSpec().subnet)) {
        return refuse(review, FieldError.invalid(SpecChecks.SUBNET, spec.subnet, "overlap with SpiderIPPool '"
            + pool.getMetadata().getName() + "' resource 'spec.subnet' " + pool.getSpec().subnet));
      }
      if (same) {
        IPRanges theirs = SpecChecks.usableOrEmpty(pool.getSpec().ipVersion, pool.getSpec().ips, pool.getSpec().excludeIPs);
        if (theirs != null && !mine.containsAll(theirs)) {
          return refuse(review, FieldError.invalid(SpecChecks.IPS, spec.ips == null ? java.util.List.of() : spec.ips,
              "SpiderIPPool '" + pool.getMetadata().getName() + "' owns some IP addresses that SpiderSubnet '"
                  + review.name() + "' can't control: " + theirs.subtract(mine).toStrings()));
        }
      }
    }
    return Verdict.ALLOWED;
  }

  private Verdict validateUpdate(Review review, SpiderSubnet old, SpiderSubnet subnet) {
    if (subnet.getMetadata().getDeletionTimestamp() != null && Defaults.hasFinalizer(subnet)
        && old != null && old.getMetadata().getDeletionTimestamp() != null) {
      return Verdict.refused(Refusal.forbidden(kind(), review.name(), "cannot update a terminaing Subnet"));
    }
    SubnetSpec spec = subnet.getSpec();
    if (spec == null) {
      return refuse(review, FieldError.required("spec", "a SpiderSubnet needs a spec"));
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
    Cidr cidr = SpecChecks.cidrOf(spec.subnet);
    if (cidr == null) {
      return refuse(review, FieldError.invalid(SpecChecks.SUBNET, spec.subnet, "not a CIDR"));
    }
    FieldError specError = specRules(family, cidr, spec);
    if (specError != null) {
      return refuse(review, specError);
    }
    IPRanges mine = SpecChecks.usable(family, spec.ips, spec.excludeIPs);
    for (Map.Entry<String, PoolIPPreAllocation> e : ControlledIPPools.orEmpty(subnet).entrySet()) {
      IPRanges theirs;
      try {
        theirs = IPRanges.parse(family, e.getValue().ips(), "controlledIPPools");
      } catch (IllegalArgumentException bad) {
        continue;
      }
      IPRanges outside = theirs.subtract(mine);
      if (!outside.isEmpty()) {
        return refuse(review, FieldError.forbidden(SpecChecks.IPS, "remove some IP ranges " + outside.toStrings()
            + " that is being used by IPPool " + e.getKey() + ", total IP addresses of a Subnet are jointly determined by"
            + " 'spec.ips' and 'spec.excludeIPs'"));
      }
    }
    return Verdict.ALLOWED;
  }

  private Verdict validateDelete(Review review, SpiderSubnet subnet) {
    if (!config.validateDeletes() || subnet == null) {
      return Verdict.ALLOWED;
    }
    long count = subnet.getStatus() == null || subnet.getStatus().allocatedIPCount == null ? 0
        : subnet.getStatus().allocatedIPCount;
    if (count > 0) {
      return Verdict.refused(Refusal.forbidden(kind(), review.name(), "cannot delete a Subnet with allocated IPs(" + count + ")"));
    }
    return Verdict.ALLOWED;
  }

  private static FieldError specRules(int family, Cidr cidr, SubnetSpec spec) {
    FieldError e = SpecChecks.rangesInside(SpecChecks.IPS, family, cidr, spec.ips, OWNER);
    if (e == null) {
      e = SpecChecks.rangesInside(SpecChecks.EXCLUDE_IPS, family, cidr, spec.excludeIPs, OWNER);
    }
    if (e == null) {
      e = SpecChecks.gateway(family, cidr, spec.gateway, spec.ips, spec.excludeIPs, OWNER);
    }
    if (e == null) {
      e = SpecChecks.routes(family, cidr, spec.routes, OWNER);
    }
    return e;
  }

  /** An admitted object is visible to the next review at once (see {@link ClusterView#admitted}). */
  private Verdict remember(Review review, SpiderSubnet subnet, String baseResourceVersion, Verdict verdict) {
    if (verdict.allowed() && !review.dryRun()) {
      view.admitted(subnet, baseResourceVersion);
    }
    return verdict;
  }

  private Verdict refuse(Review review, FieldError error) {
    return Verdict.refused(Refusal.invalid(kind(), review.name(), error));
  }
}
