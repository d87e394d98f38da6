package io.spidernet.spiderpool.api.v2beta1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.spidernet.spiderpool.api.Constants;

/** Cluster-wide coordinator defaults; the chart creates one named {@code default}. */
@Group(Constants.GROUP)
@Version(Constants.VERSION)
@Kind("SpiderCoordinator")
@Plural("spidercoordinators")
@Singular("spidercoordinator")
@ShortNames("scc")
@Categories(Constants.CATEGORY)
public class SpiderCoordinator extends CustomResource<CoordinatorSpec, CoordinatorStatus> {}
