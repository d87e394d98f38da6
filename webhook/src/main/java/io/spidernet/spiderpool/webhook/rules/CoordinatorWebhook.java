package io.spidernet.spiderpool.webhook.rules;

import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IP;
import io.spidernet.spiderpool.api.ip.IPFormatException;
import io.spidernet.spiderpool.api.v2beta1.CoordinatorSpec;
import io.spidernet.spiderpool.api.v2beta1.Route;
import io.spidernet.spiderpool.api.v2beta1.SpiderCoordinator;
import io.spidernet.spiderpool.webhook.review.FieldError;
import io.spidernet.spiderpool.webhook.review.Kind;
import io.spidernet.spiderpool.webhook.review.ObjectTrees;
import io.spidernet.spiderpool.webhook.review.Refusal;
import io.spidernet.spiderpool.webhook.review.Review;
import io.spidernet.spiderpool.webhook.review.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** SpiderCoordinator admission (spec 3.4); its spec rules are shared with SpiderMultusConfig's coordinator. */
public final class CoordinatorWebhook implements KindWebhook {
  static final List<String> POD_CIDR_TYPES = List.of("auto", "cluster", "calico", "cilium", "none");
  private static final Pattern MAC_PREFIX = Pattern.compile("[0-9a-fA-F]{2}:[0-9a-fA-F]{2}");

  private final ObjectTrees trees;

  public CoordinatorWebhook(ObjectTrees trees) {
    this.trees = trees;
  }

  @Override
  public Kind kind() {
    return Kind.SPIDER_COORDINATOR;
  }

  @Override
  public Verdict mutate(Review review) {
    SpiderCoordinator coordinator = Validation.readOrNull(review, trees, SpiderCoordinator.class);
    if (coordinator == null || coordinator.getMetadata() == null) {
      return Verdict.ALLOWED;
    }
    if (coordinator.getSpec() == null) {
      coordinator.setSpec(new CoordinatorSpec());
    }
    CoordinatorSpec spec = coordinator.getSpec();
    spec.mode = spec.mode == null ? "auto" : spec.mode;
    spec.tunePodRoutes = spec.tunePodRoutes == null ? Boolean.TRUE : spec.tunePodRoutes;
    spec.hostRuleTable = spec.hostRuleTable == null ? 500 : spec.hostRuleTable;
    spec.podRPFilter = spec.podRPFilter == null ? 0 : spec.podRPFilter;
    spec.txQueueLen = spec.txQueueLen == null ? 0 : spec.txQueueLen;
    spec.vethLinkAddress = spec.vethLinkAddress == null ? "" : spec.vethLinkAddress;
    spec.vethMTU = spec.vethMTU == null ? 1500 : spec.vethMTU;
    if (coordinator.getMetadata().getDeletionTimestamp() == null) {
      normalizePrefixes(spec);
      Defaults.addFinalizer(coordinator);
    }
    return Verdict.patched(trees.patch(review.object(), coordinator));
  }

  /** Bare IPs in {@code hijackCIDR} and policy route destinations become /32 or /128. */
  static void normalizePrefixes(CoordinatorSpec spec) {
    if (spec.hijackCIDR != null) {
      List<String> out = new ArrayList<>(spec.hijackCIDR.size());
      for (String cidr : spec.hijackCIDR) {
        out.add(withPrefix(cidr));
      }
      spec.hijackCIDR = out;
    }
    if (spec.policyRoutes != null) {
      List<Route> out = new ArrayList<>(spec.policyRoutes.size());
      for (Route r : spec.policyRoutes) {
        out.add(new Route(withPrefix(r.dst), r.gw));
      }
      spec.policyRoutes = out;
    }
  }

  private static String withPrefix(String text) {
    if (text == null || text.contains("/")) {
      return text;
    }
    try {
      IP ip = IP.parse(text);
      return ip + "/" + ip.bits();
    } catch (IPFormatException e) {
      return text;
    }
  }

  @Override
  public Verdict validate(Review review) {
    return Validation.dispatch(review, trees, SpiderCoordinator.class, this::check, (r, old, c) -> check(r, c),
        (r, old) -> Verdict.ALLOWED);
  }

