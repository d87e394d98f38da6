package io.spidernet.spiderpool.webhook.review;

import io.spidernet.spiderpool.api.Constants;
import java.util.Locale;

/** The kinds our webhooks admit, with the names Kubernetes uses for them in paths and messages. */
public enum Kind {
  SPIDER_IPPOOL("SpiderIPPool", "spiderippools", Constants.GROUP, Constants.VERSION),
  SPIDER_SUBNET("SpiderSubnet", "spidersubnets", Constants.GROUP, Constants.VERSION),
  SPIDER_RESERVED_IP("SpiderReservedIP", "spiderreservedips", Constants.GROUP, Constants.VERSION),
  SPIDER_COORDINATOR("SpiderCoordinator", "spidercoordinators", Constants.GROUP, Constants.VERSION),
  SPIDER_MULTUS_CONFIG("SpiderMultusConfig", "spidermultusconfigs", Constants.GROUP, Constants.VERSION),
  POD("Pod", "pods", "", "v1");

  private final String kind;
  private final String resource;
  private final String group;
  private final String version;

  Kind(String kind, String resource, String group, String version) {
    this.kind = kind;
    this.resource = resource;
    this.group = group;
    this.version = version;
  }

  public String kind() {
    return kind;
  }

  public String resource() {
    return resource;
  }

  public String group() {
    return group;
  }

  public String version() {
    return version;
  }

  /** {@code SpiderIPPool.spiderpool.spidernet.io}, as in "... is invalid". */
  public String qualifiedKind() {
    return group.isEmpty() ? kind : kind + "." + group;
  }

  /** {@code spiderippools.spiderpool.spidernet.io}, as in "... is forbidden". */
  public String qualifiedResource() {
    return group.isEmpty() ? resource : resource + "." + group;
  }

  /** Spiderpool's path: {@code /mutate-spiderpool-spidernet-io-v2beta1-spiderippool}, {@code /mutate--v1-pod}. */
  public String path(boolean mutate) {
    return "/" + (mutate ? "mutate" : "validate") + "-" + group.replace('.', '-') + "-" + version + "-"
        + kind.toLowerCase(Locale.ROOT);
  }
}
