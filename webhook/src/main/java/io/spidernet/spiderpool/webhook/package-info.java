/**
 * Admission webhooks (spec section 3): one validator and one mutator per kind, served over HTTPS as
 * AdmissionReview by the controller process. Empty until the webhook issue is taken.
 */
package io.spidernet.spiderpool.webhook;