  private Verdict check(Review review, SpiderCoordinator coordinator) {
    CoordinatorSpec spec = coordinator.getSpec() == null ? new CoordinatorSpec() : coordinator.getSpec();
    FieldError error = check("spec", spec, true);
    return error == null ? Verdict.ALLOWED : Verdict.refused(Refusal.invalid(kind(), review.name(), error));
  }

  /**
   * The coordinator spec rules; {@code strict} for the SpiderCoordinator itself (podCIDRType and
   * podRPFilter required), not for a SpiderMultusConfig's coordinator.
   */
  static FieldError check(String path, CoordinatorSpec spec, boolean strict) {
    if (strict && (spec.podCIDRType == null || spec.podCIDRType.isEmpty())) {
      return FieldError.required(path + ".podCIDRType", "podCIDRType must be specified");
    }
    if (spec.podCIDRType != null && !spec.podCIDRType.isEmpty() && !POD_CIDR_TYPES.contains(spec.podCIDRType)) {
      return FieldError.notSupported(path + ".podCIDRType", spec.podCIDRType, POD_CIDR_TYPES);
    }
    for (int i = 0; spec.hijackCIDR != null && i < spec.hijackCIDR.size(); i++) {
      String cidr = spec.hijackCIDR.get(i);
      if (!isIPOrCidr(cidr)) {
        return FieldError.invalid(path + ".hijackCIDR[" + i + "]", cidr, "must be an IP address or a CIDR");
      }
    }
    for (int i = 0; spec.policyRoutes != null && i < spec.policyRoutes.size(); i++) {
      Route r = spec.policyRoutes.get(i);
      String at = path + ".policyRoutes[" + i + "]";
      if (!isIPOrCidr(r.dst)) {
        return FieldError.invalid(at + ".dst", r.dst, "must be an IP address or a CIDR");
      }
      if (r.gw == null || !IP.isValid(r.gw)) {
        return FieldError.invalid(at + ".gw", r.gw, "must be an IP address");
      }
      if (familyOf(r.dst) != IP.parse(r.gw).version()) {
        return FieldError.invalid(at, r.dst + " via " + r.gw, "dst and gw must be of the same IP family");
      }
    }
    if (spec.podMACPrefix != null && !spec.podMACPrefix.isEmpty()) {
      if (!MAC_PREFIX.matcher(spec.podMACPrefix).matches()) {
        return FieldError.invalid(path + ".podMACPrefix", spec.podMACPrefix, "must be two hex bytes, such as 0a:1b");
      }
      if ((Integer.parseInt(spec.podMACPrefix.substring(0, 2), 16) & 1) != 0) {
        return FieldError.invalid(path + ".podMACPrefix", spec.podMACPrefix,
            "not a unicast MAC: the lowest bit of the first byte must be 0");
      }
    }
    if (spec.txQueueLen != null && spec.txQueueLen < 0) {
      return FieldError.invalid(path + ".txQueueLen", spec.txQueueLen, "must not be negative");
    }
    if (strict && spec.podRPFilter == null) {
      return FieldError.required(path + ".podRPFilter", "podRPFilter must be specified");
    }
    if (spec.podRPFilter != null && spec.podRPFilter >= 0 && spec.podRPFilter > 2) {
      return FieldError.notSupported(path + ".podRPFilter", spec.podRPFilter, List.of("0", "1", "2", "a negative number"));
    }
    if (spec.vethLinkAddress != null && !spec.vethLinkAddress.isEmpty() && !IP.isValid(spec.vethLinkAddress)) {
      return FieldError.invalid(path + ".vethLinkAddress", spec.vethLinkAddress, "must be an IP address");
    }
    if (spec.vethMTU != null && spec.vethMTU <= 0) {
      return FieldError.invalid(path + ".vethMTU", spec.vethMTU, "must be greater than 0");
    }
    return null;
  }

  private static boolean isIPOrCidr(String text) {
    return familyOf(text) != 0;
  }

  private static int familyOf(String text) {
    if (text == null) {
      return 0;
    }
    try {
      return text.contains("/") ? Cidr.parseAny(text).version() : IP.parse(text).version();
    } catch (IPFormatException e) {
      return 0;
    }
  }
}
