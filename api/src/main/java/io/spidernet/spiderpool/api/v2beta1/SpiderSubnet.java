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

/** A cluster-scoped underlay subnet from which pools (and auto-pools) are carved. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@Kind("SpiderSubnet")
@Plural("spidersubnets")
@Singular("spidersubnet")
@ShortNames("ss")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.ipVersion", type = Type.STRING, getDescription = "ipVersion")
@AdditionalPrinterColumn(name = "SUBNET", jsonPath = ".spec.subnet", type = Type.STRING, getDescription = "subnet")
@AdditionalPrinterColumn(name = "ALLOCATED-IP-COUNT", jsonPath = ".status.allocatedIPCount", type = Type.INTEGER, getDescription = "allocatedIPCount")
@AdditionalPrinterColumn(name = "TOTAL-IP-COUNT", jsonPath = ".status.totalIPCount", type = Type.INTEGER, getDescription = "totalIPCount")
public class SpiderSubnet extends CustomResource<SubnetSpec, SubnetStatus> {}
