package io.spidernet.spiderpool.core.subnet;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.annotation.Annotations;
import io.spidernet.spiderpool.api.ip.Cidr;
import io.spidernet.spiderpool.api.ip.IPRanges;
import io.spidernet.spiderpool.api.v2beta1.IPPoolSpec;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import io.spidernet.spiderpool.core.pod.TopController;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an auto-pool is (spec 6.5), exactly as upstream names and labels it: its name
 * {@code auto{4|6}-{app}-{nic}-{uid5}}, its owner labels, the application string of the subnet's
 * {@code controlledIPPools}, and which pools serve which application. Pure.
 */
public final class AutoPools {
  private static final int MAX_NAME = 253;
  private static final List<String> STANDARD_APPS = List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet");
  private static final List<String> STANDARD_BATCH = List.of("Job", "CronJob");

  private AutoPools() {}

  /** {@code auto4-nginx-eth0-a1b2c}: the application name is cut so the whole fits 253 characters. */
  public static String name(int version, TopController app, String nic) {
    String uid = app.uid() == null ? "" : app.uid();
    String last = uid.substring(uid.lastIndexOf('-') + 1);
    String uid5 = last.length() > 5 ? last.substring(0, 5) : last;
    String nicPart = nic.toLowerCase(Locale.ROOT);
    String appName = app.name().toLowerCase(Locale.ROOT);
    int room = MAX_NAME - ("auto" + version + "-" + "-" + nicPart + "-" + uid5).length();
    if (appName.length() > room) {
      appName = appName.substring(0, Math.max(0, room));
    }
    return "auto" + version + "-" + appName + "-" + nicPart + "-" + uid5;
  }

  /**
   * Whether the spiderpool-controller makes this application's auto-pools (Deployment, ReplicaSet,
   * StatefulSet, DaemonSet, Job, CronJob); the agents make those of bare pods and other controllers.
   */
  public static boolean controllerMade(TopController app) {
    return app.version().equals("v1") && (app.group().equals("apps") && STANDARD_APPS.contains(app.kind())
        || app.group().equals("batch") && STANDARD_BATCH.contains(app.kind()));
  }

  /** {@code apps_v1_Deployment_default_nginx}; {@code v1_Pod_default_nginx} for the core group. */
  public static String application(TopController app) {
    return gv(app) + "_" + app.kind() + "_" + app.namespace() + "_" + app.name();
  }

  /** The {@code owner-application-gv} label: {@code apps_v1}, or {@code v1} for the core group. */
  public static String gv(TopController app) {
    return app.group().isEmpty() ? app.version() : app.group() + "_" + app.version();
  }

  public static String ipVersionLabel(int version) {
    return version == 6 ? "IPv6" : "IPv4";
  }

  /** Whether {@code pool} is an auto-pool of this application's kind, namespace and name, for that NIC and family. */
  public static boolean serves(SpiderIPPool pool, TopController app, int version, String nic) {
    Map<String, String> l = pool.getMetadata().getLabels();
    return l != null && app.kind().equals(l.get(Constants.LABEL_OWNER_APPLICATION_KIND))
        && app.namespace().equals(l.get(Constants.LABEL_OWNER_APPLICATION_NAMESPACE))
        && app.name().equals(l.get(Constants.LABEL_OWNER_APPLICATION_NAME))
        && gv(app).equals(l.get(Constants.LABEL_OWNER_APPLICATION_GV))
        && nic.equals(l.get(Constants.LABEL_INTERFACE)) && ipVersionLabel(version).equals(l.get(Constants.LABEL_IP_VERSION));
  }

  /** Whether {@code pool} was made for this very incarnation of the application (same UID). */
  public static boolean ofIncarnation(SpiderIPPool pool, TopController app) {
    Map<String, String> l = pool.getMetadata().getLabels();
    return l != null && app.uid() != null && app.uid().equals(l.get(Constants.LABEL_OWNER_APPLICATION_UID));
  }

  /** Whether the pool goes with its application ({@code ippool-reclaim} label, true unless "false"). */
  public static boolean reclaimed(SpiderIPPool pool) {
    Map<String, String> l = pool.getMetadata().getLabels();
    return l == null || !"false".equals(l.get(Constants.LABEL_IPPOOL_RECLAIM));
  }

  /** Whether the pool is an auto-pool (it names an application UID). */
  public static boolean isAutoPool(SpiderIPPool pool) {
    Map<String, String> l = pool.getMetadata().getLabels();
    return l != null && l.containsKey(Constants.LABEL_OWNER_APPLICATION_UID);
  }

