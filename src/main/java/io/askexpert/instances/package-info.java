/**
 * Service instances: every process heartbeats in {@code service_instances}, so any instance can
 * tell that the owner of a run or an ingestion job died and close what it left behind. Entry
 * point: {@link io.askexpert.instances.ServiceInstances}.
 */
@NullMarked
package io.askexpert.instances;

import org.jspecify.annotations.NullMarked;
