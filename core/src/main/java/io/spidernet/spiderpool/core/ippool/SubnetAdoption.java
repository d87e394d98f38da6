package io.spidernet.spiderpool.core.ippool;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.v2beta1.SpiderIPPool;
import io.spidernet.spiderpool.api.v2beta1.SpiderSubnet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A SpiderSubnet taking a pool of its CIDR under its control (spec 3.1 step 4, 6.5): the subnet
 * becomes the pool's controller owner, the pool gets the {@code owner-spider-subnet} label and
 * inherits the subnet's gateway and routes where it has none. Used by the pool webhook (at
 * admission) and the subnet reconciler (pools made before their subnet). Changes {@code pool}.
 */
public final class SubnetAdoption {
  private SubnetAdoption() {}

  public static void adopt(SpiderSubnet subnet, SpiderIPPool pool) {
    List<OwnerReference> refs = new ArrayList<>();
    if (pool.getMetadata().getOwnerReferences() != null) {
      pool.getMetadata().getOwnerReferences().stream().filter(r -> !Boolean.TRUE.equals(r.getController())).forEach(refs::add);
    }
    refs.add(new OwnerReferenceBuilder().withApiVersion(Constants.API_VERSION).withKind("SpiderSubnet")
        .withName(subnet.getMetadata().getName()).withUid(subnet.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build());
    pool.getMetadata().setOwnerReferences(refs);
    var labels = pool.getMetadata().getLabels() == null ? new HashMap<String, String>() : new HashMap<>(pool.getMetadata().getLabels());
    labels.put(Constants.LABEL_OWNER_SPIDER_SUBNET, subnet.getMetadata().getName());
    pool.getMetadata().setLabels(labels);
    if (pool.getSpec().gateway == null && subnet.getSpec() != null) {
      pool.getSpec().gateway = subnet.getSpec().gateway;
    }
    if (pool.getSpec().routes == null && subnet.getSpec() != null && subnet.getSpec().routes != null) {
      pool.getSpec().routes = new ArrayList<>(subnet.getSpec().routes);
    }
  }
}
