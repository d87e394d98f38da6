package io.spidernet.spiderpool.api.v2beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spidernet.spiderpool.api.Constants;
import io.spidernet.spiderpool.api.crd.StatusWithoutSubresource;

/**
 * One per pod (same namespace and name): the IPs it holds. Unlike the pool, its CRD has no status
 * subresource, so the whole object, status included, is written with one create or update; the
 * chart export removes the subresource the generator would add.
 */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@Kind("SpiderEndpoint")
@Plural("spiderendpoints")
@Singular("spiderendpoint")
@ShortNames("se")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "INTERFACE", jsonPath = ".status.current.ips[0].interface", type = Type.STRING, getDescription = "interface")
@AdditionalPrinterColumn(name = "IPV4POOL", jsonPath = ".status.current.ips[0].ipv4Pool", type = Type.STRING, getDescription = "ipv4Pool")
@AdditionalPrinterColumn(name = "IPV4", jsonPath = ".status.current.ips[0].ipv4", type = Type.STRING, getDescription = "ipv4")
@AdditionalPrinterColumn(name = "IPV6POOL", jsonPath = ".status.current.ips[0].ipv6Pool", type = Type.STRING, getDescription = "ipv6Pool")
@AdditionalPrinterColumn(name = "IPV6", jsonPath = ".status.current.ips[0].ipv6", type = Type.STRING, getDescription = "ipv6")
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".status.current.node", type = Type.STRING, getDescription = "node")
@StatusWithoutSubresource
public class SpiderEndpoint extends CustomResource<Void, WorkloadEndpointStatus> implements Namespaced {}
