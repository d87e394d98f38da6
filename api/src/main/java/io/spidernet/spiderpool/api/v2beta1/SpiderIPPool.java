package io.spidernet.spiderpool.api.v2beta1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spidernet.spiderpool.api.Constants;

/** A cluster-scoped pool of underlay IPs, pinned to nodes, namespaces, pods or NADs. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@Kind("SpiderIPPool")
@Plural("spiderippools")
@Singular("spiderippool")
@ShortNames("sp")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.ipVersion", type = Type.STRING, getDescription = "ipVersion")
@AdditionalPrinterColumn(name = "SUBNET", jsonPath = ".spec.subnet", type = Type.STRING, getDescription = "subnet")
@AdditionalPrinterColumn(name = "ALLOCATED-IP-COUNT", jsonPath = ".status.allocatedIPCount", type = Type.INTEGER, getDescription = "allocatedIPCount")
@AdditionalPrinterColumn(name = "TOTAL-IP-COUNT", jsonPath = ".status.totalIPCount", type = Type.INTEGER, getDescription = "totalIPCount")
@AdditionalPrinterColumn(name = "DEFAULT", jsonPath = ".spec.default", type = Type.BOOLEAN, getDescription = "default")
@AdditionalPrinterColumn(name = "DISABLE", jsonPath = ".spec.disable", type = Type.BOOLEAN, priority = 10, getDescription = "disable")
@AdditionalPrinterColumn(name = "NodeName", jsonPath = ".spec.nodeName", type = Type.STRING, priority = 10, getDescription = "nodeName")
@AdditionalPrinterColumn(name = "MultusName", jsonPath = ".spec.multusName", type = Type.STRING, priority = 10, getDescription = "multusName")
@AdditionalPrinterColumn(
    name = "APP-NAMESPACE",
    jsonPath = ".spec.podAffinity.matchLabels['ipam\\.spidernet\\.io/app\\-namespace']",
    type = Type.STRING,
    priority = 10,
    getDescription = "AppNamespace")
public class SpiderIPPool extends CustomResource<IPPoolSpec, IPPoolStatus> {}
