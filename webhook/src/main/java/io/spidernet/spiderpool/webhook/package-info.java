/**
 * Admission webhooks (spec section 3): the defaults and rules of every Spiderpool kind
 * ({@code rules}), the cluster view they read ({@code cache}), AdmissionReview decoding and
 * answers ({@code review}), the HTTPS server ({@code server}) and its certificates ({@code tls}).
 * Hosted by the controller process.
 */
package io.spidernet.spiderpool.webhook;
