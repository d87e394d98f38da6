package io.spidernet.spiderpool.api;

/** Names shared by every Spiderpool component: API group, finalizer, label keys (spec section 0). */
public final class Constants {
  public static final String GROUP = "spiderpool.spidernet.io";
  public static final String VERSION = "v2beta1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String CATEGORY = "spiderpool";
  public static final String FINALIZER = "spiderpool.spidernet.io";
  public static final String DEFAULT_UNIX_SOCKET = "/var/run/spidernet/spiderpool.sock";
  public static final String DEFAULT_NIC = "eth0";

  private static final String IPAM = "ipam.spidernet.io/";
  public static final String LABEL_SUBNET_CIDR = IPAM + "subnet-cidr";
  public static final String LABEL_IPPOOL_CIDR = IPAM + "ippool-cidr";
  public static final String LABEL_OWNER_SPIDER_SUBNET = IPAM + "owner-spider-subnet";
  public static final String LABEL_OWNER_APPLICATION_GV = IPAM + "owner-application-gv";
  public static final String LABEL_OWNER_APPLICATION_KIND = IPAM + "owner-application-kind";
  public static final String LABEL_OWNER_APPLICATION_NAMESPACE = IPAM + "owner-application-namespace";
  public static final String LABEL_OWNER_APPLICATION_NAME = IPAM + "owner-application-name";
  public static final String LABEL_OWNER_APPLICATION_UID = IPAM + "owner-application-uid";
  public static final String LABEL_INTERFACE = IPAM + "interface";
  public static final String LABEL_IP_VERSION = IPAM + "ip-version";
  public static final String LABEL_IPPOOL_RECLAIM = IPAM + "ippool-reclaim";

  /**
   * Ours: on a SpiderEndpoint, the container (sandbox) ID of the CNI ADD that recorded it, so that
   * CNI GC can tell the runtime's valid attachments from leftovers.
   */
  public static final String ANNOTATION_CONTAINER_ID = "spiderpool.spidernet.io/cni-container-id";

  /** podAffinity match-label keys of auto-created pools. */
  public static final String APP_API_GROUP = IPAM + "app-api-group";
  public static final String APP_API_VERSION = IPAM + "app-api-version";
  public static final String APP_KIND = IPAM + "app-kind";
  public static final String APP_NAMESPACE = IPAM + "app-namespace";
  public static final String APP_NAME = IPAM + "app-name";

  private Constants() {}
}
