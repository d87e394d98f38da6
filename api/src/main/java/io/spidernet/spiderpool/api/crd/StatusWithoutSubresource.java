package io.spidernet.spiderpool.api.crd;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a custom resource whose {@code status} is written with the main resource (one create or
 * update), so its CRD must not declare a status subresource. The CRD generator adds one whenever a
 * status type exists; the chart writer (ChartCrds, in the tests) removes it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StatusWithoutSubresource {}