  /**
   * The application an auto-pool's labels name (UID included), or null when they name none.
   * Group and version come from the {@code owner-application-gv} label.
   */
  public static TopController applicationOf(SpiderIPPool pool) {
    Map<String, String> l = pool.getMetadata().getLabels();
    if (l == null || !l.containsKey(Constants.LABEL_OWNER_APPLICATION_UID)) {
      return null;
    }
    String gv = l.getOrDefault(Constants.LABEL_OWNER_APPLICATION_GV, "");
    int cut = gv.lastIndexOf('_');
    String group = cut < 0 ? "" : gv.substring(0, cut);
    String version = cut < 0 ? gv : gv.substring(cut + 1);
    String kind = l.get(Constants.LABEL_OWNER_APPLICATION_KIND);
    String ns = l.get(Constants.LABEL_OWNER_APPLICATION_NAMESPACE);
    String name = l.get(Constants.LABEL_OWNER_APPLICATION_NAME);
    if (kind == null || ns == null || name == null || version.isEmpty()) {
      return null;
    }
    return new TopController(group, version, kind, ns, name, l.get(Constants.LABEL_OWNER_APPLICATION_UID));
  }

  /**
   * The pool as it should be for {@code demand} of {@code app}, holding {@code ips}: spec from the
   * subnet (family, CIDR, gateway, routes), podAffinity on the application, upstream's labels and
   * annotation, the subnet as controller owner. {@code existing} (or null) gives name and
   * resourceVersion of the pool this replaces.
   */
  public static SpiderIPPool build(SpiderSubnet subnet, TopController app, AutoPoolDemand demand, IPRanges ips,
      SpiderIPPool existing) {
    SpiderIPPool pool = new SpiderIPPool();
    ObjectMeta meta = new ObjectMeta();
    if (existing != null) {
      meta.setName(existing.getMetadata().getName());
      meta.setResourceVersion(existing.getMetadata().getResourceVersion());
      meta.setUid(existing.getMetadata().getUid());
      meta.setFinalizers(existing.getMetadata().getFinalizers());
      meta.setCreationTimestamp(existing.getMetadata().getCreationTimestamp());
    } else {
      meta.setName(name(demand.version(), app, demand.nic()));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (existing != null && existing.getMetadata().getLabels() != null) {
      labels.putAll(existing.getMetadata().getLabels());
    }
    labels.put(Constants.LABEL_OWNER_SPIDER_SUBNET, subnet.getMetadata().getName());
    labels.put(Constants.LABEL_OWNER_APPLICATION_GV, gv(app));
    labels.put(Constants.LABEL_OWNER_APPLICATION_KIND, app.kind());
    labels.put(Constants.LABEL_OWNER_APPLICATION_NAMESPACE, app.namespace());
    labels.put(Constants.LABEL_OWNER_APPLICATION_NAME, app.name());
    labels.put(Constants.LABEL_OWNER_APPLICATION_UID, app.uid());
    labels.put(Constants.LABEL_INTERFACE, demand.nic());
    labels.put(Constants.LABEL_IP_VERSION, ipVersionLabel(demand.version()));
    labels.put(Constants.LABEL_IPPOOL_RECLAIM, String.valueOf(demand.reclaim()));
    labels.put(Constants.LABEL_IPPOOL_CIDR, Cidr.parseAny(subnet.getSpec().subnet).label());
    meta.setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (existing != null && existing.getMetadata().getAnnotations() != null) {
      annotations.putAll(existing.getMetadata().getAnnotations());
    }
    annotations.put(Annotations.IPPOOL_IP_NUMBER, demand.ipNumber());
    meta.setAnnotations(annotations);
    meta.setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(Constants.API_VERSION).withKind("SpiderSubnet")
        .withName(subnet.getMetadata().getName()).withUid(subnet.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build()));
    pool.setMetadata(meta);
    IPPoolSpec spec = existing != null && existing.getSpec() != null ? existing.getSpec() : new IPPoolSpec();
    spec.ipVersion = (long) demand.version();
    spec.subnet = subnet.getSpec().subnet;
    spec.ips = new ArrayList<>(ips.toStrings());
    spec.gateway = subnet.getSpec().gateway;
    spec.routes = subnet.getSpec().routes == null ? null : new ArrayList<>(subnet.getSpec().routes);
    Map<String, String> affinity = new LinkedHashMap<>();
    affinity.put(Constants.APP_API_GROUP, app.group());
    affinity.put(Constants.APP_API_VERSION, app.version());
    affinity.put(Constants.APP_KIND, app.kind());
    affinity.put(Constants.APP_NAMESPACE, app.namespace());
    affinity.put(Constants.APP_NAME, app.name());
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(affinity);
    spec.podAffinity = selector;
    pool.setSpec(spec);
    if (existing != null) {
      pool.setStatus(existing.getStatus());
    }
    return pool;
  }
}
