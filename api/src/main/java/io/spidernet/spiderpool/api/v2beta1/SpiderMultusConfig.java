package io.spidernet.spiderpool.api.v2beta1;

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

/** A namespaced, typed description of a Multus network; the controller renders it into a NAD. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@Kind("SpiderMultusConfig")
@Plural("spidermultusconfigs")
@Singular("spidermultusconfig")
@ShortNames("smc")
@Categories(Constants.CATEGORY)
public class SpiderMultusConfig extends CustomResource<MultusCNIConfigSpec, Void> implements Namespaced {}
