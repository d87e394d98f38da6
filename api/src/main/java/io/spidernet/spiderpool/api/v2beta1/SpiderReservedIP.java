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

/** A cluster-scoped set of IPs withheld from every pool. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@Kind("SpiderReservedIP")
@Plural("spiderreservedips")
@Singular("spiderreservedip")
@ShortNames("sr")
@Categories(Constants.CATEGORY)
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.ipVersion", type = Type.STRING, getDescription = "ipVersion")
public class SpiderReservedIP extends CustomResource<ReservedIPSpec, Void> {}
